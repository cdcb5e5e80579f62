package dev.glimpse.image.internal.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.QuotaExceededException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.Scrubber;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.config.ProjectLimits;
import dev.glimpse.image.event.Event;
import dev.glimpse.image.event.EventType;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.InMemoryImageRepository;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.MemoryImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Governance on the data path: upload and download policy, byte quotas while streaming, events, scrubbing. */
class GovernedDataPathTest {
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");
    private static final RequestContext BOB = RequestContext.member("bob-project", "bob");
    private static final RequestContext READER = RequestContext.builder().projectId("alice-project").userId("rita")
            .roles(java.util.Set.of("reader")).build();

    private final InMemoryImageRepository repository = new InMemoryImageRepository();
    private final MemoryImageStore store = new MemoryImageStore("mem");
    private final List<Event> events = new CopyOnWriteArrayList<>();

    private ImageService service(GlimpseConfig config) {
        return ImageService.builder().repository(repository).stores(ImageStoreRegistry.of(store)).config(config)
                .eventListener(events::add).build();
    }

    private static byte[] data(int n) {
        byte[] data = new byte[n];
        new Random(n).nextBytes(data);
        data[0] = 0x11; // no format's magic: raw
        return data;
    }

    private static Image queued(ImageService service, RequestContext owner) {
        return service.create(owner, NewImage.builder().diskFormat(DiskFormat.RAW).containerFormat(ContainerFormat.BARE)
                .build());
    }

    private static byte[] readAll(ImageData data) throws IOException {
        try (data; InputStream in = data.stream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void uploadAndDownloadFollowThePolicyAndSendEvents() throws IOException {
        ImageService service = service(GlimpseConfig.defaults());
        Image image = queued(service, ALICE);
        assertThatThrownBy(() -> service.upload(READER, image.id(), new ByteArrayInputStream(data(10))))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("upload_image");
        assertThatThrownBy(() -> service.upload(BOB, image.id(), new ByteArrayInputStream(data(10))))
                .isInstanceOf(NotFoundException.class);
        events.clear();
        Image active = service.upload(ALICE, image.id(), new ByteArrayInputStream(data(100)));
        assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(events).extracting(e -> e.type().wireName())
                .containsExactly("image.prepare", "image.upload", "image.activate");
        assertThat(events.get(1).payload()).containsEntry("size", 100L).containsEntry("status", "active");

        // Download needs download_image: the reader role is not enough, a member of a shared image is.
        assertThatThrownBy(() -> service.download(READER, image.id())).isInstanceOf(ForbiddenException.class);
        service.addMember(ALICE, image.id(), "bob-project");
        service.updateMember(BOB, image.id(), "bob-project", MemberStatus.ACCEPTED);
        events.clear();
        assertThat(readAll(service.download(BOB, image.id()).orElseThrow())).isEqualTo(data(100));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.IMAGE_SEND);
            assertThat(e.priority()).isEqualTo(Event.Priority.INFO);
            assertThat(e.payload()).containsEntry("bytes_sent", 100L).containsEntry("receiver_tenant_id", "bob-project")
                    .containsEntry("owner_id", "alice-project");
        });
        events.clear();
        service.download(BOB, image.id()).orElseThrow().close();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.priority()).isEqualTo(Event.Priority.ERROR);
            assertThat(e.payload()).containsEntry("bytes_sent", 0L);
        });
    }

    @Test
    void userStorageQuotaStopsAnUploadMidStreamAndLeavesNothing() throws IOException {
        ImageService service = service(GlimpseConfig.builder().userStorageQuota(1000).build());
        service.upload(ALICE, queued(service, ALICE).id(), new ByteArrayInputStream(data(600)));
        Image second = queued(service, ALICE);
        events.clear();
        assertThatThrownBy(() -> service.upload(ALICE, second.id(), new ByteArrayInputStream(data(600))))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("user_storage_quota");
        Image after = repository.get(second.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(ImageStatus.QUEUED);
        assertThat(after.size()).isEmpty();
        assertThat(events).extracting(e -> e.type().wireName()).contains("image.prepare", "image.upload");
        assertThat(events.stream().filter(e -> e.type() == EventType.IMAGE_UPLOAD).findFirst().orElseThrow().priority())
                .isEqualTo(Event.Priority.ERROR);
        // What is left of the quota can still be used.
        assertThat(service.upload(ALICE, second.id(), new ByteArrayInputStream(data(400))).size()).contains(400L);
    }

    @Test
    void concurrentUploadsThroughTheServiceCannotOvershootImageSizeTotal() throws Exception {
        long limit = 2000;
        ImageService service = service(GlimpseConfig.builder()
                .defaultProjectLimits(new ProjectLimits(-1, -1, limit, -1)).build());
        int uploads = 10;
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
            images.add(queued(service, ALICE));
        }
        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        try {
            for (Image image : images) {
                results.add(pool.submit((Callable<Long>) () -> {
                    start.await();
                    try {
                        return service.upload(ALICE, image.id(), new ByteArrayInputStream(data(700))).size().orElseThrow();
                    } catch (QuotaExceededException e) {
                        return 0L;
                    }
                }));
            }
            start.countDown();
            long stored = 0;
            for (Future<Long> f : results) {
                stored += f.get();
            }
            assertThat(stored).isLessThanOrEqualTo(limit);
            long active = repository.list(dev.glimpse.image.ImageQuery.builder().status(ImageStatus.ACTIVE).build(),
                    dev.glimpse.image.spi.AccessScope.system(), 100).stream().mapToLong(i -> i.size().orElse(0L)).sum();
            assertThat(active).isEqualTo(stored);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void imageCountUploadingRefusesAnUploadBeyondTheLimit() throws Exception {
        ImageService service = service(GlimpseConfig.builder()
                .defaultProjectLimits(new ProjectLimits(-1, 1, -1, -1)).build());
        Image first = queued(service, ALICE);
        Image second = queued(service, ALICE);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            private int left = 10;

            @Override
            public int read() throws IOException {
                reading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return left-- > 0 ? 0x11 : -1;
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Image> running = pool.submit(() -> service.upload(ALICE, first.id(), slow));
            reading.await();
            assertThatThrownBy(() -> service.upload(ALICE, second.id(), new ByteArrayInputStream(data(10))))
                    .isInstanceOf(QuotaExceededException.class).hasMessageContaining("image_count_uploading");
            release.countDown();
            assertThat(running.get().status()).isEqualTo(ImageStatus.ACTIVE);
            assertThat(service.upload(ALICE, second.id(), new ByteArrayInputStream(data(10))).status())
                    .isEqualTo(ImageStatus.ACTIVE);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void delayedDeleteOfUploadedDataEndsInTheScrubber() throws IOException {
        GlimpseConfig config = GlimpseConfig.builder().delayedDelete(true).scrubTime(Duration.ZERO).build();
        ImageService service = service(config);
        Image image = service.upload(ALICE, queued(service, ALICE).id(), new ByteArrayInputStream(data(50)));
        service.delete(ALICE, image.id());
        assertThat(repository.get(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.PENDING_DELETE);
        Scrubber scrubber = Scrubber.builder().repository(repository).stores(ImageStoreRegistry.of(store))
                .config(config).build();
        assertThat(scrubber.scrubOnce().deleted()).containsExactly(image.id());
        assertThat(repository.get(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.DELETED);
        String url = repository.get(image.id()).orElseThrow().locations().get(0).url();
        assertThatThrownBy(() -> store.size(new dev.glimpse.image.store.StoreLocation("mem", java.net.URI.create(url))))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
