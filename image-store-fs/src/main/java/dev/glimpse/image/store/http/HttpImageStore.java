package dev.glimpse.image.store.http;

import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.InvalidLocationException;
import dev.glimpse.image.store.StoreCapability;
import dev.glimpse.image.store.StoreException;
import dev.glimpse.image.store.StoreLocation;
import dev.glimpse.image.store.StoredImage;
import dev.glimpse.image.store.UnsupportedStoreOperationException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A read-only {@link ImageStore} for image data that already lives at an {@code http} or
 * {@code https} URL, as Glance's {@code http} store: images get such locations through the
 * catalogue's locations API, never by upload. Reads follow redirects (never from https to http),
 * ask the server for byte ranges with a {@code Range} header, and fall back to skipping when the
 * server ignores it. Sizes come from a {@code HEAD} request's {@code Content-Length}.
 *
 * <p>A location is any absolute http(s) URL with a host and without user info (credentials in a
 * location would be shown to whoever may list locations) or fragment. Status 404 and 410 are
 * {@link NoSuchFileException}, 401 and 403 {@link AccessDeniedException}, 416
 * {@link EOFException}; other failures are {@link StoreException}s naming the status.
 *
 * <p>Thread-safe.
 */
public final class HttpImageStore implements ImageStore {
    /** The store type name, as in Glance's {@code enabled_backends}. */
    public static final String TYPE = "http";

    private static final Set<StoreCapability> CAPABILITIES =
            Set.copyOf(EnumSet.of(StoreCapability.READ, StoreCapability.RANGE_READ));
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final String id;
    private final HttpClient client;
    private final Duration timeout;

    private HttpImageStore(String id, HttpClient client, Duration timeout) {
        this.id = id;
        this.client = client;
        this.timeout = timeout;
    }

    /** Returns a store with the given id and default settings (30 s timeouts, normal redirects). */
    public static HttpImageStore create(String id) {
        return builder(id).build();
    }

    /** Returns a builder for a store with the given id. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public boolean owns(URI uri) {
        String scheme = uri.getScheme();
        return scheme != null
                && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                && !uri.isOpaque()
                && uri.getHost() != null
                && uri.getRawUserInfo() == null
                && uri.getRawFragment() == null;
    }

    private URI uriOf(StoreLocation location) throws InvalidLocationException {
        if (!location.storeId().equals(id)) {
            throw new InvalidLocationException("location " + location.uri() + " belongs to store '"
                    + location.storeId() + "', not '" + id + "'");
        }
        if (!owns(location.uri())) {
            throw new InvalidLocationException("store '" + id + "' does not own location " + location.uri()
                    + ": it must be an http(s) URL with a host and no user info or fragment");
        }
        return location.uri();
    }

    /**
     * Always fails: this store is read-only (Glance's {@code StoreAddDisabled}).
     *
     * @throws UnsupportedStoreOperationException always
     */
    @Override
    public StoredImage write(String imageId, InputStream data, long expectedSize) throws IOException {
        throw new UnsupportedStoreOperationException(id, StoreCapability.WRITE);
    }

    @Override
    public InputStream read(StoreLocation location, ByteRange range) throws IOException {
        URI uri = uriOf(location);
        Objects.requireNonNull(range, "range");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        boolean whole = range.offset() == 0 && range.toEnd();
        if (!whole) {
            request.header("Range", "bytes=" + range.offset() + "-"
                    + (range.toEnd() ? "" : String.valueOf(range.offset() + range.length() - 1)));
        }
        HttpResponse<InputStream> response = send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        InputStream body = response.body();
        try {
            if (status == 206 && !whole) {
                long length = checkContentRange(response, range, uri);
                return new LimitedInputStream(body, length, uri);
            }
            if (status == 200) {
                OptionalLong declared = response.headers().firstValueAsLong("Content-Length");
                if (whole) {
                    return declared.isPresent() ? new LimitedInputStream(body, declared.getAsLong(), uri) : body;
                }
                // The server ignored the Range header: skip to the offset ourselves.
                if (declared.isPresent()) {
                    long length = range.resolve(declared.getAsLong());
                    body.skipNBytes(range.offset());
                    return new LimitedInputStream(body, length, uri);
                }
                skipOrEof(body, range.offset(), uri);
                return range.toEnd() ? body : new CappedInputStream(body, range.length());
            }
            if (status == 416) {
                throw new EOFException("range " + range + " is not satisfiable for " + uri);
            }
            throw failure(status, uri, "GET");
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
    }

    private static long checkContentRange(HttpResponse<?> response, ByteRange range, URI uri) throws IOException {
        String header = response.headers().firstValue("Content-Range")
                .orElseThrow(() -> new StoreException("206 response from " + uri + " without Content-Range"));
        Matcher m = CONTENT_RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw new StoreException("malformed Content-Range '" + header + "' from " + uri);
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        if (first != range.offset() || last < first
                || (!range.toEnd() && last - first + 1 > range.length())) {
            throw new StoreException("server sent " + header + " from " + uri + " when " + range + " was asked");
        }
        return last - first + 1;
    }

    private static void skipOrEof(InputStream body, long offset, URI uri) throws IOException {
        try {
            body.skipNBytes(offset);
        } catch (EOFException e) {
            throw new EOFException("range starts at byte " + offset + ", after the end of " + uri);
        }
    }

    @Override
    public long size(StoreLocation location) throws IOException {
        URI uri = uriOf(location);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<Void> response = send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw failure(response.statusCode(), uri, "HEAD");
        }
        return response.headers().firstValueAsLong("Content-Length")
                .orElseThrow(() -> new StoreException("HEAD " + uri + " did not report a Content-Length"));
    }

    /**
     * Always fails for a location this store owns: this store cannot delete (Glance's http store
     * leaves remote data alone).
     *
     * @throws InvalidLocationException if the store does not own the location
     * @throws UnsupportedStoreOperationException otherwise
     */
    @Override
    public void delete(StoreLocation location) throws IOException {
        uriOf(location);
        throw new UnsupportedStoreOperationException(id, StoreCapability.DELETE);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return client.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException(
                    "interrupted during " + request.method() + " " + request.uri());
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    private static IOException failure(int status, URI uri, String method) {
        return switch (status) {
            case 404, 410 -> new NoSuchFileException(uri.toString(), null, method + " returned " + status);
            case 401, 403 -> new AccessDeniedException(uri.toString(), null, method + " returned " + status);
            default -> new StoreException(method + " " + uri + " returned HTTP " + status);
        };
    }

    @Override
    public String toString() {
        return "HttpImageStore{id=" + id + "}";
    }

    /** Fails if the body ends before the announced length, so a cut connection is never a short image. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final URI uri;
        private long remaining;

        LimitedInputStream(InputStream in, long length, URI uri) {
            super(in);
            this.remaining = length;
            this.uri = uri;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException(uri + " ended " + remaining + " bytes early");
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** Stops after {@code length} bytes; ending earlier is the end of the image. */
    private static final class CappedInputStream extends FilterInputStream {
        private long remaining;

        CappedInputStream(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** Builds an {@link HttpImageStore}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private @Nullable HttpClient client;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("store id must not be blank");
            }
        }

        /**
         * Uses the given client (for proxies, TLS settings, authenticators). By default a client
         * that follows redirects except from https to http, with a 30 s connect timeout.
         */
        public Builder client(HttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Sets the time to wait for the response headers of each request; 30 s by default. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Builds the store. */
        public HttpImageStore build() {
            HttpClient c = client != null ? client : HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(timeout)
                    .build();
            return new HttpImageStore(id, c, timeout);
        }
    }
}
