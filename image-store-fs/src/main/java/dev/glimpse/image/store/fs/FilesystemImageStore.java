package dev.glimpse.image.store.fs;

import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.InvalidLocationException;
import dev.glimpse.image.store.SizeMismatchException;
import dev.glimpse.image.store.StorageFullException;
import dev.glimpse.image.store.StoreCapability;
import dev.glimpse.image.store.StoreLocation;
import dev.glimpse.image.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ImageStore} that keeps each image as one file in a data directory, on any
 * {@link java.nio.file.FileSystem}: the real disk, or an in-memory one such as Jimfs in tests.
 * Glance's {@code file} store, made crash-safe.
 *
 * <h2>Writes</h2>
 * Data goes to a hidden temporary file in the chosen data directory, is forced to the device, and
 * is then renamed atomically to {@code <directory>/<image id>}, after which the directory itself is
 * forced. A crash at any moment therefore leaves either no image file or a complete one, never a
 * half image under the image's name; the temporary file of a failed write is deleted, and one left
 * by a crash is never served (its name is not an image id). With several data directories
 * (Glance's {@code filesystem_store_datadirs}), the write goes to the highest-priority directory
 * that has room for the declared size, choosing within a priority the one with the most usable
 * space; when none has room, {@link StorageFullException}, as also when the device fills up during
 * the write.
 *
 * <h2>Locations</h2>
 * A location is the URI of the image file ({@code file:///var/lib/glimpse/images/<id>}). The store
 * refuses, without touching the file system, any URI that is not directly inside one of its data
 * directories, names a temporary file, or has {@code .} or {@code ..} segments; it opens files
 * without following symbolic links. So {@code file:///etc/passwd} is an error, never a read.
 *
 * <p>Thread-safe. Writes of the same image id in one store are serialised: the second gets
 * {@link FileAlreadyExistsException}. Two processes must not write the same image id into the same
 * directories; the catalogue's compare-and-set on the image status ensures they do not.
 */
public final class FilesystemImageStore implements ImageStore {
    /** The store type name, as in Glance's {@code enabled_backends}. */
    public static final String TYPE = "file";

    private static final Logger LOG = LoggerFactory.getLogger(FilesystemImageStore.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final Set<StoreCapability> CAPABILITIES = Set.copyOf(EnumSet.allOf(StoreCapability.class));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final FileSystem fileSystem;
    private final URI rootUri;
    private final List<DataDirectory> directories;
    private final @Nullable Set<PosixFilePermission> filePermissions;
    private final boolean thinProvisioning;
    private final int chunkSize;
    private final SpaceProbe spaceProbe;
    private final Set<String> writing = ConcurrentHashMap.newKeySet();

    /** Reports the usable bytes of a directory's file store; replaceable in tests. */
    @FunctionalInterface
    interface SpaceProbe {
        long usableSpace(Path directory) throws IOException;
    }

    /** One data directory and its priority (Glance's {@code path:priority}). */
    private record DataDirectory(Path path, int priority) {}

    private FilesystemImageStore(Builder builder, List<DataDirectory> directories) {
        this.id = builder.id;
        this.directories = List.copyOf(directories);
        this.fileSystem = directories.get(0).path().getFileSystem();
        this.rootUri = directories.get(0).path().toUri();
        this.filePermissions = builder.filePermissions == null ? null : Set.copyOf(builder.filePermissions);
        this.thinProvisioning = builder.thinProvisioning;
        this.chunkSize = builder.chunkSize;
        this.spaceProbe = builder.spaceProbe;
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

    /** The data directories, highest priority first. */
    public List<Path> dataDirectories() {
        return directories.stream().map(DataDirectory::path).toList();
    }

    @Override
    public boolean owns(URI uri) {
        return resolve(uri) != null;
    }

    /** Maps a URI to the image file it names, or null when the store does not own it. Does no I/O. */
    private @Nullable Path resolve(URI uri) {
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        if (!fileSystem.provider().getScheme().equalsIgnoreCase(uri.getScheme())) {
            return null;
        }
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            return null;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        Path file;
        try {
            if (fileSystem == FileSystems.getDefault()) {
                file = Path.of(uri);
            } else {
                // In-memory file systems name themselves in the authority (jimfs://<name>/...).
                if (!Objects.equals(uri.getRawAuthority(), rootUri.getRawAuthority())) {
                    return null;
                }
                file = fileSystem.getPath(path);
            }
        } catch (RuntimeException e) {
            // An authority on file:, a path the file system cannot represent: not ours.
            return null;
        }
        if (file.getFileSystem() != fileSystem || file.getFileName() == null || file.getParent() == null) {
            return null;
        }
        if (!SAFE_ID.matcher(file.getFileName().toString()).matches()) {
            return null;
        }
        Path parent = file.getParent();
        for (DataDirectory directory : directories) {
            if (directory.path().equals(parent)) {
                return file;
            }
        }
        return null;
    }

    private Path fileOf(StoreLocation location) throws InvalidLocationException {
        if (!location.storeId().equals(id)) {
            throw new InvalidLocationException("location " + location.uri() + " belongs to store '"
                    + location.storeId() + "', not '" + id + "'");
        }
        Path file = resolve(location.uri());
        if (file == null) {
            throw new InvalidLocationException("location " + location.uri() + " is not an image file in a data "
                    + "directory of store '" + id + "' " + dataDirectories());
        }
        return file;
    }

    @Override
    public StoredImage write(String imageId, InputStream data, long expectedSize) throws IOException {
        Objects.requireNonNull(data, "data");
        requireSafeId(imageId);
        if (expectedSize < 0 && expectedSize != UNKNOWN_SIZE) {
            throw new IllegalArgumentException("expectedSize must be >= 0 or UNKNOWN_SIZE: " + expectedSize);
        }
        if (!writing.add(imageId)) {
            throw new FileAlreadyExistsException(imageId, null, "image data is being written by another upload");
        }
        try {
            for (DataDirectory directory : directories) {
                Path existing = directory.path().resolve(imageId);
                if (Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(existing.toString(), null, "image data already exists");
                }
            }
            Path directory = chooseDirectory(expectedSize);
            Path target = directory.resolve(imageId);
            Path temp = directory.resolve("." + imageId + "." + HexFormat.of().toHexDigits(RANDOM.nextLong()) + ".tmp");
            long written;
            try {
                written = writeTemp(temp, data, expectedSize);
                if (filePermissions != null) {
                    Files.setPosixFilePermissions(temp, filePermissions);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException | Error e) {
                deleteQuietly(temp, e);
                throw translate(e, directory);
            }
            forceDirectory(directory);
            return new StoredImage(new StoreLocation(id, target.toUri()), written, Map.of());
        } finally {
            writing.remove(imageId);
        }
    }

    private long writeTemp(Path temp, InputStream data, long expectedSize) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Sink sink = new Sink(channel, expectedSize);
            // transferTo lets a source that already holds large chunks hand them over without a copy.
            data.transferTo(sink);
            long total = sink.finish();
            if (expectedSize != UNKNOWN_SIZE && total != expectedSize) {
                throw new SizeMismatchException(expectedSize, total);
            }
            channel.force(true);
            return total;
        }
    }

    /**
     * Writes to the temp file: coalesces small writes into chunks, writes large ones directly,
     * enforces the declared size as bytes arrive, and leaves holes for zero chunks when thin.
     */
    private final class Sink extends java.io.OutputStream {
        private final FileChannel channel;
        private final long expectedSize;
        private final byte[] buffer = new byte[chunkSize];
        private int filled;
        private long total;

        Sink(FileChannel channel, long expectedSize) {
            this.channel = channel;
            this.expectedSize = expectedSize;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            total += len;
            if (expectedSize != UNKNOWN_SIZE && total > expectedSize) {
                throw new SizeMismatchException(expectedSize, total);
            }
            if (filled == 0 && len >= buffer.length) {
                emit(b, off, len);
                return;
            }
            while (len > 0) {
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == buffer.length) {
                    emit(buffer, 0, filled);
                    filled = 0;
                }
            }
        }

        private void emit(byte[] b, int off, int len) throws IOException {
            if (thinProvisioning && isZero(b, off, len)) {
                // Leave a hole: the file system reads unwritten ranges back as zeros.
                channel.position(channel.position() + len);
                return;
            }
            ByteBuffer wrapped = ByteBuffer.wrap(b, off, len);
            while (wrapped.hasRemaining()) {
                channel.write(wrapped);
            }
        }

        /** Writes what is buffered and returns the byte count. */
        long finish() throws IOException {
            if (filled > 0) {
                emit(buffer, 0, filled);
                filled = 0;
            }
            if (channel.size() < total) {
                // The image ended in a hole; one written zero byte at the end sets the length.
                channel.write(ByteBuffer.wrap(new byte[1]), total - 1);
            }
            return total;
        }
    }

    private static final byte[] ZEROS = new byte[64 * 1024];

    private static boolean isZero(byte[] buffer, int from, int length) {
        for (int offset = 0; offset < length; offset += ZEROS.length) {
            int n = Math.min(ZEROS.length, length - offset);
            if (Arrays.mismatch(buffer, from + offset, from + offset + n, ZEROS, 0, n) != -1) {
                return false;
            }
        }
        return true;
    }

    /** Highest priority first; within a priority the most usable space; it must fit the declared size. */
    private Path chooseDirectory(long expectedSize) throws IOException {
        long needed = Math.max(expectedSize, 0);
        List<String> seen = new ArrayList<>();
        int i = 0;
        while (i < directories.size()) {
            int priority = directories.get(i).priority();
            Path best = null;
            long bestSpace = -1;
            for (; i < directories.size() && directories.get(i).priority() == priority; i++) {
                Path path = directories.get(i).path();
                long space = spaceProbe.usableSpace(path);
                seen.add(path + " (" + space + " bytes free)");
                if (space > bestSpace) {
                    best = path;
                    bestSpace = space;
                }
            }
            if (best != null && bestSpace >= needed) {
                return best;
            }
        }
        throw new StorageFullException("store '" + id + "' has no data directory with " + needed
                + " bytes free: " + seen);
    }

    private IOException translate(Throwable e, Path directory) {
        if (e instanceof IOException io && !(e instanceof SizeMismatchException) && isOutOfSpace(io)) {
            return new StorageFullException("store '" + id + "' ran out of space in " + directory + ": "
                    + io.getMessage(), io);
        }
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw (Error) e;
    }

    private static boolean isOutOfSpace(IOException e) {
        String message = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (message == null) {
            return false;
        }
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        // ENOSPC, EDQUOT and EFBIG on Linux; Jimfs says "out of disk space".
        return lower.contains("no space left") || lower.contains("quota exceeded")
                || lower.contains("file too large") || lower.contains("out of disk space");
    }

    private static void deleteQuietly(Path temp, Throwable failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Forces the directory entry of a rename to the device, so that a crash after a successful
     * write cannot lose the file. Not every file system can open a directory (Jimfs, Windows);
     * there the rename is as durable as the platform makes it, and the failure is only logged.
     */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {}: {}", directory, e.toString());
        }
    }

    @Override
    public InputStream read(StoreLocation location, ByteRange range) throws IOException {
        Objects.requireNonNull(range, "range");
        Path file = fileOf(location);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            long length = range.resolve(channel.size());
            channel.position(range.offset());
            return new ChannelRangeInputStream(channel, length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public long size(StoreLocation location) throws IOException {
        Path file = fileOf(location);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return channel.size();
        }
    }

    @Override
    public void delete(StoreLocation location) throws IOException {
        Path file = fileOf(location);
        Files.delete(file);
        forceDirectory(file.getParent());
    }

    /**
     * Deletes the temporary files that crashed writes left in the data directories, if they were
     * last modified more than {@code olderThan} ago. They are never served and never block a new
     * write of the same image; this only reclaims their space. The age guard keeps the files of
     * writes still running in other processes that share the directories.
     *
     * @return the number of files deleted
     * @throws IOException if a directory cannot be listed or a file cannot be deleted
     */
    public int removeAbandonedTempFiles(java.time.Duration olderThan) throws IOException {
        Objects.requireNonNull(olderThan, "olderThan");
        java.time.Instant cutoff = java.time.Instant.now().minus(olderThan);
        int removed = 0;
        for (DataDirectory directory : directories) {
            try (java.util.stream.Stream<Path> files = Files.list(directory.path())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.startsWith(".") && name.endsWith(".tmp")
                            && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)
                            && Files.deleteIfExists(file)) {
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    /**
     * Deletes the image files that no catalogue references: files under an image's name in the data
     * directories whose URI is not in {@code referenced} (a crash between the store write and the
     * image's activation, or between an image's deletion and its file's, leaves one), and the
     * temporary files of crashed writes. Only files last modified more than {@code olderThan} ago
     * are deleted, so that a write that has just finished and whose image is about to be activated
     * keeps its file; files whose names this store never writes are left alone.
     *
     * @param referenced the locations every image of the catalogue still needs (active and
     *     pending-delete ones alike); URIs this store does not own are ignored
     * @return the files deleted
     * @throws IOException if a directory cannot be listed or a file cannot be deleted
     */
    public List<Path> removeOrphans(Set<URI> referenced, java.time.Duration olderThan) throws IOException {
        Objects.requireNonNull(referenced, "referenced");
        Objects.requireNonNull(olderThan, "olderThan");
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative: " + olderThan);
        }
        Set<Path> needed = new java.util.HashSet<>();
        for (URI uri : referenced) {
            Path file = resolve(uri);
            if (file != null) {
                needed.add(file);
            }
        }
        java.time.Instant cutoff = java.time.Instant.now().minus(olderThan);
        List<Path> removed = new ArrayList<>();
        for (DataDirectory directory : directories) {
            List<Path> orphans = new ArrayList<>();
            try (java.util.stream.Stream<Path> files = Files.list(directory.path())) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    boolean temp = name.startsWith(".") && name.endsWith(".tmp");
                    boolean image = SAFE_ID.matcher(name).matches() && !needed.contains(file)
                            && !writing.contains(name);
                    if ((temp || image) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                            && !Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(cutoff)) {
                        orphans.add(file);
                    }
                }
            }
            for (Path orphan : orphans) {
                if (Files.deleteIfExists(orphan)) {
                    LOG.info("store '{}': deleted orphan file {}", id, orphan);
                    removed.add(orphan);
                }
            }
            if (!orphans.isEmpty()) {
                forceDirectory(directory.path());
            }
        }
        return removed;
    }

    private static void requireSafeId(String imageId) {
        Objects.requireNonNull(imageId, "imageId");
        if (!SAFE_ID.matcher(imageId).matches()) {
            throw new IllegalArgumentException("image id '" + imageId.replace("\0", "\\0")
                    + "' cannot name a file: use 1-255 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return "FilesystemImageStore{id=" + id + ", directories=" + dataDirectories() + "}";
    }

    /** Builds a {@link FilesystemImageStore}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final List<DataDirectory> directories = new ArrayList<>();
        private @Nullable Set<PosixFilePermission> filePermissions;
        private boolean thinProvisioning;
        private int chunkSize = 1024 * 1024;
        private SpaceProbe spaceProbe = directory -> Files.getFileStore(directory).getUsableSpace();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("store id must not be blank");
            }
        }

        /** Adds a data directory with priority 0 (Glance's {@code filesystem_store_datadir}). */
        public Builder dataDirectory(Path directory) {
            return dataDirectory(directory, 0);
        }

        /**
         * Adds a data directory with a priority (Glance's {@code filesystem_store_datadirs} entry
         * {@code path:priority}); higher priorities fill first. The directory is created if
         * missing.
         */
        public Builder dataDirectory(Path directory, int priority) {
            Objects.requireNonNull(directory, "directory");
            directories.add(new DataDirectory(directory.toAbsolutePath().normalize(), priority));
            return this;
        }

        /**
         * Sets the permissions of stored image files (Glance's {@code filesystem_store_file_perm});
         * by default files get the process's default permissions. Needs a POSIX file system.
         */
        public Builder filePermissions(Set<PosixFilePermission> permissions) {
            this.filePermissions = Set.copyOf(Objects.requireNonNull(permissions, "permissions"));
            return this;
        }

        /**
         * Whether chunks of zeros are left as holes instead of written (Glance's
         * {@code filesystem_thin_provisioning}); off by default.
         */
        public Builder thinProvisioning(boolean thinProvisioning) {
            this.thinProvisioning = thinProvisioning;
            return this;
        }

        /** Sets the write buffer size in bytes (Glance's {@code filesystem_store_chunk_size}); 1 MiB by default. */
        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 4096 || chunkSize > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("chunkSize must be between 4 KiB and 64 MiB: " + chunkSize);
            }
            this.chunkSize = chunkSize;
            return this;
        }

        Builder spaceProbe(SpaceProbe spaceProbe) {
            this.spaceProbe = Objects.requireNonNull(spaceProbe, "spaceProbe");
            return this;
        }

        /**
         * Creates missing data directories and builds the store.
         *
         * @throws IllegalStateException if no directory was given, directories repeat, nest, or lie
         *     on different file systems, or permissions are set on a non-POSIX file system
         * @throws IOException if a directory cannot be created
         */
        public FilesystemImageStore build() throws IOException {
            if (directories.isEmpty()) {
                throw new IllegalStateException("store '" + id + "' needs at least one data directory");
            }
            FileSystem fs = directories.get(0).path().getFileSystem();
            for (DataDirectory a : directories) {
                if (a.path().getFileSystem() != fs) {
                    throw new IllegalStateException("data directories of store '" + id + "' lie on different file systems");
                }
                for (DataDirectory b : directories) {
                    if (a != b && a.path().startsWith(b.path())) {
                        throw new IllegalStateException("data directory " + a.path() + " of store '" + id
                                + (a.path().equals(b.path()) ? "' is listed twice" : "' lies inside " + b.path()));
                    }
                }
            }
            if (filePermissions != null && !fs.supportedFileAttributeViews().contains("posix")) {
                throw new IllegalStateException("file permissions need a POSIX file system");
            }
            for (DataDirectory directory : directories) {
                Files.createDirectories(directory.path());
            }
            List<DataDirectory> sorted = new ArrayList<>(directories);
            sorted.sort(Comparator.comparingInt(DataDirectory::priority).reversed());
            return new FilesystemImageStore(this, sorted);
        }
    }
}
