package dev.glimpse.image.internal.data;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.Inspection;
import dev.glimpse.image.format.StreamingInspection;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over an upload: the calling thread reads the stream into pooled chunks and runs the
 * {@link SizeGuard}; each chunk then goes, by reference, to independent stages on their own
 * threads: the MD5 {@code checksum}, the multihash, the streaming format inspection, and the store
 * write. So the pass runs at the speed of its slowest stage, not the sum of their costs, and memory
 * is bounded by the pool ({@code depth} chunks of {@code chunkSize} bytes) whatever the image size.
 *
 * <p>All or nothing: if anything fails (the source, a limit, a stage, an interrupt), every stage is
 * stopped, the store write is aborted (the store deletes its partial data) or, if it had already
 * completed, the stored data is deleted, and the first failure is thrown. The format verdict is not
 * taken here: the result carries the inspection (or its failure) for the caller to judge, and the
 * caller deletes the stored data if it refuses the image.
 *
 * <p>Thread-safe; one instance serves any number of concurrent uploads.
 */
public final class UploadPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(UploadPipeline.class);
    private static final ExecutorService SHARED = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread thread = new Thread(r, "glimpse-upload-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    /**
     * What one upload produced.
     *
     * @param stored where the store put the data
     * @param size the number of bytes read
     * @param checksum the MD5 hex digest (Glance's {@code checksum})
     * @param hashAlgorithm the multihash algorithm ({@code os_hash_algo})
     * @param hashValue the multihash hex digest ({@code os_hash_value})
     * @param inspection what the streaming inspection found, or null if there was none or it failed
     * @param inspectionFailure why the inspection refused the data, or null
     */
    public record Result(StoredImage stored, long size, String checksum, String hashAlgorithm, String hashValue,
            @Nullable Inspection inspection, @Nullable ImageFormatException inspectionFailure) {}

    private final int chunkSize;
    private final int depth;
    private final ExecutorService executor;

    /**
     * Creates a pipeline.
     *
     * @param chunkSize the bytes per chunk
     * @param depth the number of chunks in flight per upload; memory per upload is
     *     {@code chunkSize * depth}
     */
    public UploadPipeline(int chunkSize, int depth) {
        this(chunkSize, depth, SHARED);
    }

    UploadPipeline(int chunkSize, int depth, ExecutorService executor) {
        if (chunkSize < 4096) {
            throw new IllegalArgumentException("chunkSize must be at least 4 KiB: " + chunkSize);
        }
        if (depth < 2) {
            throw new IllegalArgumentException("depth must be at least 2: " + depth);
        }
        this.chunkSize = chunkSize;
        this.depth = depth;
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Returns a pipeline of 8 chunks of 1 MiB: 8 MiB per upload. */
    public static UploadPipeline defaults() {
        return new UploadPipeline(1024 * 1024, 8);
    }

    /**
     * Runs one upload. The caller keeps ownership of {@code source}.
     *
     * @param source the image bytes
     * @param store where to write them
     * @param imageId the image id, passed to the store
     * @param guard the size limits; its declared size is passed to the store
     * @param hashAlgorithm Glance's name of the multihash algorithm, e.g. {@code sha512}
     * @param inspection the streaming inspection to feed, or null for none
     * @return what was stored and measured
     * @throws dev.glimpse.image.ImageException if a size limit is exceeded
     * @throws IOException if the source or the store fails; nothing is left in the store
     */
    public Result run(InputStream source, ImageStore store, String imageId, SizeGuard guard, String hashAlgorithm,
            @Nullable StreamingInspection inspection) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(guard, "guard");
        Run run = new Run(store, imageId, guard, hashAlgorithm, inspection);
        return run.execute(source);
    }

    /** A buffer of the pool, shared by reference among the stages until each has released it. */
    private static final class Chunk {
        final byte[] data;
        int length;
        final AtomicInteger refs = new AtomicInteger();

        Chunk(int size) {
            this.data = new byte[size];
        }
    }

    private static final Chunk END = new Chunk(0);
    private static final Chunk ABORT = new Chunk(0);

    private final class Run {
        private final ImageStore store;
        private final String imageId;
        private final SizeGuard guard;
        private final String hashAlgorithm;
        private final @Nullable StreamingInspection inspection;
        private final BlockingQueue<Chunk> pool;
        private final List<BlockingQueue<Chunk>> inboxes = new ArrayList<>();
        private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

        Run(ImageStore store, String imageId, SizeGuard guard, String hashAlgorithm,
                @Nullable StreamingInspection inspection) {
            this.store = store;
            this.imageId = imageId;
            this.guard = guard;
            this.hashAlgorithm = hashAlgorithm;
            this.inspection = inspection;
            this.pool = new ArrayBlockingQueue<>(depth);
            for (int i = 0; i < depth; i++) {
                pool.add(new Chunk(chunkSize));
            }
        }

        private BlockingQueue<Chunk> newInbox() {
            // A chunk is in at most one place per stage, so depth + 1 (for END/ABORT) never blocks.
            BlockingQueue<Chunk> inbox = new ArrayBlockingQueue<>(depth + 1);
            inboxes.add(inbox);
            return inbox;
        }

        private void release(Chunk chunk) {
            if (chunk.refs.decrementAndGet() == 0) {
                pool.add(chunk);
            }
        }

        private void fail(Throwable t) {
            failure.compareAndSet(null, t);
        }

        Result execute(InputStream source) throws IOException {
            MessageDigest md5 = HashAlgorithms.digest("md5");
            MessageDigest multihash = HashAlgorithms.digest(hashAlgorithm);
            BlockingQueue<Chunk> md5Inbox = newInbox();
            BlockingQueue<Chunk> hashInbox = newInbox();
            BlockingQueue<Chunk> inspectInbox = inspection != null ? newInbox() : null;
            BlockingQueue<Chunk> storeInbox = newInbox();

            Future<byte[]> md5Done = executor.submit(() -> consume(md5Inbox, c -> md5.update(c.data, 0, c.length),
                    md5::digest));
            Future<byte[]> hashDone = executor.submit(() -> consume(hashInbox,
                    c -> multihash.update(c.data, 0, c.length), multihash::digest));
            Future<Object> inspectDone = inspectInbox == null ? null : executor.submit(() -> consume(inspectInbox,
                    c -> inspection.update(c.data, 0, c.length), this::finishInspection));
            Future<StoredImage> storeDone = executor.submit(() -> writeToStore(storeInbox));

            long total = 0;
            boolean ended = false;
            try {
                while (true) {
                    Throwable stageFailure = failure.get();
                    if (stageFailure != null) {
                        throw stageFailure;
                    }
                    Chunk chunk = pool.take();
                    int n = source.readNBytes(chunk.data, 0, chunk.data.length);
                    if (n == 0) {
                        pool.add(chunk);
                        break;
                    }
                    total += n;
                    chunk.length = n;
                    try {
                        guard.check(total);
                    } catch (RuntimeException e) {
                        pool.add(chunk);
                        throw e;
                    }
                    chunk.refs.set(inboxes.size());
                    for (BlockingQueue<Chunk> inbox : inboxes) {
                        inbox.add(chunk);
                    }
                    if (n < chunk.data.length) {
                        break;
                    }
                }
                guard.checkEnd(total);
                ended = true;
                for (BlockingQueue<Chunk> inbox : inboxes) {
                    inbox.add(END);
                }
            } catch (Throwable t) {
                fail(t);
            }
            if (!ended) {
                for (BlockingQueue<Chunk> inbox : inboxes) {
                    inbox.add(ABORT);
                }
            }

            byte[] md5Digest = await(md5Done);
            byte[] hashDigest = await(hashDone);
            Object inspected = inspectDone == null ? null : await(inspectDone);
            StoredImage stored = await(storeDone);
            Throwable first = failure.get();
            if (first != null) {
                if (stored != null) {
                    deleteStored(stored, first);
                }
                throw rethrow(first);
            }
            if (stored == null) {
                throw new IllegalStateException("store stage ended without a result or a failure");
            }
            HexFormat hex = HexFormat.of();
            return new Result(stored, total, hex.formatHex(md5Digest), hashAlgorithm, hex.formatHex(hashDigest),
                    inspected instanceof Inspection i ? i : null,
                    inspected instanceof ImageFormatException e ? e : null);
        }

        private Object finishInspection() {
            try {
                return inspection.finish();
            } catch (ImageFormatException e) {
                return e;
            }
        }

        private void deleteStored(StoredImage stored, Throwable cause) {
            try {
                store.delete(stored.location());
            } catch (IOException | RuntimeException e) {
                LOG.error("could not delete data of failed upload of image {} at {}", imageId, stored.location(), e);
                cause.addSuppressed(e);
            }
        }

        /** Runs one digest or inspection stage to END; after a failure it only releases chunks. */
        private <T> @Nullable T consume(BlockingQueue<Chunk> inbox, ChunkConsumer process, java.util.function.Supplier<T> end)
                throws InterruptedException {
            boolean failed = false;
            while (true) {
                Chunk chunk = inbox.take();
                if (chunk == END) {
                    return failed ? null : end.get();
                }
                if (chunk == ABORT) {
                    return null;
                }
                try {
                    if (!failed) {
                        process.accept(chunk);
                    }
                } catch (RuntimeException | Error e) {
                    failed = true;
                    fail(e);
                } finally {
                    release(chunk);
                }
            }
        }

        private @Nullable StoredImage writeToStore(BlockingQueue<Chunk> inbox) throws InterruptedException {
            ChunkInputStream in = new ChunkInputStream(inbox);
            try {
                StoredImage stored = store.write(imageId, in, guard.declaredSize());
                in.drain();
                return stored;
            } catch (IOException | RuntimeException | Error e) {
                if (!in.aborted) {
                    fail(e);
                }
                in.drain();
                return null;
            }
        }

        /** The store's view of the chunks: an input stream that ends at END and fails at ABORT. */
        private final class ChunkInputStream extends InputStream {
            private final BlockingQueue<Chunk> inbox;
            private @Nullable Chunk current;
            private int position;
            private boolean ended;
            boolean aborted;

            ChunkInputStream(BlockingQueue<Chunk> inbox) {
                this.inbox = inbox;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                if (!advance()) {
                    return -1;
                }
                int n = Math.min(len, current.length - position);
                System.arraycopy(current.data, position, b, off, n);
                position += n;
                return n;
            }

            /** Hands each chunk to {@code out} as it is, without copying it first. */
            @Override
            public long transferTo(java.io.OutputStream out) throws IOException {
                Objects.requireNonNull(out, "out");
                long transferred = 0;
                while (advance()) {
                    int n = current.length - position;
                    out.write(current.data, position, n);
                    position += n;
                    transferred += n;
                }
                return transferred;
            }

            /** Makes {@code current} a chunk with bytes left; false at END. */
            private boolean advance() throws IOException {
                if (current != null && position < current.length) {
                    return true;
                }
                if (current != null) {
                    release(current);
                    current = null;
                }
                if (ended) {
                    return false;
                }
                Chunk next;
                try {
                    next = inbox.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("upload interrupted");
                }
                if (next == END) {
                    ended = true;
                    return false;
                }
                if (next == ABORT) {
                    ended = true;
                    aborted = true;
                    throw new IOException("upload aborted: " + failure.get());
                }
                current = next;
                position = 0;
                return true;
            }

            /** Releases whatever the store did not read, up to END or ABORT. */
            void drain() throws InterruptedException {
                if (current != null) {
                    release(current);
                    current = null;
                }
                while (!ended) {
                    Chunk next = inbox.take();
                    if (next == END || next == ABORT) {
                        ended = true;
                    } else {
                        release(next);
                    }
                }
            }
        }
    }

    @FunctionalInterface
    private interface ChunkConsumer {
        void accept(Chunk chunk);
    }

    /** Waits for a stage, even if interrupted: its cleanup must finish before the upload returns. */
    private static <T> @Nullable T await(Future<T> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    // Stages report failures through fail(); an escaping exception is a bug.
                    throw new IllegalStateException("upload stage failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            InterruptedIOException e = new InterruptedIOException("upload interrupted");
            e.initCause(t);
            return e;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IOException(t);
    }
}
