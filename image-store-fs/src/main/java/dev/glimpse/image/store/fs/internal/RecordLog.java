package dev.glimpse.image.store.fs.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;
import dev.glimpse.image.store.fs.CatalogueLockedException;
import dev.glimpse.image.store.fs.CorruptCatalogueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, crash-safe sequence of opaque records in one directory: a snapshot file plus an
 * append-only log, both made of frames {@code [length:int][crc32c:int][payload]} after a header.
 *
 * <ul>
 *   <li>{@link #append} writes one frame at the end of the log and forces it to the device before
 *       returning: a returned append survives a crash; a record is applied whole or not at all.</li>
 *   <li>On open, a torn tail (a frame cut short, or zeros where a frame should be, as a crash in
 *       the middle of a write leaves) is truncated away. A complete frame whose checksum fails with
 *       more data after it is not a crash artefact but damage: opening fails rather than silently
 *       dropping committed records.</li>
 *   <li>{@link #compact} writes every live record to a new snapshot (temp file, force, atomic
 *       rename, force the directory) and only then empties the log. Replaying records is required
 *       to be idempotent (each record carries the full new state of what it changes), so a crash
 *       between the rename and the truncation, which replays the old log over the new snapshot,
 *       gives the same state.</li>
 *   <li>A lock file held with {@link FileChannel#tryLock()} keeps a second writer, in this or
 *       another process, out.</li>
 * </ul>
 *
 * <p>Not thread-safe: the owner serialises calls.
 */
public final class RecordLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordLog.class);
    private static final byte[] LOG_HEADER = "GLIMPSE-LOG 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SNAPSHOT_HEADER = "GLIMPSE-SNAPSHOT 1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FRAME_HEADER = 8;
    /** Larger frames are taken as damage: no record comes near this. */
    static final int MAX_FRAME = 256 * 1024 * 1024;

    /** Receives each record on open, in commit order. */
    @FunctionalInterface
    public interface Replay {
        /** Applies one record; a failure aborts the open. */
        void apply(byte[] payload) throws IOException;
    }

    private static final java.util.Set<Path> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final String HOST = hostName();

    private final Path directory;
    private final Path key;
    private final Path logFile;
    private final Path snapshotFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel log;
    private long logSize;
    private long snapshotSize;
    private boolean broken;

    private RecordLog(Path directory, Path key, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.key = key;
        this.logFile = directory.resolve("catalogue.log");
        this.snapshotFile = directory.resolve("catalogue.snapshot");
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) the log in {@code directory}, locks it, and replays every record.
     *
     * @throws CatalogueLockedException if another writer holds the lock
     * @throws CorruptCatalogueException if a file is damaged beyond a torn tail
     */
    public static RecordLog open(Path directory, Replay replay) throws IOException {
        Objects.requireNonNull(replay, "replay");
        Files.createDirectories(directory);
        Path key = directory.toRealPath();
        if (!OPEN.add(key)) {
            // File locks are per process, and some file systems (Jimfs) do not enforce them at all.
            throw new CatalogueLockedException("catalogue " + directory + " is already open for writing in this "
                    + "process; only one writer may open it at a time");
        }
        try {
            return open(directory, key, replay);
        } catch (IOException | RuntimeException | Error e) {
            OPEN.remove(key);
            throw e;
        }
    }

    private static RecordLog open(Path directory, Path key, Replay replay) throws IOException {
        Path lockFile = directory.resolve("catalogue.lock");
        FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            String holder = readHolder(lockChannel);
            lockChannel.close();
            throw new CatalogueLockedException("catalogue " + directory + " is already open for writing by another "
                    + (holder.isEmpty() ? "process" : "process (" + holder + ")")
                    + "; only one process may open it at a time (lock file " + lockFile + ")");
        }
        RecordLog recordLog = new RecordLog(directory, key, lockChannel, lock);
        try {
            recordLog.writeHolder();
            recordLog.load(replay);
            return recordLog;
        } catch (IOException | RuntimeException | Error e) {
            recordLog.close();
            throw e;
        }
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private void writeHolder() throws IOException {
        String holder = "pid " + ProcessHandle.current().pid() + " on " + HOST;
        lockChannel.truncate(0);
        lockChannel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    private void load(Replay replay) throws IOException {
        Files.deleteIfExists(directory.resolve("catalogue.snapshot.tmp"));
        if (Files.exists(snapshotFile)) {
            try (FileChannel snapshot = FileChannel.open(snapshotFile, StandardOpenOption.READ)) {
                snapshotSize = snapshot.size();
                long end = readFrames(snapshot, SNAPSHOT_HEADER, replay, snapshotFile);
                if (end != snapshotSize) {
                    // Snapshots are renamed into place only when complete: a torn one is damage.
                    throw new CorruptCatalogueException("snapshot " + snapshotFile + " is damaged at offset " + end);
                }
            }
        }
        log = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (log.size() < LOG_HEADER.length) {
            // New, or torn while its header was being written: nothing was ever committed to it.
            log.truncate(0);
            log.write(ByteBuffer.wrap(LOG_HEADER), 0);
            log.force(true);
            forceDirectory();
            logSize = LOG_HEADER.length;
            return;
        }
        long end = readFrames(log, LOG_HEADER, replay, logFile);
        if (end < log.size()) {
            LOG.warn("catalogue log {}: truncating {} bytes of an incomplete last record left by a crash",
                    logFile, log.size() - end);
            log.truncate(end);
            log.force(true);
        }
        logSize = end;
    }

    /** Replays frames and returns where the valid frames end (a torn tail starts there). */
    private static long readFrames(FileChannel channel, byte[] header, Replay replay, Path file) throws IOException {
        long size = channel.size();
        if (size < header.length) {
            throw new CorruptCatalogueException(file + " is too short to be a Glimpse catalogue file");
        }
        byte[] actualHeader = new byte[header.length];
        readFully(channel, ByteBuffer.wrap(actualHeader), 0);
        if (!Arrays.equals(actualHeader, header)) {
            throw new CorruptCatalogueException(file + " is not a Glimpse catalogue file (bad header)");
        }
        long position = header.length;
        // Large sequential reads: the whole catalogue is read on open.
        ByteBuffer window = ByteBuffer.allocate(4 * 1024 * 1024);
        long windowStart = position;
        window.limit(0);
        CRC32C crc = new CRC32C();
        while (position < size) {
            if (size - position < FRAME_HEADER) {
                return tornOrCorrupt(channel, position, size, file);
            }
            if (windowStart + window.limit() - position < FRAME_HEADER) {
                windowStart = fill(channel, window, position);
            }
            int at = (int) (position - windowStart);
            int length = window.getInt(at);
            int expectedCrc = window.getInt(at + 4);
            if (length <= 0 || length > MAX_FRAME || position + FRAME_HEADER + length > size) {
                return tornOrCorrupt(channel, position, size, file);
            }
            byte[] payload = new byte[length];
            if (FRAME_HEADER + length <= window.capacity()) {
                if (windowStart + window.limit() < position + FRAME_HEADER + length) {
                    windowStart = fill(channel, window, position);
                }
                window.get((int) (position - windowStart) + FRAME_HEADER, payload);
            } else {
                readFully(channel, ByteBuffer.wrap(payload), position + FRAME_HEADER);
            }
            crc.reset();
            crc.update(payload, 0, length);
            if ((int) crc.getValue() != expectedCrc) {
                if (position + FRAME_HEADER + length == size) {
                    return position; // the last frame, written only in part
                }
                return tornOrCorrupt(channel, position, size, file);
            }
            replay.apply(payload);
            position += FRAME_HEADER + length;
        }
        return position;
    }

    /** Fills the window with the file's bytes from {@code position}; returns the window's start. */
    private static long fill(FileChannel channel, ByteBuffer window, long position) throws IOException {
        window.clear();
        while (window.hasRemaining()) {
            int n = channel.read(window, position + window.position());
            if (n < 0) {
                break;
            }
        }
        window.flip();
        return position;
    }

    /** A bad frame at {@code position}: a torn tail if only zeros or a cut frame follow, else damage. */
    private static long tornOrCorrupt(FileChannel channel, long position, long size, Path file) throws IOException {
        ByteBuffer rest = ByteBuffer.allocate(64 * 1024);
        long offset = position;
        boolean zeros = true;
        while (offset < size && zeros) {
            rest.clear();
            int n = channel.read(rest, offset);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (rest.get(i) != 0) {
                    zeros = false;
                    break;
                }
            }
            offset += n;
        }
        if (zeros) {
            return position;
        }
        // Not all zeros: accept it as torn only if it is a single frame header whose length runs past the end.
        ByteBuffer header = ByteBuffer.allocate(FRAME_HEADER);
        if (size - position >= FRAME_HEADER) {
            readFully(channel, header, position);
            int length = header.getInt(0);
            if (length > 0 && length <= MAX_FRAME && position + FRAME_HEADER + length > size) {
                return position;
            }
        } else {
            return position;
        }
        throw new CorruptCatalogueException(file + " is damaged at offset " + position + " of " + size
                + ": a record fails its checksum and committed records follow it; restore it from a backup");
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new CorruptCatalogueException("unexpected end of catalogue file at offset " + at);
            }
            at += n;
        }
    }

    /** Appends one record and forces it to the device. */
    public void append(byte[] payload) throws IOException {
        ensureUsable();
        if (payload.length == 0 || payload.length > MAX_FRAME) {
            throw new IllegalArgumentException("record size out of range: " + payload.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, payload.length);
        ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER + payload.length);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        long start = logSize;
        try {
            long at = start;
            while (frame.hasRemaining()) {
                at += log.write(frame, at);
            }
            log.force(false);
        } catch (IOException | RuntimeException e) {
            // Cut the partial frame off so the next append does not follow garbage.
            try {
                log.truncate(start);
                log.force(false);
            } catch (IOException | RuntimeException truncateFailure) {
                broken = true;
                e.addSuppressed(truncateFailure);
            }
            throw e;
        }
        logSize = start + FRAME_HEADER + payload.length;
    }

    /**
     * Replaces the snapshot with {@code records} (the whole live state) and empties the log.
     */
    public void compact(Iterable<byte[]> records) throws IOException {
        ensureUsable();
        Path temp = directory.resolve("catalogue.snapshot.tmp");
        long size;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);
            buffer.put(SNAPSHOT_HEADER);
            CRC32C crc = new CRC32C();
            for (byte[] record : records) {
                if (buffer.remaining() < FRAME_HEADER + record.length) {
                    flush(out, buffer);
                }
                crc.reset();
                crc.update(record, 0, record.length);
                if (buffer.remaining() < FRAME_HEADER + record.length) {
                    ByteBuffer big = ByteBuffer.allocate(FRAME_HEADER + record.length);
                    big.putInt(record.length).putInt((int) crc.getValue()).put(record);
                    flush(out, big);
                } else {
                    buffer.putInt(record.length).putInt((int) crc.getValue()).put(record);
                }
            }
            flush(out, buffer);
            out.force(true);
            size = out.size();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, snapshotFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        snapshotSize = size;
        try {
            log.truncate(LOG_HEADER.length);
            log.force(true);
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        }
        logSize = LOG_HEADER.length;
    }

    private static void flush(FileChannel out, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {}: {}", directory, e.toString());
        }
    }

    private void ensureUsable() throws IOException {
        if (broken) {
            throw new IOException("catalogue log " + logFile + " failed to recover from a write error; reopen it");
        }
        if (log == null || !log.isOpen()) {
            throw new IOException("catalogue log " + logFile + " is closed");
        }
    }

    /** Bytes in the log after the snapshot, header included. */
    public long logSize() {
        return logSize;
    }

    /** Bytes in the snapshot, or 0 if there is none. */
    public long snapshotSize() {
        return snapshotSize;
    }

    /** Closes the files and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            if (log != null) {
                log.close();
            }
        } finally {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
            } finally {
                try {
                    lockChannel.close();
                } finally {
                    OPEN.remove(key);
                }
            }
        }
    }
}
