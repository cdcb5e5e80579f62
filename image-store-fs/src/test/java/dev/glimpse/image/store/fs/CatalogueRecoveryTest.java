package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.store.StoredImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Crash recovery on Jimfs: the states a kill leaves, built by hand. CrashTest makes them with real kills. */
class CatalogueRecoveryTest {
    private static final Instant OLD = Instant.parse("2020-01-01T00:00:00Z");

    private FileSystem fs;
    private FileImageRepository repository;
    private FilesystemImageStore store;
    private Path images;

    @BeforeEach
    void setUp() throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix());
        images = fs.getPath("/data/images");
        store = FilesystemImageStore.builder("local").dataDirectory(images).build();
        repository = FileImageRepository.open(fs.getPath("/data/catalogue"));
    }

    @AfterEach
    void tearDown() throws IOException {
        repository.close();
        fs.close();
    }

    private Image image(ImageStatus status, Instant updated, List<ImageLocation> locations) {
        String id = UUID.randomUUID().toString();
        return repository.create(Image.builder().id(id).status(status).createdAt(OLD).updatedAt(updated)
                .size(status == ImageStatus.QUEUED ? null : 5L).checksum(status == ImageStatus.QUEUED ? null
                        : "0123456789abcdef0123456789abcdef").locations(locations).build());
    }

    private ImageLocation write(String id, Instant modified) throws IOException {
        StoredImage stored = store.write(id, new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), 5);
        Files.setLastModifiedTime(images.resolve(id), FileTime.from(modified));
        return new ImageLocation(stored.location().uri().toString(), Map.of(), "local", ImageLocation.Status.ACTIVE);
    }

    @Test
    void requeuesStuckImagesAndDeletesOnlyOrphans() throws IOException {
        String activeId = UUID.randomUUID().toString();
        ImageLocation activeLocation = write(activeId, OLD);
        Image active = repository.create(Image.builder().id(activeId).status(ImageStatus.ACTIVE).size(5L)
                .createdAt(OLD).updatedAt(OLD).locations(List.of(activeLocation)).build());
        String pendingId = UUID.randomUUID().toString();
        ImageLocation pendingLocation = new ImageLocation(write(pendingId, OLD).url(), Map.of(), "local",
                ImageLocation.Status.PENDING_DELETE);
        repository.create(Image.builder().id(pendingId).status(ImageStatus.PENDING_DELETE).createdAt(OLD)
                .updatedAt(OLD).locations(List.of(pendingLocation)).build());
        // Killed between the store write and activation: saving, its file under its name.
        Image stuck = image(ImageStatus.SAVING, OLD, List.of());
        write(stuck.id(), OLD);
        // Killed between the delete record and the file's removal.
        Image deleted = image(ImageStatus.DELETED, OLD, List.of());
        write(deleted.id(), OLD);
        // A crashed write's temp file, and a file this store never writes.
        Files.write(images.resolve(".abc.0123.tmp"), new byte[] {1});
        Files.setLastModifiedTime(images.resolve(".abc.0123.tmp"), FileTime.from(OLD));
        Files.write(images.resolve("README~"), new byte[] {1});
        Files.setLastModifiedTime(images.resolve("README~"), FileTime.from(OLD));

        CatalogueRecovery.Report report = CatalogueRecovery.recover(repository, store, Duration.ZERO);

        assertThat(report.requeuedImages()).containsExactly(stuck.id());
        Image requeued = repository.get(stuck.id()).orElseThrow();
        assertThat(requeued.status()).isEqualTo(ImageStatus.QUEUED);
        assertThat(requeued.size()).isEmpty();
        assertThat(requeued.checksum()).isEmpty();
        assertThat(requeued.locations()).isEmpty();
        assertThat(report.deletedFiles()).containsExactlyInAnyOrder(images.resolve(stuck.id()),
                images.resolve(deleted.id()), images.resolve(".abc.0123.tmp"));
        assertThat(images.resolve(activeId)).exists();
        assertThat(images.resolve(pendingId)).exists();
        assertThat(images.resolve("README~")).exists();
        assertThat(repository.get(activeId)).contains(active);
        assertThat(CatalogueRecovery.recover(repository, store, Duration.ZERO).isClean()).isTrue();
    }

    @Test
    void theGracePeriodSparesRecentImagesAndFiles() throws IOException {
        Image recent = image(ImageStatus.SAVING, Instant.now(), List.of());
        write(recent.id(), Instant.now());
        Image old = image(ImageStatus.SAVING, OLD, List.of());

        CatalogueRecovery.Report report = CatalogueRecovery.recover(repository, store, Duration.ofHours(1));

        assertThat(report.requeuedImages()).containsExactly(old.id());
        assertThat(report.deletedFiles()).isEmpty();
        assertThat(repository.get(recent.id()).orElseThrow().status()).isEqualTo(ImageStatus.SAVING);
        assertThat(images.resolve(recent.id())).exists();
    }

    @Test
    void aNegativeGraceIsRefusedAndChangesNothing() throws IOException {
        Image stuck = image(ImageStatus.SAVING, OLD, List.of());
        assertThatThrownBy(() -> CatalogueRecovery.recover(repository, store, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> store.removeOrphans(Set.of(), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(repository.get(stuck.id()).orElseThrow().status()).isEqualTo(ImageStatus.SAVING);
    }
}
