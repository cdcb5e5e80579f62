package dev.glimpse.image.internal.governance;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.QuotaExceededException;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.config.ProjectLimits;
import dev.glimpse.image.spi.AccessScope;
import dev.glimpse.image.spi.ImageRepository;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The byte and upload-count quotas of a project, enforced while data streams in and atomically
 * across concurrent uploads: {@code user_storage_quota} (bytes of every stored copy, Glance's
 * legacy quota: size times live locations), {@code image_size_total} (bytes of the project's
 * images, as Keystone's unified limit counts them) and {@code image_count_uploading} (uploads at
 * once).
 *
 * <p>How concurrent uploads are kept from overshooting together: each project has a ledger of the
 * bytes its uploads have streamed so far but not yet committed. Every chunk is admitted under the
 * ledger's lock only if stored usage plus all in-flight bytes plus the chunk stay within the
 * limits, so two uploads that each fit alone cannot both finish when together they do not fit.
 * {@link Reservation#commit} records the image (the caller's write) and moves its bytes from
 * in-flight to stored under the same lock; a failed or abandoned upload releases its bytes on
 * {@link Reservation#close}. Stored usage is read from the repository when an upload begins and
 * after each commit; deletions in between only make it higher than it is, never lower, so the
 * quota errs on the safe side. Limits are per JVM: two processes sharing a catalogue each keep
 * their own ledger.
 */
public final class UploadQuotas {
    private final GlimpseConfig config;
    private final ImageRepository repository;
    private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();

    /** Creates the quotas of a catalogue. */
    public UploadQuotas(GlimpseConfig config, ImageRepository repository) {
        this.config = Objects.requireNonNull(config, "config");
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    /** One project's in-flight accounting; guarded by itself. */
    private static final class Ledger {
        long storedCopies;
        long storedImages;
        long inFlight;
        int uploading;
    }

    /**
     * Begins an upload of data for {@code image}, counting it against {@code image_count_uploading}.
     *
     * @throws QuotaExceededException if the project already has as many uploads running as allowed,
     *     or is already at or over a byte quota
     */
    public Reservation begin(Image image) {
        String owner = image.owner().orElse("");
        ProjectLimits limits = config.limitsFor(owner);
        Ledger ledger = ledgers.computeIfAbsent(owner, o -> new Ledger());
        synchronized (ledger) {
            if (!ProjectLimits.isUnlimited(limits.imageCountUploading()) && ledger.uploading >= limits.imageCountUploading()) {
                throw new QuotaExceededException("project " + owner + " already has " + ledger.uploading
                        + " uploads running; image_count_uploading is " + limits.imageCountUploading());
            }
            refresh(owner, ledger);
            checkBytes(owner, limits, ledger, 0);
            ledger.uploading++;
        }
        return new Reservation(owner, limits, ledger);
    }

    private void refresh(String owner, Ledger ledger) {
        long copies = 0;
        long images = 0;
        ImageQuery query = ImageQuery.builder().owner(owner).allVisibilities().osHidden(null)
                .statuses(EnumSet.complementOf(EnumSet.of(ImageStatus.DELETED))).build();
        String marker = null;
        while (true) {
            List<Image> page = repository.list(query.toBuilder().marker(marker).build(), AccessScope.system(), 1000);
            for (Image image : page) {
                long size = image.size().orElse(0L);
                long live = image.locations().stream().filter(l -> l.status() != ImageLocation.Status.DELETED).count();
                copies += size * Math.max(live, image.status() == ImageStatus.ACTIVE ? 1 : 0);
                if (image.status() != ImageStatus.PENDING_DELETE && image.status() != ImageStatus.KILLED) {
                    images += size;
                }
            }
            if (page.size() < 1000) {
                break;
            }
            marker = page.get(page.size() - 1).id();
        }
        ledger.storedCopies = copies;
        ledger.storedImages = images;
    }

    private void checkBytes(String owner, ProjectLimits limits, Ledger ledger, long more) {
        long storageQuota = config.userStorageQuota();
        if (storageQuota > 0 && ledger.storedCopies + ledger.inFlight + more > storageQuota) {
            throw new QuotaExceededException("project " + owner + " would store "
                    + (ledger.storedCopies + ledger.inFlight + more) + " bytes; user_storage_quota is " + storageQuota);
        }
        long sizeTotal = limits.imageSizeTotalBytes();
        if (!ProjectLimits.isUnlimited(sizeTotal) && ledger.storedImages + ledger.inFlight + more > sizeTotal) {
            throw new QuotaExceededException("project " + owner + " would have "
                    + (ledger.storedImages + ledger.inFlight + more) + " bytes of images; image_size_total is "
                    + sizeTotal + " bytes");
        }
    }

    /**
     * The accounting of one upload. Not thread-safe: one upload streams on one thread (the
     * ledger it reports to is shared and locked).
     */
    public final class Reservation implements AutoCloseable {
        private final String owner;
        private final ProjectLimits limits;
        private final Ledger ledger;
        private long consumed;
        private boolean finished;

        private Reservation(String owner, ProjectLimits limits, Ledger ledger) {
            this.owner = owner;
            this.limits = limits;
            this.ledger = ledger;
        }

        /**
         * Admits {@code bytes} more of this upload.
         *
         * @throws QuotaExceededException if they would take the project over a byte quota; nothing
         *     is admitted then
         */
        public void consume(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
            }
            if (finished) {
                throw new IllegalStateException("the upload is finished");
            }
            synchronized (ledger) {
                checkBytes(owner, limits, ledger, bytes);
                ledger.inFlight += bytes;
                consumed += bytes;
            }
        }

        /** The bytes admitted so far. */
        public long consumed() {
            return consumed;
        }

        /**
         * Wraps the upload's data so that every byte read is admitted first; a read that would go
         * over a quota fails with a {@link QuotaExceededException} wrapped in an {@link IOException}
         * as its cause, so that stream code propagates it.
         */
        public InputStream meter(InputStream data) {
            return new FilterInputStream(data) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        admit(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    int n = super.read(buffer, off, len);
                    if (n > 0) {
                        admit(n);
                    }
                    return n;
                }

                private void admit(long n) throws IOException {
                    try {
                        consume(n);
                    } catch (QuotaExceededException e) {
                        throw new IOException(e.getMessage(), e);
                    }
                }
            };
        }

        /**
         * Ends the upload successfully: runs {@code persist} (which stores the image with its size
         * and location) and moves this upload's bytes from in-flight to stored, atomically with
         * respect to other uploads of the project.
         */
        public void commit(Runnable persist) {
            if (finished) {
                throw new IllegalStateException("the upload is finished");
            }
            synchronized (ledger) {
                persist.run();
                finished = true;
                ledger.inFlight -= consumed;
                ledger.uploading--;
                refresh(owner, ledger);
            }
        }

        /** Ends the upload without storing it, if it was not committed: its bytes are released. */
        @Override
        public void close() {
            if (finished) {
                return;
            }
            synchronized (ledger) {
                finished = true;
                ledger.inFlight -= consumed;
                ledger.uploading--;
            }
        }
    }
}
