package dev.glimpse.image.store.fs;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.VersionConflictException;
import dev.glimpse.image.spi.AccessScope;
import dev.glimpse.image.spi.ImageQueries;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.store.fs.internal.RecordCodec;
import dev.glimpse.image.store.fs.internal.RecordLog;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default catalogue persistence: an {@link ImageRepository} kept in one directory,
 * with no database server to run.
 *
 * <h2>Durability</h2>
 * Every change is one record appended to a log and forced to the device before the call returns;
 * the catalogue is held in memory and rebuilt from the files on {@link #open}. A crash at any
 * moment ({@code kill -9}, power loss) loses no change whose call returned, and never leaves a
 * half-written record: a record cut short by the crash is dropped on the next open, while damage
 * that a crash cannot cause makes {@link #open} fail with {@link CorruptCatalogueException} instead
 * of silently losing data. When the log has grown past the snapshot, it is compacted into a new
 * snapshot (written aside, then renamed atomically).
 *
 * <h2>One writer</h2>
 * Only one {@code FileImageRepository} may have a directory open at a time, in any process: a
 * second {@link #open} fails with {@link CatalogueLockedException} naming the holder. The lock is
 * released by {@link #close()} or when the process dies.
 *
 * <p>Thread-safe: reads are lock-free; writes are serialised, each a compare-and-set checked
 * against the current record. I/O failures while writing surface as {@link UncheckedIOException}
 * (the repository SPI is unchecked) and leave the catalogue unchanged.
 */
public final class FileImageRepository implements ImageRepository, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileImageRepository.class);
    /** The log is compacted once it exceeds this and the snapshot's size. */
    private static final long COMPACT_THRESHOLD = 64L * 1024 * 1024;
    private static final int REPLAY_BATCH = 4096;

    private final long compactThreshold;
    private final Path directory;
    private final ConcurrentMap<String, Image> images = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentSkipListMap<String, ImageMember>> members = new ConcurrentHashMap<>();
    private final ImageQueries.MembershipLookup membership = this::memberStatus;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final RecordLog log;
    private volatile boolean closed;

    private FileImageRepository(Path directory, long compactThreshold) throws IOException {
        this.directory = directory;
        this.compactThreshold = compactThreshold;
        List<byte[]> batch = new ArrayList<>(REPLAY_BATCH);
        this.log = RecordLog.open(directory, payload -> {
            batch.add(payload);
            if (batch.size() == REPLAY_BATCH) {
                replay(batch);
            }
        });
        replay(batch);
    }

    /**
     * Decodes a batch of records on all cores (decoding is most of the cost of opening a large
     * catalogue) and applies them in commit order.
     */
    private void replay(List<byte[]> batch) throws IOException {
        RecordCodec.Record[] decoded = new RecordCodec.Record[batch.size()];
        IOException[] failure = new IOException[1];
        java.util.stream.IntStream.range(0, batch.size()).parallel().forEach(i -> {
            try {
                decoded[i] = RecordCodec.decode(batch.get(i));
            } catch (IOException e) {
                synchronized (failure) {
                    failure[0] = e;
                }
            }
        });
        if (failure[0] != null) {
            throw new CorruptCatalogueException("catalogue " + directory + " holds a record that cannot be read: "
                    + failure[0].getMessage());
        }
        for (RecordCodec.Record record : decoded) {
            apply(record);
        }
        batch.clear();
    }

    /**
     * Opens the catalogue in {@code directory}, creating it if it does not exist, and takes its
     * write lock.
     *
     * @throws CatalogueLockedException if another repository, in this or another process, has it open
     * @throws CorruptCatalogueException if its files are damaged beyond what a crash leaves
     * @throws IOException if the files cannot be read or created
     */
    public static FileImageRepository open(Path directory) throws IOException {
        return open(directory, COMPACT_THRESHOLD);
    }

    /** Opens with a compaction threshold: tests use a small one to compact often. */
    static FileImageRepository open(Path directory, long compactThreshold) throws IOException {
        Objects.requireNonNull(directory, "directory");
        FileImageRepository repository = new FileImageRepository(directory, compactThreshold);
        try {
            repository.compactIfLarge();
        } catch (IOException | RuntimeException e) {
            repository.close();
            throw e;
        }
        LOG.debug("opened catalogue {} with {} images", directory, repository.images.size());
        return repository;
    }

    /** The directory holding the catalogue. */
    public Path directory() {
        return directory;
    }

    private void apply(RecordCodec.Record record) throws IOException {
        switch (record.type()) {
            case "image" -> images.put(record.image().id(), record.image());
            case "purge" -> {
                images.remove(record.imageId());
                members.remove(record.imageId());
            }
            case "member" -> members.computeIfAbsent(record.member().imageId(), k -> new ConcurrentSkipListMap<>())
                    .put(record.member().memberId(), record.member());
            case "unmember" -> {
                Map<String, ImageMember> ofImage = members.get(record.imageId());
                if (ofImage != null) {
                    ofImage.remove(record.memberId());
                }
            }
            default -> throw new IOException("unknown record type " + record.type());
        }
    }

    /** Appends a record under the write lock; the caller applies it to memory only if this returns. */
    private void commit(byte[] record) {
        if (closed) {
            throw new IllegalStateException("catalogue " + directory + " is closed");
        }
        try {
            log.append(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to catalogue " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Image create(Image image) {
        Objects.requireNonNull(image, "image");
        Image stored = image.toBuilder().version(1).build();
        writeLock.lock();
        try {
            if (images.containsKey(stored.id())) {
                throw new ConflictException("an image with id " + image.id() + " already exists");
            }
            commit(RecordCodec.image(stored));
            images.put(stored.id(), stored);
            afterWrite();
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<Image> get(String id) {
        return Optional.ofNullable(images.get(Objects.requireNonNull(id, "id")));
    }

    @Override
    public Image update(Image image) {
        Objects.requireNonNull(image, "image");
        writeLock.lock();
        try {
            Image current = images.get(image.id());
            if (current == null) {
                throw new NotFoundException("image " + image.id() + " not found");
            }
            if (current.version() != image.version()) {
                throw new VersionConflictException("image " + image.id() + " was changed concurrently (read version "
                        + image.version() + ", stored version " + current.version() + ")");
            }
            Image stored = image.toBuilder().version(current.version() + 1).build();
            commit(RecordCodec.image(stored));
            images.put(stored.id(), stored);
            afterWrite();
            return stored;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean purge(String id) {
        Objects.requireNonNull(id, "id");
        writeLock.lock();
        try {
            if (!images.containsKey(id) && !members.containsKey(id)) {
                return false;
            }
            commit(RecordCodec.purge(id));
            members.remove(id);
            boolean existed = images.remove(id) != null;
            afterWrite();
            return existed;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<Image> list(ImageQuery query, AccessScope scope, int limit) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(scope, "scope");
        Image marker = ImageQueries.resolveMarker(query, scope, membership, this::get);
        return ImageQueries.page(images.values(), query, scope, membership, limit, marker);
    }

    @Override
    public ImageMember addMember(ImageMember member) {
        Objects.requireNonNull(member, "member");
        writeLock.lock();
        try {
            if (!images.containsKey(member.imageId())) {
                throw new NotFoundException("image " + member.imageId() + " not found");
            }
            Map<String, ImageMember> ofImage = members.get(member.imageId());
            if (ofImage != null && ofImage.containsKey(member.memberId())) {
                throw new ConflictException("project " + member.memberId() + " is already a member of image "
                        + member.imageId());
            }
            commit(RecordCodec.member(member));
            members.computeIfAbsent(member.imageId(), k -> new ConcurrentSkipListMap<>()).put(member.memberId(), member);
            afterWrite();
            return member;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<ImageMember> getMember(String imageId, String memberId) {
        Map<String, ImageMember> ofImage = members.get(imageId);
        return ofImage == null ? Optional.empty() : Optional.ofNullable(ofImage.get(memberId));
    }

    @Override
    public List<ImageMember> listMembers(String imageId) {
        Map<String, ImageMember> ofImage = members.get(imageId);
        return ofImage == null ? List.of() : List.copyOf(ofImage.values());
    }

    @Override
    public ImageMember updateMember(ImageMember member) {
        Objects.requireNonNull(member, "member");
        writeLock.lock();
        try {
            Map<String, ImageMember> ofImage = members.get(member.imageId());
            if (ofImage == null || !ofImage.containsKey(member.memberId())) {
                throw new NotFoundException("project " + member.memberId() + " is not a member of image "
                        + member.imageId());
            }
            commit(RecordCodec.member(member));
            ofImage.put(member.memberId(), member);
            afterWrite();
            return member;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean removeMember(String imageId, String memberId) {
        writeLock.lock();
        try {
            Map<String, ImageMember> ofImage = members.get(imageId);
            if (ofImage == null || !ofImage.containsKey(memberId)) {
                return false;
            }
            commit(RecordCodec.unmember(imageId, memberId));
            ofImage.remove(memberId);
            afterWrite();
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    private Optional<MemberStatus> memberStatus(String imageId, String projectId) {
        Map<String, ImageMember> ofImage = members.get(imageId);
        if (ofImage == null) {
            return Optional.empty();
        }
        ImageMember m = ofImage.get(projectId);
        return m == null ? Optional.empty() : Optional.of(m.status());
    }

    /** Compaction failures must not fail a write that is already durable: they are logged and retried later. */
    private void afterWrite() {
        try {
            compactIfLarge();
        } catch (IOException | RuntimeException e) {
            LOG.warn("compaction of catalogue {} failed; the log keeps growing until it succeeds", directory, e);
        }
    }

    private void compactIfLarge() throws IOException {
        if (log.logSize() > compactThreshold && log.logSize() > log.snapshotSize()) {
            compact();
        }
    }

    /**
     * Rewrites the catalogue as a fresh snapshot and empties the log. Happens by itself as the log
     * grows; calling it only makes the next {@link #open} faster.
     *
     * @throws IOException if the snapshot cannot be written; the catalogue is unchanged
     */
    public void compact() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("catalogue " + directory + " is closed");
            }
            List<Image> allImages = new ArrayList<>(images.values());
            List<ImageMember> allMembers = new ArrayList<>();
            members.values().forEach(m -> allMembers.addAll(m.values()));
            log.compact(() -> new Iterator<byte[]>() {
                private int image;
                private int member;

                @Override
                public boolean hasNext() {
                    return image < allImages.size() || member < allMembers.size();
                }

                @Override
                public byte[] next() {
                    // Images first: a member's image must exist before it on replay.
                    return image < allImages.size() ? RecordCodec.image(allImages.get(image++))
                            : RecordCodec.member(allMembers.get(member++));
                }
            });
        } finally {
            writeLock.unlock();
        }
    }

    /** Every image held, deleted ones included, in no particular order: a copy, for sweeps such as recovery. */
    public List<Image> images() {
        return List.copyOf(images.values());
    }

    /** The number of images held, deleted ones included. */
    public int size() {
        return images.size();
    }

    /** Closes the files and releases the lock; further writes fail. */
    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (!closed) {
                closed = true;
                log.close();
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FileImageRepository{" + directory + "}";
    }
}
