package dev.glimpse.image.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageException;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.TestClock;
import dev.glimpse.image.VersionConflictException;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.internal.data.DataPath;
import dev.glimpse.image.internal.data.UploadPipeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DefaultImageServiceTest {
    private static final RequestContext ALICE = RequestContext.member("alice", "a");

    private final InMemoryImageRepository repository = new InMemoryImageRepository();
    private final List<Image> deletedData = new ArrayList<>();

    private DefaultImageService service(ImageDataDeleter deleter) {
        return new DefaultImageService(new DefaultImageService.Settings(repository,
                new TestClock(Instant.parse("2024-01-01T00:00:00Z")), EnumSet.allOf(DiskFormat.class),
                EnumSet.allOf(ContainerFormat.class), 25, 1000, deleter,
                new DataPath(new DataPath.Settings(null, 1L << 40, "sha512", FormatInspector.defaults(), 10,
                        UploadPipeline.defaults()))));
    }

    @Test
    void deleteHandsTheDeletedImageWithItsLocationsToTheDataDeleter() {
        DefaultImageService service = service(deletedData::add);
        Image image = service.create(ALICE, NewImage.builder().build());
        repository.update(image.toBuilder().addLocation(ImageLocation.of("file:///data/" + image.id(), "fs")).build());
        service.delete(ALICE, image.id());
        assertThat(deletedData).hasSize(1);
        assertThat(deletedData.get(0).status()).isEqualTo(ImageStatus.DELETED);
        assertThat(deletedData.get(0).locations()).extracting(ImageLocation::url).containsExactly("file:///data/" + image.id());
    }

    @Test
    void refusedDeleteTouchesNoData() {
        DefaultImageService service = service(deletedData::add);
        Image image = service.create(ALICE, NewImage.builder().isProtected(true).build());
        assertThatThrownBy(() -> service.delete(ALICE, image.id())).isInstanceOf(ForbiddenException.class);
        assertThat(deletedData).isEmpty();
    }

    @Test
    void dataDeletionFailureIsReportedNotSwallowed() {
        DefaultImageService service = service(img -> {
            throw new ImageException("store unavailable");
        });
        Image image = service.create(ALICE, NewImage.builder().build());
        assertThatThrownBy(() -> service.delete(ALICE, image.id())).hasMessageContaining("store unavailable");
        // The record is deleted either way; the data left behind is the store's to clean up.
        assertThat(repository.get(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.DELETED);
    }

    @Test
    void modifyRetriesALostCompareAndSetOnFreshData() {
        DefaultImageService service = service(ImageDataDeleter.NONE);
        Image image = service.create(ALICE, NewImage.builder().build());
        AtomicInteger calls = new AtomicInteger();
        Image result = service.modify(ALICE, image.id(), current -> {
            if (calls.incrementAndGet() == 1) {
                // Another writer gets in between this read and the write.
                repository.update(current.toBuilder().property("other", "x").build());
            }
            return current.toBuilder().property("mine", "y").build();
        });
        assertThat(calls).hasValue(2);
        assertThat(result.properties()).containsEntry("other", "x").containsEntry("mine", "y");
        assertThat(result.version()).isEqualTo(3);
    }

    @Test
    void modifyGivesUpAfterEndlessContention() {
        DefaultImageService service = service(ImageDataDeleter.NONE);
        Image image = service.create(ALICE, NewImage.builder().build());
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> service.modify(ALICE, image.id(), current -> {
            calls.incrementAndGet();
            repository.update(current.toBuilder().name("n" + calls.get()).build());
            return current.toBuilder().property("mine", "y").build();
        })).isInstanceOf(dev.glimpse.image.ConflictException.class).hasCauseInstanceOf(VersionConflictException.class);
        assertThat(calls).hasValue(DefaultImageService.MAX_ATTEMPTS);
        assertThat(repository.get(image.id()).orElseThrow().properties()).doesNotContainKey("mine");
    }
}
