package dev.glimpse.image.internal.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.QuotaExceededException;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.config.ProjectLimits;
import dev.glimpse.image.internal.InMemoryImageRepository;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class UploadQuotasTest {
    private static final String OWNER = "p1";
    private final InMemoryImageRepository repository = new InMemoryImageRepository();

    private Image queued() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return repository.create(Image.builder().id(UUID.randomUUID().toString()).status(ImageStatus.QUEUED)
                .visibility(Visibility.PRIVATE).owner(OWNER).createdAt(now).updatedAt(now).build());
    }

    /** What an upload's final write does: the image becomes active with its size and one location. */
    private Runnable activate(Image image, long size) {
        return () -> {
            Image current = repository.get(image.id()).orElseThrow();
            repository.update(current.toBuilder().status(ImageStatus.ACTIVE).size(size)
                    .locations(List.of(ImageLocation.of("file:///data/" + image.id(), "fs"))).build());
        };
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[10];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
        }
        return total;
    }

    @Test
    void userStorageQuotaCountsStoredCopiesAndStopsTheStream() throws IOException {
        UploadQuotas quotas = new UploadQuotas(GlimpseConfig.builder().userStorageQuota(100).build(), repository);
        Image first = queued();
        try (UploadQuotas.Reservation r = quotas.begin(first)) {
            assertThat(drain(r.meter(new ByteArrayInputStream(new byte[60])))).isEqualTo(60);
            r.commit(activate(first, 60));
        }
        Image second = queued();
        try (UploadQuotas.Reservation r = quotas.begin(second)) {
            InputStream metered = r.meter(new ByteArrayInputStream(new byte[50]));
            assertThatThrownBy(() -> drain(metered)).isInstanceOf(IOException.class)
                    .hasCauseInstanceOf(QuotaExceededException.class).hasMessageContaining("user_storage_quota is 100");
            assertThat(r.consumed()).isEqualTo(40);
        }
        // The failed upload released what it had taken: exactly the remaining 40 bytes fit.
        try (UploadQuotas.Reservation r = quotas.begin(queued())) {
            r.consume(40);
            assertThatThrownBy(() -> r.consume(1)).isInstanceOf(QuotaExceededException.class);
        }
    }

    @Test
    void imageSizeTotalIsPerProjectWithOverrides() {
        GlimpseConfig config = GlimpseConfig.builder().defaultProjectLimits(new ProjectLimits(-1, -1, 10, -1))
                .projectLimits("p2", new ProjectLimits(-1, -1, 1000, -1)).build();
        UploadQuotas quotas = new UploadQuotas(config, repository);
        try (UploadQuotas.Reservation r = quotas.begin(queued())) {
            r.consume(10);
            assertThatThrownBy(() -> r.consume(1)).isInstanceOf(QuotaExceededException.class)
                    .hasMessageContaining("image_size_total is 10 bytes");
        }
        Image other = queued().toBuilder().owner("p2").build();
        try (UploadQuotas.Reservation r = quotas.begin(other)) {
            r.consume(500);
        }
    }

    @Test
    void imageCountUploadingLimitsUploadsAtOnce() {
        UploadQuotas quotas = new UploadQuotas(GlimpseConfig.builder()
                .defaultProjectLimits(new ProjectLimits(-1, 2, -1, -1)).build(), repository);
        UploadQuotas.Reservation a = quotas.begin(queued());
        UploadQuotas.Reservation b = quotas.begin(queued());
        assertThatThrownBy(() -> quotas.begin(queued())).isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("image_count_uploading is 2");
        a.close();
        a.close();
        UploadQuotas.Reservation c = quotas.begin(queued());
        Image image = queued();
        b.commit(activate(image, 0));
        assertThatThrownBy(() -> b.consume(1)).isInstanceOf(IllegalStateException.class);
        quotas.begin(queued()).close();
        c.close();
    }

    @Test
    void concurrentUploadsCannotOvershootTogether() throws Exception {
        long quota = 1000;
        int uploads = 12;
        int size = 300;
        UploadQuotas quotas = new UploadQuotas(GlimpseConfig.builder().userStorageQuota(quota).build(), repository);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        try {
            for (int i = 0; i < uploads; i++) {
                results.add(pool.submit((Callable<Long>) () -> {
                    Image image = queued();
                    start.await();
                    try (UploadQuotas.Reservation r = quotas.begin(image)) {
                        long read = drain(r.meter(new ByteArrayInputStream(new byte[size])));
                        r.commit(activate(image, read));
                        return read;
                    } catch (IOException | QuotaExceededException e) {
                        return 0L;
                    }
                }));
            }
            start.countDown();
            long committed = 0;
            int succeeded = 0;
            for (Future<Long> f : results) {
                long bytes = f.get();
                committed += bytes;
                succeeded += bytes > 0 ? 1 : 0;
            }
            assertThat(committed).isLessThanOrEqualTo(quota).isEqualTo((long) succeeded * size);
            // Streams interleave chunk by chunk, so how many finish varies (even none, if all stall
            // each other); what may never happen is that together they store more than the quota.
            assertThat(succeeded).isBetween(0, 3);
            // Nothing is left in flight: exactly the unused rest of the quota can still be stored.
            long rest = quota - committed;
            try (UploadQuotas.Reservation r = quotas.begin(queued())) {
                r.consume(rest);
                assertThatThrownBy(() -> r.consume(1)).isInstanceOf(QuotaExceededException.class);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentWholeReservationsAdmitExactlyWhatFits() throws Exception {
        UploadQuotas quotas = new UploadQuotas(GlimpseConfig.builder().userStorageQuota(1000).build(), repository);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit((Callable<Boolean>) () -> {
                    Image image = queued();
                    start.await();
                    try (UploadQuotas.Reservation r = quotas.begin(image)) {
                        r.consume(300);
                        r.commit(activate(image, 300));
                        return true;
                    } catch (QuotaExceededException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int succeeded = 0;
            for (Future<Boolean> f : results) {
                succeeded += f.get() ? 1 : 0;
            }
            assertThat(succeeded).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unlimitedByDefault() {
        UploadQuotas quotas = new UploadQuotas(GlimpseConfig.defaults(), repository);
        try (UploadQuotas.Reservation r = quotas.begin(queued())) {
            r.consume(Long.MAX_VALUE / 4);
            r.consume(Long.MAX_VALUE / 4);
        }
        assertThatThrownBy(() -> quotas.begin(queued()).consume(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
