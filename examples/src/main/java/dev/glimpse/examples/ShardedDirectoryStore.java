package dev.glimpse.examples;

import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.SizeMismatchException;
import dev.glimpse.image.store.StoreCapability;
import dev.glimpse.image.store.StoreLocation;
import dev.glimpse.image.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An example {@link ImageStore}: image data as files in a directory sharded by the first two
 * characters of the image id ({@code <root>/3f/3f2a...}), the layout a NAS or an object-store gateway
 * likes. Locations look like {@code shard://<store id>/3f/3f2a...}.
 *
 * <p>What makes it a correct store, checked by {@code ImageStoreContractTest}: a write goes to a
 * temporary file that is fsync'ed and then hard-linked into place, so a crash or a failed upload
 * never leaves a partial image under its name, and of two racing writers exactly one wins; data is
 * streamed both ways in bounded memory; locations outside the store are refused before any I/O.
 */
public final class ShardedDirectoryStore implements ImageStore {
    static final String SCHEME = "shard";
    private static final Pattern IMAGE_ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z-]{1,127}");

    private final String id;
    private final Path root;

    /** Creates a store with the given id over {@code root}, which is created if missing. */
    public ShardedDirectoryStore(String id, Path root) throws IOException {
        this.id = Objects.requireNonNull(id, "id");
        this.root = Files.createDirectories(root).toRealPath();
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
        if (!SCHEME.equals(uri.getScheme()) || !id.equals(uri.getHost()) || uri.getPath() == null) {
            return false;
        }
        String[] parts = uri.getPath().split("/", -1);
        // "/3f/3f2a..." splits into "", shard, image id; anything else ("..", deeper paths) is foreign.
        return parts.length == 3 && parts[0].isEmpty() && parts[1].length() == 2
                && IMAGE_ID.matcher(parts[2]).matches();
    }

    @Override
    public StoredImage write(String imageId, InputStream data, long expectedSize) throws IOException {
        if (!IMAGE_ID.matcher(imageId).matches()) {
            throw new IllegalArgumentException("image id must be letters, digits and dashes: " + imageId);
        }
        Path target = file(imageId.substring(0, 2), imageId);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "image " + imageId + " already has data");
        }
        Path temp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
        try {
            long written = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(temp)) {
                for (int n; (n = data.read(buffer)) >= 0; ) {
                    written += n;
                    if (expectedSize != UNKNOWN_SIZE && written > expectedSize) {
                        throw new SizeMismatchException(expectedSize, written);
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (expectedSize != UNKNOWN_SIZE && written != expectedSize) {
                throw new SizeMismatchException(expectedSize, written);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            // A hard link appears atomically and fails if the name exists: of racing writers, one wins.
            Files.createLink(target, temp);
            return new StoredImage(new StoreLocation(id, uri(imageId)), written, Map.of());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream read(StoreLocation location, ByteRange range) throws IOException {
        Path file = file(location);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long length = range.resolve(channel.size());
            channel.position(range.offset());
            InputStream in = Channels.newInputStream(channel);
            return new java.io.FilterInputStream(in) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public long size(StoreLocation location) throws IOException {
        return Files.size(file(location));
    }

    @Override
    public void delete(StoreLocation location) throws IOException {
        Files.delete(file(location));
    }

    private URI uri(String imageId) {
        return URI.create(SCHEME + "://" + id + "/" + imageId.substring(0, 2) + "/" + imageId);
    }

    private Path file(StoreLocation location) throws IOException {
        URI uri = location(location.uri()).uri(); // refuses foreign locations before any I/O
        if (!id.equals(location.storeId())) {
            throw new dev.glimpse.image.store.InvalidLocationException(
                    "location of store '" + location.storeId() + "' given to store '" + id + "'");
        }
        String[] parts = uri.getPath().split("/");
        Path file = file(parts[1], parts[2]);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no data for " + uri);
        }
        return file;
    }

    private Path file(String shard, String imageId) {
        return root.resolve(shard).resolve(imageId);
    }
}
