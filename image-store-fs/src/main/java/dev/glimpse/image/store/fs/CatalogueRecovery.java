package dev.glimpse.image.store.fs;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.VersionConflictException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a file-backed catalogue and its filesystem store back in order after a crash.
 *
 * <p>Every write is atomic, but an upload or a delete spans two of them, the store's and the
 * catalogue's, and a kill between the two leaves one half done: an image stuck in {@code saving}
 * whose data was (or was not) written, or a deleted image whose file was not removed. Recovery
 * moves images stuck in {@code saving} back to {@code queued} (size, virtual size, checksums and
 * locations cleared, so that the data can be uploaded again) and deletes the files that no image
 * still references, including the temporary files of crashed writes.
 *
 * <p>Run it at startup, after opening the catalogue and before serving uploads: an image is taken
 * to be stuck only if its last change is older than the grace period, and a file is deleted only
 * if it is older than that too, so a host that runs it later must pass a grace period longer than
 * its slowest upload. The image-cli runs it when it opens a catalogue.
 */
public final class CatalogueRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogueRecovery.class);

    /** What one recovery did. */
    public record Report(List<String> requeuedImages, List<Path> deletedFiles) {
        /** Copies the lists. */
        public Report {
            requeuedImages = List.copyOf(requeuedImages);
            deletedFiles = List.copyOf(deletedFiles);
        }

        /** Whether recovery found nothing to repair. */
        public boolean isClean() {
            return requeuedImages.isEmpty() && deletedFiles.isEmpty();
        }
    }

    private CatalogueRecovery() {}

    /**
     * Recovers {@code repository} and {@code store} from a crash.
     *
     * @param grace how old an image's last change and a file must be to be repaired; {@link Duration#ZERO}
     *     at startup, when no upload can be running
     * @return what was repaired
     * @throws IOException if the store's directories cannot be listed or a file cannot be deleted
     *     (the images already requeued stay so: each repair is a complete change)
     */
    public static Report recover(FileImageRepository repository, FilesystemImageStore store, Duration grace)
            throws IOException {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        Instant cutoff = Instant.now().minus(grace);
        List<String> requeued = new ArrayList<>();
        for (Image image : repository.images()) {
            if (image.status() == ImageStatus.SAVING && !image.updatedAt().isAfter(cutoff)) {
                Image queued = image.toBuilder().status(ImageStatus.QUEUED).size(null).virtualSize(null)
                        .checksum(null).osHashAlgo(null).osHashValue(null).locations(List.of())
                        .updatedAt(Instant.now()).build();
                try {
                    repository.update(queued);
                    requeued.add(image.id());
                    LOG.info("catalogue {}: image {} was left in saving by a crash; moved back to queued",
                            repository.directory(), image.id());
                } catch (VersionConflictException e) {
                    // Changed since we read it: it is not stuck.
                }
            }
        }
        // Read after the requeueing: every location that an image which is not deleted still lists.
        Set<URI> referenced = new HashSet<>();
        for (Image image : repository.images()) {
            if (image.status() == ImageStatus.DELETED) {
                continue;
            }
            for (ImageLocation location : image.locations()) {
                try {
                    referenced.add(URI.create(location.url()));
                } catch (IllegalArgumentException e) {
                    // Not a URI: it cannot name one of the store's files either.
                }
            }
        }
        List<Path> deleted = store.removeOrphans(referenced, grace);
        return new Report(requeued, deleted);
    }
}
