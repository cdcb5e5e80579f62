package dev.glimpse.image.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An {@link ImageStore} that keeps images in memory, for tests of code that uses stores (the
 * catalogue's upload path). Locations are {@code memory://<store id>/<image id>}. It passes the
 * contract suite, which keeps the suite honest too. Not for production: memory grows with data.
 */
public final class MemoryImageStore implements ImageStore {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private final String id;
    private final Map<String, byte[]> images = new ConcurrentHashMap<>();
    private final Set<String> writing = ConcurrentHashMap.newKeySet();

    /** Creates an empty store with the given id. */
    public MemoryImageStore(String id) {
        this.id = Objects.requireNonNull(id, "id");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<StoreCapability> capabilities() {
        return EnumSet.allOf(StoreCapability.class);
    }

    @Override
    public boolean owns(URI uri) {
        return "memory".equals(uri.getScheme()) && id.equals(uri.getHost()) && uri.getPath() != null
                && uri.getPath().startsWith("/") && SAFE_ID.matcher(uri.getPath().substring(1)).matches();
    }

    /** The number of images held, for leak checks. */
    public int imageCount() {
        return images.size();
    }

    /** Replaces the stored bytes of a location, to simulate corruption at rest. */
    public void corrupt(StoreLocation location, byte[] newBytes) throws IOException {
        String key = key(location);
        if (images.replace(key, newBytes.clone()) == null) {
            throw new NoSuchFileException(location.uri().toString());
        }
    }

    @Override
    public StoredImage write(String imageId, InputStream data, long expectedSize) throws IOException {
        if (!SAFE_ID.matcher(imageId).matches() || imageId.contains("..")) {
            throw new IllegalArgumentException("unsafe image id '" + imageId + "'");
        }
        if (images.containsKey(imageId) || !writing.add(imageId)) {
            throw new FileAlreadyExistsException(imageId);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = data.read(buffer)) >= 0; ) {
                total += n;
                if (expectedSize != UNKNOWN_SIZE && total > expectedSize) {
                    throw new SizeMismatchException(expectedSize, total);
                }
                out.write(buffer, 0, n);
            }
            if (expectedSize != UNKNOWN_SIZE && total != expectedSize) {
                throw new SizeMismatchException(expectedSize, total);
            }
            if (images.putIfAbsent(imageId, out.toByteArray()) != null) {
                throw new FileAlreadyExistsException(imageId);
            }
            return new StoredImage(new StoreLocation(id, URI.create("memory://" + id + "/" + imageId)), total, Map.of());
        } finally {
            writing.remove(imageId);
        }
    }

    @Override
    public InputStream read(StoreLocation location, ByteRange range) throws IOException {
        byte[] data = get(location);
        long length = range.resolve(data.length);
        return new ByteArrayInputStream(data, (int) range.offset(), (int) length);
    }

    @Override
    public long size(StoreLocation location) throws IOException {
        return get(location).length;
    }

    @Override
    public void delete(StoreLocation location) throws IOException {
        if (images.remove(key(location)) == null) {
            throw new NoSuchFileException(location.uri().toString());
        }
    }

    private byte[] get(StoreLocation location) throws IOException {
        byte[] data = images.get(key(location));
        if (data == null) {
            throw new NoSuchFileException(location.uri().toString());
        }
        return data;
    }

    private String key(StoreLocation location) throws InvalidLocationException {
        if (!location.storeId().equals(id) || !owns(location.uri())) {
            throw new InvalidLocationException("store '" + id + "' does not own location " + location);
        }
        return location.uri().getPath().substring(1);
    }
}
