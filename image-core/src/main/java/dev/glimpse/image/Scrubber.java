package dev.glimpse.image;

import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.internal.ImageLifecycle;
import dev.glimpse.image.spi.AccessScope;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.StoreLocation;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the data of images that were deleted with {@code delayed_delete} on, once they have been
 * {@code pending_delete} for {@code scrub_time}, and marks them {@code deleted} (Glance's
 * {@code glance-scrubber}). Until then {@link #restore} brings such an image back.
 *
 * <p>Each location is deleted from its store and then marked {@code deleted} in the catalogue, one
 * by one; the image becomes {@code deleted} only when every location is. So a scrub that is
 * interrupted (a crash, a store that is down) resumes where it stopped: the next run skips the
 * locations already done, treats data that is already gone as deleted, and leaves an image whose
 * data could not be deleted in {@code pending_delete} to be retried. Up to
 * {@code scrub_pool_size} images are scrubbed in parallel.
 *
 * <p>Run it once ({@link #scrubOnce()}, e.g. from a cron job or a test) or as a background service
 * in the host's JVM ({@link #start()}, every {@code wakeup_time}; {@link #close()} stops it).
 * Thread-safe. One scrubber per catalogue: two scrubbers (or a scrub and a restore in another
 * process) working on the same image at the same time could delete the data of an image that is
 * being restored.
 */
public final class Scrubber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
    private static final int PAGE = 500;
    private static final int MAX_ATTEMPTS = 100;

    private final ImageRepository repository;
    private final ImageStoreRegistry stores;
    private final Duration scrubTime;
    private final int poolSize;
    private final Duration wakeupTime;
    private final Clock clock;
    private final Object[] locks = new Object[64];
    private @Nullable ScheduledExecutorService background;

    /**
     * What one run did.
     *
     * @param deleted ids of the images whose data is gone and that are now {@code deleted}
     * @param failed ids of images that stay {@code pending_delete}, with the reason, to be retried
     * @param notYetDue how many {@code pending_delete} images are younger than {@code scrub_time}
     */
    public record Report(List<String> deleted, Map<String, String> failed, int notYetDue) {
        /** Copies the collections. */
        public Report {
            deleted = List.copyOf(deleted);
            failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        }
    }

    private Scrubber(Builder b) {
        this.repository = Objects.requireNonNull(b.repository, "repository");
        this.stores = Objects.requireNonNull(b.stores, "stores");
        this.scrubTime = b.config.scrubTime();
        this.poolSize = b.config.scrubPoolSize();
        this.wakeupTime = b.config.wakeupTime();
        this.clock = b.clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Returns a builder; the repository and the stores are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scrubs every {@code pending_delete} image that is due, with {@code scrub_pool_size} workers,
     * and returns when all are done.
     */
    public Report scrubOnce() {
        Instant now = clock.instant();
        List<String> due = new ArrayList<>();
        int notYetDue = 0;
        // Collect first, then scrub: scrubbing changes the statuses that the paging walks over.
        for (Image image : pendingDelete()) {
            if (image.updatedAt().plus(scrubTime).isAfter(now)) {
                notYetDue++;
            } else {
                due.add(image.id());
            }
        }
        List<String> deleted = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> failed = Collections.synchronizedMap(new LinkedHashMap<>());
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "glimpse-scrubber-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> work = new ArrayList<>();
            for (String id : due) {
                work.add(pool.submit(() -> {
                    Optional<String> failure = scrub(id);
                    if (failure.isPresent()) {
                        failed.put(id, failure.get());
                    } else {
                        deleted.add(id);
                    }
                }));
            }
            for (Future<?> f : work) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    LOG.warn("scrubbing failed unexpectedly", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (!deleted.isEmpty() || !failed.isEmpty()) {
            LOG.info("scrubbed {} images, {} left pending_delete for a retry", deleted.size(), failed.size());
        }
        return new Report(deleted, failed, notYetDue);
    }

    /**
     * Brings a {@code pending_delete} image back to {@code active} (Glance's
     * {@code glance-scrubber --restore}); locations whose data a partial scrub already deleted are
     * dropped.
     *
     * @return the restored image
     * @throws NotFoundException if there is no such image
     * @throws ConflictException if the image is not {@code pending_delete}, or none of its data is left
     */
    public Image restore(String imageId) {
        Objects.requireNonNull(imageId, "imageId");
        synchronized (lockFor(imageId)) {
            return update(imageId, image -> {
                if (image.status() != ImageStatus.PENDING_DELETE) {
                    throw new ConflictException("image " + imageId + " is " + image.status()
                            + "; only a pending_delete image can be restored");
                }
                List<ImageLocation> kept = new ArrayList<>();
                for (ImageLocation l : image.locations()) {
                    if (l.status() != ImageLocation.Status.DELETED) {
                        kept.add(withStatus(l, ImageLocation.Status.ACTIVE));
                    }
                }
                if (kept.isEmpty()) {
                    throw new ConflictException("image " + imageId + " cannot be restored: its data has been scrubbed");
                }
                return ImageLifecycle.transition(image, ImageStatus.ACTIVE, clock.instant()).locations(kept).build();
            }).orElseThrow(() -> new NotFoundException("image " + imageId + " not found"));
        }
    }

    /**
     * Starts scrubbing in the background: now, then every {@code wakeup_time} after each run ends.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized void start() {
        if (background != null) {
            throw new IllegalStateException("the scrubber is already running");
        }
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "glimpse-scrubber");
            t.setDaemon(true);
            return t;
        });
        background.scheduleWithFixedDelay(() -> {
            try {
                scrubOnce();
            } catch (RuntimeException e) {
                // A failed run must not cancel the schedule; the next run retries.
                LOG.error("scrubber run failed", e);
            }
        }, 0, wakeupTime.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the background service, if started, waiting up to 30 seconds for a run to end. */
    @Override
    public synchronized void close() {
        if (background == null) {
            return;
        }
        background.shutdownNow();
        try {
            if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the scrubber did not stop within 30 seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        background = null;
    }

    private List<Image> pendingDelete() {
        ImageQuery query = ImageQuery.builder().statuses(EnumSet.of(ImageStatus.PENDING_DELETE)).allVisibilities()
                .osHidden(null).build();
        List<Image> all = new ArrayList<>();
        String marker = null;
        while (true) {
            List<Image> page = repository.list(query.toBuilder().marker(marker).build(), AccessScope.system(), PAGE);
            all.addAll(page);
            if (page.size() < PAGE) {
                return all;
            }
            marker = page.get(page.size() - 1).id();
        }
    }

    /** Scrubs one image; returns why it stays pending_delete, or empty when it is now deleted. */
    private Optional<String> scrub(String imageId) {
        synchronized (lockFor(imageId)) {
            Optional<Image> found = repository.get(imageId);
            if (found.isEmpty() || found.get().status() != ImageStatus.PENDING_DELETE) {
                return Optional.of("no longer pending_delete");
            }
            List<String> failures = new ArrayList<>();
            for (ImageLocation location : found.get().locations()) {
                if (location.status() == ImageLocation.Status.DELETED) {
                    continue;
                }
                try {
                    deleteData(location);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot delete data of image {} at {}: {}", imageId, location.url(), e.toString());
                    failures.add(location.url() + ": " + e.getMessage());
                    continue;
                }
                // Record each deletion at once, so an interrupted scrub does not redo it.
                update(imageId, image -> image.toBuilder().locations(image.locations().stream()
                        .map(l -> l.url().equals(location.url()) ? withStatus(l, ImageLocation.Status.DELETED) : l)
                        .toList()).build());
            }
            if (!failures.isEmpty()) {
                return Optional.of(String.join("; ", failures));
            }
            update(imageId, image -> image.status() == ImageStatus.DELETED ? image
                    : ImageLifecycle.transition(image, ImageStatus.DELETED, clock.instant()).build());
            LOG.debug("scrubbed image {}", imageId);
            return Optional.empty();
        }
    }

    private void deleteData(ImageLocation location) throws IOException {
        URI uri = URI.create(location.url());
        StoreLocation storeLocation = location.storeId() != null ? new StoreLocation(location.storeId(), uri)
                : stores.locate(uri);
        ImageStore store = stores.storeFor(storeLocation);
        try {
            store.delete(storeLocation);
        } catch (NoSuchFileException alreadyGone) {
            // Deleted by an earlier, interrupted run: that is what we wanted.
            LOG.debug("data of {} was already gone", location.url());
        }
    }

    private Optional<Image> update(String imageId, UnaryOperator<Image> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Image> current = repository.get(imageId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Image next = change.apply(current.get());
            if (next == current.get()) {
                return current;
            }
            try {
                return Optional.of(repository.update(next));
            } catch (VersionConflictException e) {
                Thread.yield();
            }
        }
        throw new ConflictException("image " + imageId + " is being changed by too many writers at once");
    }

    private static ImageLocation withStatus(ImageLocation l, ImageLocation.Status status) {
        return new ImageLocation(l.url(), l.metadata(), l.storeId(), status);
    }

    private Object lockFor(String imageId) {
        return locks[Math.floorMod(imageId.hashCode(), locks.length)];
    }

    /** Builds a {@link Scrubber}. Not thread-safe. */
    public static final class Builder {
        private @Nullable ImageRepository repository;
        private @Nullable ImageStoreRegistry stores;
        private GlimpseConfig config = GlimpseConfig.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Sets the catalogue to scrub (the same repository the image service uses). Required. */
        public Builder repository(ImageRepository repository) {
            this.repository = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /** Sets the stores that hold the data. Required. */
        public Builder stores(ImageStoreRegistry stores) {
            this.stores = Objects.requireNonNull(stores, "stores");
            return this;
        }

        /** Takes {@code scrub_time}, {@code scrub_pool_size} and {@code wakeup_time} from the configuration. */
        public Builder config(GlimpseConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Sets the clock that decides when an image is due (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the scrubber.
         *
         * @throws NullPointerException if the repository or the stores are missing
         */
        public Scrubber build() {
            return new Scrubber(this);
        }
    }
}
