package dev.glimpse.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.InMemoryImageRepository;
import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.StoreCapability;
import dev.glimpse.image.store.StoreLocation;
import dev.glimpse.image.store.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrubberTest {
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");
    private static final Instant START = Instant.parse("2026-07-01T00:00:00Z");

    /** A store of named blobs whose deletes can be made to fail. */
    static final class FakeStore implements ImageStore {
        final Set<String> blobs = ConcurrentHashMap.newKeySet();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final AtomicInteger deletes = new AtomicInteger();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public Set<StoreCapability> capabilities() {
            return Set.of(StoreCapability.READ);
        }

        @Override
        public boolean owns(URI uri) {
            return "fake".equals(uri.getScheme());
        }

        @Override
        public StoredImage write(String imageId, InputStream data, long expectedSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream read(StoreLocation location, ByteRange range) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size(StoreLocation location) {
            return 0;
        }

        @Override
        public void delete(StoreLocation location) throws IOException {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(20);
                deletes.incrementAndGet();
                String key = location.uri().toString();
                if (failing.contains(key)) {
                    throw new IOException("store is down");
                }
                if (!blobs.remove(key)) {
                    throw new NoSuchFileException(key);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } finally {
                concurrent.decrementAndGet();
            }
        }
    }

    private final TestClock clock = new TestClock(START);
    private final FakeStore store = new FakeStore();
    private InMemoryImageRepository repository;
    private ImageService service;
    private Scrubber scrubber;
    private final GlimpseConfig config = GlimpseConfig.builder().delayedDelete(true)
            .scrubTime(Duration.ofHours(1)).scrubPoolSize(3).wakeupTime(Duration.ofMillis(50)).build();

    @BeforeEach
    void setUp() {
        repository = new InMemoryImageRepository();
        service = ImageService.builder().repository(repository).clock(clock).config(config).build();
        scrubber = Scrubber.builder().repository(repository).stores(ImageStoreRegistry.of(store)).config(config)
                .clock(clock).build();
    }

    @AfterEach
    void tearDown() {
        scrubber.close();
    }

    /** An active image with data at the given locations (the upload path is not needed here). */
    private Image activeImageWithData(String... urls) {
        Image image = service.create(ALICE, NewImage.builder().diskFormat(DiskFormat.RAW)
                .containerFormat(ContainerFormat.BARE).build());
        List<ImageLocation> locations = new ArrayList<>();
        for (String url : urls) {
            store.blobs.add(url);
            locations.add(ImageLocation.of(url, "fake"));
        }
        Image current = repository.get(image.id()).orElseThrow();
        return repository.update(current.toBuilder().status(ImageStatus.ACTIVE).size(10L).locations(locations).build());
    }

    @Test
    void delayedDeleteKeepsDataAndHidesTheImageUntilTheScrubberRuns() {
        Image image = activeImageWithData("fake://a/1");
        service.delete(ALICE, image.id());
        Image pending = repository.get(image.id()).orElseThrow();
        assertThat(pending.status()).isEqualTo(ImageStatus.PENDING_DELETE);
        assertThat(pending.locations()).extracting(ImageLocation::status).containsOnly(ImageLocation.Status.PENDING_DELETE);
        assertThat(store.blobs).containsExactly("fake://a/1");
        assertThatThrownBy(() -> service.get(ALICE, image.id())).isInstanceOf(NotFoundException.class);
        assertThat(service.list(ALICE, ImageQuery.all()).images()).isEmpty();

        clock.advance(Duration.ofMinutes(59));
        Scrubber.Report early = scrubber.scrubOnce();
        assertThat(early.deleted()).isEmpty();
        assertThat(early.notYetDue()).isEqualTo(1);
        assertThat(store.blobs).containsExactly("fake://a/1");

        clock.advance(Duration.ofMinutes(1));
        Scrubber.Report due = scrubber.scrubOnce();
        assertThat(due.deleted()).containsExactly(image.id());
        assertThat(store.blobs).isEmpty();
        Image deleted = repository.get(image.id()).orElseThrow();
        assertThat(deleted.status()).isEqualTo(ImageStatus.DELETED);
        assertThat(deleted.locations()).extracting(ImageLocation::status).containsOnly(ImageLocation.Status.DELETED);
        assertThat(scrubber.scrubOnce().deleted()).isEmpty();
    }

    @Test
    void imagesWithoutDataAreDeletedAtOnceEvenWithDelayedDelete() {
        Image queued = service.create(ALICE, NewImage.builder().build());
        service.delete(ALICE, queued.id());
        assertThat(repository.get(queued.id()).orElseThrow().status()).isEqualTo(ImageStatus.DELETED);
    }

    @Test
    void withoutDelayedDeleteNothingIsLeftForTheScrubber() {
        ImageService immediate = ImageService.builder().repository(repository).clock(clock).build();
        Image image = activeImageWithData("fake://a/2");
        immediate.delete(ALICE, image.id());
        assertThat(repository.get(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.DELETED);
    }

    @Test
    void failedDeletesStayPendingAndAreRetriedLocationByLocation() {
        Image image = activeImageWithData("fake://b/1", "fake://b/2");
        store.failing.add("fake://b/2");
        service.delete(ALICE, image.id());
        clock.advance(Duration.ofHours(2));

        Scrubber.Report first = scrubber.scrubOnce();
        assertThat(first.deleted()).isEmpty();
        assertThat(first.failed()).containsOnlyKeys(image.id());
        assertThat(first.failed().get(image.id())).contains("fake://b/2").contains("store is down");
        Image stillPending = repository.get(image.id()).orElseThrow();
        assertThat(stillPending.status()).isEqualTo(ImageStatus.PENDING_DELETE);
        assertThat(stillPending.locations()).extracting(ImageLocation::status)
                .containsExactly(ImageLocation.Status.DELETED, ImageLocation.Status.PENDING_DELETE);

        store.failing.clear();
        int deletesBefore = store.deletes.get();
        Scrubber.Report second = scrubber.scrubOnce();
        assertThat(second.deleted()).containsExactly(image.id());
        assertThat(store.deletes.get() - deletesBefore).as("the location already done is not deleted again").isEqualTo(1);
        assertThat(store.blobs).isEmpty();
        assertThat(repository.get(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.DELETED);
    }

    @Test
    void aScrubInterruptedAfterDeletingDataResumes() {
        Image image = activeImageWithData("fake://c/1");
        service.delete(ALICE, image.id());
        clock.advance(Duration.ofHours(2));
        // A crash between the store delete and the catalogue update: the data is gone, the record is not updated.
        store.blobs.remove("fake://c/1");
        Scrubber.Report report = scrubber.scrubOnce();
        assertThat(report.deleted()).containsExactly(image.id());
        assertThat(repository.get(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.DELETED);
    }

    @Test
    void restoreBringsAPendingImageBack() {
        Image image = activeImageWithData("fake://d/1", "fake://d/2");
        service.delete(ALICE, image.id());
        Image restored = scrubber.restore(image.id());
        assertThat(restored.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(restored.locations()).extracting(ImageLocation::status).containsOnly(ImageLocation.Status.ACTIVE);
        assertThat(service.get(ALICE, image.id()).status()).isEqualTo(ImageStatus.ACTIVE);
        clock.advance(Duration.ofHours(2));
        assertThat(scrubber.scrubOnce().deleted()).isEmpty();
        assertThat(store.blobs).hasSize(2);
        assertThatThrownBy(() -> scrubber.restore(image.id())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("only a pending_delete image");
        assertThatThrownBy(() -> scrubber.restore("00000000-0000-0000-0000-000000000000"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void restoreAfterAPartialScrubKeepsWhatIsLeftAndRefusesWhenNothingIs() {
        Image image = activeImageWithData("fake://e/1", "fake://e/2");
        store.failing.add("fake://e/2");
        service.delete(ALICE, image.id());
        clock.advance(Duration.ofHours(2));
        scrubber.scrubOnce();
        Image restored = scrubber.restore(image.id());
        assertThat(restored.locations()).extracting(ImageLocation::url).containsExactly("fake://e/2");

        Image gone = activeImageWithData("fake://e/3");
        service.delete(ALICE, gone.id());
        clock.advance(Duration.ofHours(2));
        scrubber.scrubOnce();
        assertThatThrownBy(() -> scrubber.restore(gone.id())).isInstanceOf(ConflictException.class);
    }

    @Test
    void scrubsWithPoolSizeWorkers() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Image image = activeImageWithData("fake://f/" + i);
            service.delete(ALICE, image.id());
            ids.add(image.id());
        }
        clock.advance(Duration.ofHours(2));
        Scrubber.Report report = scrubber.scrubOnce();
        assertThat(report.deleted()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(store.maxConcurrent.get()).isBetween(2, 3);
    }

    @Test
    void runsInTheBackgroundUntilClosed() throws InterruptedException {
        Image image = activeImageWithData("fake://g/1");
        service.delete(ALICE, image.id());
        clock.advance(Duration.ofHours(2));
        scrubber.start();
        assertThatThrownBy(scrubber::start).isInstanceOf(IllegalStateException.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (repository.get(image.id()).orElseThrow().status() != ImageStatus.DELETED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(repository.get(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.DELETED);
        scrubber.close();
        Image later = activeImageWithData("fake://g/2");
        service.delete(ALICE, later.id());
        clock.advance(Duration.ofHours(2));
        Thread.sleep(200);
        assertThat(repository.get(later.id()).orElseThrow().status()).as("closed: no more runs")
                .isEqualTo(ImageStatus.PENDING_DELETE);
    }
}
