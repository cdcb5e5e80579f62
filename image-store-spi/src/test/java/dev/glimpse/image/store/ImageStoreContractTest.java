package dev.glimpse.image.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ImageStore} must meet, as an abstract JUnit 5 suite. A store
 * implementation tests itself by extending this class and implementing {@link #newStore()}:
 *
 * <pre>{@code
 * class MyStoreTest extends ImageStoreContractTest {
 *     @Override protected ImageStore newStore() { return new MyStore(...); }
 * }
 * }</pre>
 *
 * <p>Read-only stores override {@link #put} to place data behind the store's back; tests that need
 * a capability the store lacks are skipped. Stores that can check for leftovers more closely (temp
 * files, orphaned parts) override {@link #assertNothingStored}.
 *
 * <p>Ships in {@code image-store-spi}'s test-jar ({@code <type>test-jar</type>}).
 */
public abstract class ImageStoreContractTest {
    /** Larger than any sensible store buffer, and not a multiple of one. */
    protected static final int LARGE = 3 * 1024 * 1024 + 17;

    /** The store under test, fresh and empty for each test. */
    protected ImageStore store;

    /** Creates a fresh, empty store. Called before every test. */
    protected abstract ImageStore newStore() throws Exception;

    /**
     * Places {@code data} in the store as image {@code imageId} and returns its location. The
     * default writes through the store; read-only stores override this.
     */
    protected StoreLocation put(String imageId, byte[] data) throws Exception {
        return store.write(imageId, new ByteArrayInputStream(data), data.length).location();
    }

    /**
     * Checks that nothing of image {@code imageId} is stored after a failed write. The default
     * writes the image again, which must succeed; stores override this to also look for temp files.
     */
    protected void assertNothingStored(String imageId) throws Exception {
        byte[] data = bytes(10, 99);
        StoredImage again = store.write(imageId, new ByteArrayInputStream(data), data.length);
        assertThat(readAll(again.location())).isEqualTo(data);
        store.delete(again.location());
    }

    /** URIs this store must not own. Stores add the near misses their scheme invites. */
    protected List<URI> foreignUris() {
        return List.of(URI.create("file:///etc/passwd"), URI.create("nosuchscheme://host/x"),
                URI.create("s3://bucket/key"));
    }

    @BeforeEach
    final void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    final void closeStore() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    /** A fresh image id. */
    protected static String newId() {
        return UUID.randomUUID().toString();
    }

    /** {@code length} pseudo-random bytes from {@code seed}. */
    protected static byte[] bytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Reads all the data at {@code location}. */
    protected byte[] readAll(StoreLocation location) throws IOException {
        try (InputStream in = store.read(location)) {
            return in.readAllBytes();
        }
    }

    private byte[] readRange(StoreLocation location, ByteRange range) throws IOException {
        try (InputStream in = store.read(location, range)) {
            return in.readAllBytes();
        }
    }

    private void assumeCapability(StoreCapability capability) {
        assumeTrue(store.capabilities().contains(capability), "store lacks " + capability);
    }

    @Test
    void idIsNotBlankAndEveryStoreCanRead() {
        assertThat(store.id()).isNotBlank();
        assertThat(store.capabilities()).contains(StoreCapability.READ);
    }

    @Test
    void largeImageRoundTrips() throws Exception {
        byte[] data = bytes(LARGE, 1);
        StoreLocation location = put(newId(), data);
        assertThat(location.storeId()).isEqualTo(store.id());
        assertThat(store.owns(location.uri())).isTrue();
        assertThat(store.size(location)).isEqualTo(LARGE);
        assertThat(readAll(location)).isEqualTo(data);
    }

    @Test
    void writeReportsLocationAndSize() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        byte[] data = bytes(1000, 2);
        String id = newId();
        StoredImage stored = store.write(id, new ByteArrayInputStream(data), data.length);
        assertThat(stored.size()).isEqualTo(1000);
        assertThat(stored.location().storeId()).isEqualTo(store.id());
        assertThat(stored.location().uri().toString()).contains(id);
        assertThat(store.location(stored.location().uri())).isEqualTo(stored.location());
    }

    @Test
    void emptyImageRoundTrips() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        StoredImage stored = store.write(newId(), InputStream.nullInputStream(), 0);
        assertThat(stored.size()).isZero();
        assertThat(store.size(stored.location())).isZero();
        assertThat(readAll(stored.location())).isEmpty();
    }

    @Test
    void unknownSizeIsAccepted() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        byte[] data = bytes(LARGE, 3);
        StoredImage stored = store.write(newId(), new ByteArrayInputStream(data), ImageStore.UNKNOWN_SIZE);
        assertThat(stored.size()).isEqualTo(LARGE);
        assertThat(readAll(stored.location())).isEqualTo(data);
    }

    @Test
    void oneByteReadsAreReassembled() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        byte[] data = bytes(5000, 4);
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        StoredImage stored = store.write(newId(), trickle, data.length);
        assertThat(readAll(stored.location())).isEqualTo(data);
    }

    @Test
    void moreBytesThanDeclaredFailAndLeaveNothing() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        String id = newId();
        assertThatThrownBy(() -> store.write(id, new ByteArrayInputStream(bytes(LARGE, 5)), 1000))
                .isInstanceOf(SizeMismatchException.class)
                .hasMessageContaining("1000");
        assertNothingStored(id);
    }

    @Test
    void fewerBytesThanDeclaredFailAndLeaveNothing() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        String id = newId();
        assertThatThrownBy(() -> store.write(id, new ByteArrayInputStream(bytes(999, 6)), 1000))
                .isInstanceOf(SizeMismatchException.class)
                .hasMessageContaining("999")
                .hasMessageContaining("1000");
        assertNothingStored(id);
    }

    @Test
    void failingSourceLeavesNothing() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        String id = newId();
        IOException boom = new IOException("client went away");
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(bytes(LARGE, 7))) {
            private long seen;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (seen > LARGE / 2) {
                    throw boom;
                }
                int n = super.read(b, off, Math.min(len, 64 * 1024));
                seen += Math.max(n, 0);
                return n;
            }
        };
        assertThatThrownBy(() -> store.write(id, failing, ImageStore.UNKNOWN_SIZE)).isSameAs(boom);
        assertNothingStored(id);
    }

    @Test
    void secondWriteOfSameIdIsRefusedAndKeepsTheFirst() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        String id = newId();
        byte[] first = bytes(2000, 8);
        StoredImage stored = store.write(id, new ByteArrayInputStream(first), first.length);
        assertThatThrownBy(() -> store.write(id, new ByteArrayInputStream(bytes(10, 9)), 10))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(readAll(stored.location())).isEqualTo(first);
    }

    @Test
    void racingWritesOfOneIdLeaveExactlyOneIntactImage() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        String id = newId();
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<StoredImage>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] data = bytes(256 * 1024, 100 + i);
                futures.add(pool.submit(() -> store.write(id, new ByteArrayInputStream(data), data.length)));
            }
            List<StoredImage> won = new ArrayList<>();
            for (Future<StoredImage> future : futures) {
                try {
                    won.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(FileAlreadyExistsException.class);
                }
            }
            assertThat(won).hasSize(1);
            byte[] stored = readAll(won.get(0).location());
            assertThat(stored).hasSize(256 * 1024);
            boolean matchesOne = false;
            for (int i = 0; i < writers; i++) {
                matchesOne |= Arrays.equals(stored, bytes(256 * 1024, 100 + i));
            }
            assertThat(matchesOne).as("stored bytes are exactly one writer's data").isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentWritesOfDifferentIdsAllSucceed() throws Exception {
        assumeCapability(StoreCapability.WRITE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int seed = i;
                tasks.add(() -> {
                    byte[] data = bytes(100_000 + seed, seed);
                    StoredImage stored = store.write(newId(), new ByteArrayInputStream(data), ImageStore.UNKNOWN_SIZE);
                    return Arrays.equals(readAll(stored.location()), data);
                });
            }
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rangesReturnExactlyTheirBytes() throws Exception {
        byte[] data = bytes(LARGE, 10);
        StoreLocation location = put(newId(), data);
        assertThat(readRange(location, ByteRange.from(0))).isEqualTo(data);
        if (!store.capabilities().contains(StoreCapability.RANGE_READ)) {
            assertThatThrownBy(() -> store.read(location, ByteRange.of(1, 10)))
                    .isInstanceOf(UnsupportedStoreOperationException.class);
            return;
        }
        assertThat(readRange(location, ByteRange.of(0, 10))).isEqualTo(Arrays.copyOfRange(data, 0, 10));
        assertThat(readRange(location, ByteRange.of(1_000_000, 70_000)))
                .isEqualTo(Arrays.copyOfRange(data, 1_000_000, 1_070_000));
        assertThat(readRange(location, ByteRange.from(LARGE - 5)))
                .isEqualTo(Arrays.copyOfRange(data, LARGE - 5, LARGE));
        assertThat(readRange(location, ByteRange.of(LARGE - 1, 1))).containsExactly(data[LARGE - 1]);
    }

    @Test
    void rangePastTheEndIsCutAtTheEnd() throws Exception {
        assumeCapability(StoreCapability.RANGE_READ);
        byte[] data = bytes(1000, 11);
        StoreLocation location = put(newId(), data);
        assertThat(readRange(location, ByteRange.of(990, 500))).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
    }

    @Test
    void rangeStartingAtOrAfterTheEndIsRefused() throws Exception {
        assumeCapability(StoreCapability.RANGE_READ);
        StoreLocation location = put(newId(), bytes(1000, 12));
        assertThatThrownBy(() -> store.read(location, ByteRange.from(1000))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> store.read(location, ByteRange.of(5000, 1))).isInstanceOf(EOFException.class);
    }

    @Test
    void partialReadThenCloseIsFine() throws Exception {
        byte[] data = bytes(LARGE, 13);
        StoreLocation location = put(newId(), data);
        try (InputStream in = store.read(location)) {
            assertThat(in.readNBytes(100)).isEqualTo(Arrays.copyOf(data, 100));
        }
        assertThat(readAll(location)).isEqualTo(data);
    }

    @Test
    void deletedDataIsGone() throws Exception {
        assumeCapability(StoreCapability.DELETE);
        String id = newId();
        StoreLocation location = put(id, bytes(1000, 14));
        store.delete(location);
        assertThatThrownBy(() -> store.read(location)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.size(location)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.delete(location)).isInstanceOf(NoSuchFileException.class);
        if (store.capabilities().contains(StoreCapability.WRITE)) {
            assertNothingStored(id);
        }
    }

    @Test
    void missingDataIsNoSuchFile() throws Exception {
        StoreLocation real = put(newId(), bytes(10, 15));
        String missingId = newId();
        URI missing = real.uri().resolve(missingId);
        StoreLocation location = store.location(missing);
        assertThatThrownBy(() -> store.read(location)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.size(location)).isInstanceOf(NoSuchFileException.class);
        if (store.capabilities().contains(StoreCapability.DELETE)) {
            assertThatThrownBy(() -> store.delete(location)).isInstanceOf(NoSuchFileException.class);
        }
    }

    @Test
    void foreignLocationsAreRefusedWithoutIo() throws Exception {
        for (URI uri : foreignUris()) {
            assertThat(store.owns(uri)).as("owns %s", uri).isFalse();
            assertThatThrownBy(() -> store.location(uri)).as("location(%s)", uri)
                    .isInstanceOf(InvalidLocationException.class);
            StoreLocation forged = new StoreLocation(store.id(), uri);
            assertThatThrownBy(() -> store.read(forged)).as("read %s", uri).isInstanceOf(InvalidLocationException.class);
            assertThatThrownBy(() -> store.size(forged)).as("size %s", uri).isInstanceOf(InvalidLocationException.class);
            assertThatThrownBy(() -> store.delete(forged)).as("delete %s", uri)
                    .isInstanceOfAny(InvalidLocationException.class, UnsupportedStoreOperationException.class);
        }
    }

    @Test
    void locationOfAnotherStoreIdIsRefused() throws Exception {
        StoreLocation real = put(newId(), bytes(10, 16));
        StoreLocation other = new StoreLocation(store.id() + "-other", real.uri());
        assertThatThrownBy(() -> store.read(other)).isInstanceOf(InvalidLocationException.class);
        assertThatThrownBy(() -> store.size(other)).isInstanceOf(InvalidLocationException.class);
        assertThatThrownBy(() -> store.delete(other))
                .isInstanceOfAny(InvalidLocationException.class, UnsupportedStoreOperationException.class);
        assertThat(readAll(real)).hasSize(10);
    }

    @Test
    void readOnlyStoreRefusesWrites() {
        assumeTrue(!store.capabilities().contains(StoreCapability.WRITE), "store is writable");
        assertThatThrownBy(() -> store.write(newId(), new ByteArrayInputStream(new byte[1]), 1))
                .isInstanceOf(UnsupportedStoreOperationException.class);
    }

    @Test
    void unsafeImageIdsAreRefused() {
        assumeCapability(StoreCapability.WRITE);
        for (String bad : List.of("", "../escape", "a/b", "..", ".", "a\\b", "x\u0000y")) {
            AtomicInteger reads = new AtomicInteger();
            InputStream counting = new FilterInputStream(new ByteArrayInputStream(new byte[1])) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    reads.incrementAndGet();
                    return super.read(b, off, len);
                }
            };
            assertThatThrownBy(() -> store.write(bad, counting, 1)).as("id '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(reads).as("nothing read for id '%s'", bad).hasValue(0);
        }
    }
}
