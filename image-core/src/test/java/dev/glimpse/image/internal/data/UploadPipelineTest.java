package dev.glimpse.image.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.QuotaExceededException;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.Inspection;
import dev.glimpse.image.format.StreamingInspection;
import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.MemoryImageStore;
import dev.glimpse.image.store.StorageFullException;
import dev.glimpse.image.store.StoreCapability;
import dev.glimpse.image.store.StoreLocation;
import dev.glimpse.image.store.StoredImage;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class UploadPipelineTest {
    private static final int CHUNK = 64 * 1024;
    private final UploadPipeline pipeline = new UploadPipeline(CHUNK, 4);
    private final MemoryImageStore store = new MemoryImageStore("mem");

    private static byte[] random(int n, long seed) {
        byte[] data = new byte[n];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    private byte[] stored(StoredImage image) throws IOException {
        try (InputStream in = store.read(image.location())) {
            return in.readAllBytes();
        }
    }

    @Test
    void onePassComputesBothDigestsAndStoresTheBytes() throws Exception {
        byte[] data = random(5 * CHUNK + 3, 1);
        UploadPipeline.Result result = pipeline.run(new ByteArrayInputStream(data), store, "img",
                SizeGuard.of(SizeGuard.UNKNOWN, -1), "sha512", null);
        assertThat(result.size()).isEqualTo(data.length);
        assertThat(result.checksum()).isEqualTo(hex("MD5", data));
        assertThat(result.hashAlgorithm()).isEqualTo("sha512");
        assertThat(result.hashValue()).isEqualTo(hex("SHA-512", data));
        assertThat(stored(result.stored())).isEqualTo(data);
        assertThat(result.inspection()).isNull();
    }

    @Test
    void multihashAlgorithmIsConfigurable() throws Exception {
        byte[] data = random(1000, 2);
        UploadPipeline.Result result = pipeline.run(new ByteArrayInputStream(data), store, "img",
                SizeGuard.of(1000, -1), "sha256", null);
        assertThat(result.hashValue()).isEqualTo(hex("SHA-256", data));
        assertThatThrownBy(() -> pipeline.run(new ByteArrayInputStream(data), store, "img2",
                SizeGuard.of(1000, -1), "crc32", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("crc32");
        assertThat(store.imageCount()).isEqualTo(1);
    }

    @Test
    void emptyUploadIsStored() throws Exception {
        UploadPipeline.Result result = pipeline.run(InputStream.nullInputStream(), store, "img",
                SizeGuard.of(0, -1), "sha512", null);
        assertThat(result.size()).isZero();
        assertThat(result.checksum()).isEqualTo(hex("MD5", new byte[0]));
        assertThat(stored(result.stored())).isEmpty();
    }

    @Test
    void inspectionSeesEveryByteInOrder() throws Exception {
        byte[] data = random(7 * CHUNK + 11, 3);
        RecordingInspection inspection = new RecordingInspection();
        UploadPipeline.Result result = pipeline.run(new ByteArrayInputStream(data), store, "img",
                SizeGuard.of(data.length, -1), "sha512", inspection);
        assertThat(inspection.digest()).isEqualTo(hex("SHA-256", data));
        assertThat(result.inspection()).isNotNull();
        assertThat(result.inspection().actualSize()).isEqualTo(data.length);
        assertThat(result.inspectionFailure()).isNull();
    }

    @Test
    void inspectionVerdictIsReturnedForTheCallerToJudge() throws Exception {
        RecordingInspection inspection = new RecordingInspection();
        inspection.verdict = new ImageFormatException("polyglot: qcow2, vmdk");
        UploadPipeline.Result result = pipeline.run(new ByteArrayInputStream(new byte[100]), store, "img",
                SizeGuard.of(100, -1), "sha512", inspection);
        assertThat(result.inspection()).isNull();
        assertThat(result.inspectionFailure()).hasMessageContaining("polyglot");
    }

    @Test
    void sizeCapStopsTheUploadAndLeavesNothing() {
        byte[] data = random(10 * CHUNK, 4);
        assertThatThrownBy(() -> pipeline.run(new ByteArrayInputStream(data), store, "img",
                SizeGuard.of(SizeGuard.UNKNOWN, 3 * CHUNK), "sha512", null))
                .isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("image_size_cap");
        assertThat(store.imageCount()).isZero();
    }

    @Test
    void declaredSizeOverTheCapFailsBeforeReading() {
        assertThatThrownBy(() -> SizeGuard.of(1001, 1000)).isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void moreOrFewerBytesThanDeclaredFailAndLeaveNothing() {
        assertThatThrownBy(() -> pipeline.run(new ByteArrayInputStream(random(3 * CHUNK, 5)), store, "img",
                SizeGuard.of(CHUNK, -1), "sha512", null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("exceeds its declared size");
        assertThatThrownBy(() -> pipeline.run(new ByteArrayInputStream(random(CHUNK - 1, 5)), store, "img",
                SizeGuard.of(CHUNK, -1), "sha512", null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("were declared");
        assertThat(store.imageCount()).isZero();
    }

    @Test
    void extraLimitsAreCheckedAsBytesArrive() {
        AtomicLong seenAtFailure = new AtomicLong();
        SizeGuard guard = SizeGuard.of(SizeGuard.UNKNOWN, -1).limit(2 * CHUNK, seen -> {
            seenAtFailure.set(seen);
            return new QuotaExceededException("storage quota of project p exceeded");
        });
        assertThatThrownBy(() -> pipeline.run(new ByteArrayInputStream(random(10 * CHUNK, 6)), store, "img", guard,
                "sha512", null))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("storage quota");
        assertThat(seenAtFailure.get()).isEqualTo(3L * CHUNK);
        assertThat(store.imageCount()).isZero();
    }

    @Test
    void failingSourceLeavesNothing() {
        IOException boom = new IOException("client disconnected");
        InputStream source = new FilterInputStream(new ByteArrayInputStream(random(10 * CHUNK, 7))) {
            private int reads;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++reads > 5) {
                    throw boom;
                }
                return super.read(b, off, Math.min(len, CHUNK / 2));
            }
        };
        assertThatThrownBy(() -> pipeline.run(source, store, "img", SizeGuard.of(SizeGuard.UNKNOWN, -1), "sha512", null))
                .isSameAs(boom);
        assertThat(store.imageCount()).isZero();
    }

    @Test
    void failingStoreStopsTheUpload() {
        ImageStore full = new DelegatingStore(store) {
            @Override
            public StoredImage write(String imageId, InputStream data, long expectedSize) throws IOException {
                data.readNBytes(2 * CHUNK);
                throw new StorageFullException("disk full");
            }
        };
        AtomicLong read = new AtomicLong();
        InputStream source = counting(new ByteArrayInputStream(random(100 * CHUNK, 8)), read);
        assertThatThrownBy(() -> pipeline.run(source, full, "img", SizeGuard.of(SizeGuard.UNKNOWN, -1), "sha512", null))
                .isInstanceOf(StorageFullException.class);
        assertThat(store.imageCount()).isZero();
        // The reader stopped soon after the store failed instead of reading the whole source.
        assertThat(read.get()).isLessThan(20L * CHUNK);
    }

    @Test
    void failingInspectionStopsTheUploadAndLeavesNothing() throws Exception {
        RecordingInspection inspection = new RecordingInspection();
        inspection.failAfter = 2;
        assertThatThrownBy(() -> pipeline.run(new ByteArrayInputStream(random(10 * CHUNK, 9)), store, "img",
                SizeGuard.of(SizeGuard.UNKNOWN, -1), "sha512", inspection))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inspector bug");
        assertThat(store.imageCount()).isZero();
    }

    @Test
    void storeThatCompletesButAnotherStageFailedHasItsDataDeleted() throws Exception {
        // The store ignores the pipeline's abort signal and stores whatever it got.
        ImageStore eager = new DelegatingStore(store) {
            @Override
            public StoredImage write(String imageId, InputStream data, long expectedSize) throws IOException {
                byte[] first = data.readNBytes(CHUNK);
                return store.write(imageId, new ByteArrayInputStream(first), ImageStore.UNKNOWN_SIZE);
            }
        };
        RecordingInspection inspection = new RecordingInspection();
        inspection.failAfter = 3;
        assertThatThrownBy(() -> pipeline.run(new ByteArrayInputStream(random(10 * CHUNK, 10)), eager, "img",
                SizeGuard.of(SizeGuard.UNKNOWN, -1), "sha512", inspection))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.imageCount()).isZero();
    }

    @Test
    void memoryIsBoundedWhenTheStoreIsSlow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        ImageStore slow = new DelegatingStore(store) {
            @Override
            public StoredImage write(String imageId, InputStream data, long expectedSize) throws IOException {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                return store.write(imageId, data, expectedSize);
            }
        };
        AtomicLong read = new AtomicLong();
        byte[] data = random(200 * CHUNK, 11);
        InputStream source = counting(new ByteArrayInputStream(data), read);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<UploadPipeline.Result> upload = runner.submit(() -> pipeline.run(source, slow, "img",
                    SizeGuard.of(SizeGuard.UNKNOWN, -1), "sha512", null));
            assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200);
            // Four chunks in flight, plus at most the one being filled.
            assertThat(read.get()).isLessThanOrEqualTo(5L * CHUNK);
            release.countDown();
            assertThat(stored(upload.get(10, TimeUnit.SECONDS).stored())).isEqualTo(data);
        } finally {
            runner.shutdownNow();
        }
    }

    @Test
    void interruptedUploadLeavesNothing() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                started.countDown();
                return len;
            }
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread uploader = new Thread(() -> {
            try {
                pipeline.run(endless, store, "img", SizeGuard.of(SizeGuard.UNKNOWN, -1), "sha512", null);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        uploader.start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        uploader.interrupt();
        uploader.join(10_000);
        assertThat(uploader.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(store.imageCount()).isZero();
    }

    @Test
    void concurrentUploadsShareOnePipeline() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int seed = i;
                results.add(pool.submit(() -> {
                    byte[] data = random(3 * CHUNK + seed, seed);
                    UploadPipeline.Result r = pipeline.run(new ByteArrayInputStream(data), store, "img" + seed,
                            SizeGuard.of(data.length, -1), "sha512", null);
                    return r.hashValue().equals(hex("SHA-512", data)) && java.util.Arrays.equals(stored(r.stored()), data);
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static InputStream counting(InputStream in, AtomicLong count) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count.addAndGet(n);
                }
                return n;
            }
        };
    }

    /** Hashes what it is fed, so a test can check it saw every byte in order. */
    private static final class RecordingInspection implements StreamingInspection {
        private final MessageDigest digest;
        private long seen;
        private int updates;
        int failAfter = Integer.MAX_VALUE;
        ImageFormatException verdict;

        RecordingInspection() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void update(byte[] chunk, int offset, int length) {
            if (++updates > failAfter) {
                throw new IllegalStateException("inspector bug");
            }
            digest.update(chunk, offset, length);
            seen += length;
        }

        @Override
        public void update(ByteBuffer chunk) {
            seen += chunk.remaining();
            digest.update(chunk);
        }

        @Override
        public Inspection finish() throws ImageFormatException {
            if (verdict != null) {
                throw verdict;
            }
            return new Inspection("raw", OptionalLong.of(seen), seen, Map.of(), List.of());
        }

        String digest() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** Forwards to another store; tests override the calls they want to break. */
    private static class DelegatingStore implements ImageStore {
        final ImageStore delegate;

        DelegatingStore(ImageStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public Set<StoreCapability> capabilities() {
            return delegate.capabilities();
        }

        @Override
        public boolean owns(URI uri) {
            return delegate.owns(uri);
        }

        @Override
        public StoredImage write(String imageId, InputStream data, long expectedSize) throws IOException {
            return delegate.write(imageId, data, expectedSize);
        }

        @Override
        public InputStream read(StoreLocation location, ByteRange range) throws IOException {
            return delegate.read(location, range);
        }

        @Override
        public long size(StoreLocation location) throws IOException {
            return delegate.size(location);
        }

        @Override
        public void delete(StoreLocation location) throws IOException {
            delegate.delete(location);
        }
    }
}
