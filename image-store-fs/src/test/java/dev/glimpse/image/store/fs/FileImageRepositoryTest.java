package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.InMemoryImageRepository;
import dev.glimpse.image.spi.ImageRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Persistence across reopen, compaction and failures, checked against the in-memory repository. */
class FileImageRepositoryTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static String id(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    /** Applies the same random operations to both repositories. */
    private static void randomWorkload(Random random, ImageRepository a, ImageRepository b, int operations) {
        for (int i = 0; i < operations; i++) {
            int n = random.nextInt(50);
            String id = id(n);
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (a.get(id).isEmpty()) {
                        Image image = Image.builder().id(id).owner("p" + (n % 3)).name("image " + n + " \u00e9")
                                .createdAt(T0.plusSeconds(n)).updatedAt(T0.plusSeconds(n))
                                .diskFormat(DiskFormat.QCOW2).containerFormat(ContainerFormat.BARE)
                                .visibility(Visibility.SHARED).property("k" + n, "v\"\n" + n).addTag("t" + n)
                                .build();
                        a.create(image);
                        b.create(image);
                    }
                }
                case 1 -> {
                    Image current = a.get(id).orElse(null);
                    if (current == null) {
                        break;
                    }
                    Image next = current.toBuilder().status(ImageStatus.ACTIVE).size((long) random.nextInt(1 << 30))
                            .checksum("0123456789abcdef0123456789abcdef").osHashAlgo("sha512").osHashValue("ab")
                            .locations(List.of(new ImageLocation("file:///images/" + id, Map.of("m", "1"), "local",
                                    ImageLocation.Status.ACTIVE)))
                            .updatedAt(T0.plusNanos(random.nextInt(1_000_000_000))).build();
                    a.update(next);
                    b.update(b.get(id).orElseThrow().toBuilder().status(ImageStatus.ACTIVE).size(next.size().get())
                            .checksum("0123456789abcdef0123456789abcdef").osHashAlgo("sha512").osHashValue("ab")
                            .locations(next.locations()).updatedAt(next.updatedAt()).build());
                }
                case 2 -> {
                    if (a.get(id).isPresent() && a.getMember(id, "m" + n).isEmpty()) {
                        ImageMember member = new ImageMember(id, "m" + n, MemberStatus.PENDING, T0, T0);
                        a.addMember(member);
                        b.addMember(member);
                    } else if (a.getMember(id, "m" + n).isPresent()) {
                        ImageMember member = a.getMember(id, "m" + n).get().withStatus(MemberStatus.ACCEPTED, T0.plusSeconds(9));
                        a.updateMember(member);
                        b.updateMember(member);
                    }
                }
                case 3 -> assertThat(a.removeMember(id, "m" + n)).isEqualTo(b.removeMember(id, "m" + n));
                default -> {
                    if (random.nextInt(4) == 0) {
                        assertThat(a.purge(id)).isEqualTo(b.purge(id));
                    }
                }
            }
        }
    }

    private static void assertSameContent(ImageRepository actual, ImageRepository expected) {
        for (int n = 0; n < 50; n++) {
            assertThat(actual.get(id(n))).as("image %d", n).isEqualTo(expected.get(id(n)));
            assertThat(actual.listMembers(id(n))).as("members of %d", n).isEqualTo(expected.listMembers(id(n)));
        }
    }

    @Test
    void everythingWrittenReadsBackAfterReopenAndCompaction() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/catalogue");
            InMemoryImageRepository model = new InMemoryImageRepository();
            Random random = new Random(7);
            try (FileImageRepository repository = FileImageRepository.open(dir, 4096)) {
                randomWorkload(random, repository, model, 2000);
                assertSameContent(repository, model);
            }
            assertThat(dir.resolve("catalogue.snapshot")).exists();
            try (FileImageRepository repository = FileImageRepository.open(dir)) {
                assertSameContent(repository, model);
                randomWorkload(random, repository, model, 500);
                repository.compact();
                randomWorkload(random, repository, model, 100);
            }
            try (FileImageRepository repository = FileImageRepository.open(dir)) {
                assertSameContent(repository, model);
            }
        }
    }

    @Test
    void failedWriteChangesNothing() throws IOException {
        Configuration tiny = Configuration.unix().toBuilder().setMaxSize(64 * 1024).setBlockSize(4096).build();
        try (FileSystem fs = Jimfs.newFileSystem(tiny)) {
            Path dir = fs.getPath("/catalogue");
            try (FileImageRepository repository = FileImageRepository.open(dir)) {
                Image first = repository.create(Image.builder().id(id(1)).createdAt(T0).updatedAt(T0).build());
                // Fill the file system so that the next record cannot be written.
                Files.write(fs.getPath("/filler"), new byte[40 * 1024]);
                Image big = Image.builder().id(id(2)).createdAt(T0).updatedAt(T0)
                        .property("big", "x".repeat(30_000)).build();
                assertThatThrownBy(() -> repository.create(big)).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining("cannot write to catalogue");
                assertThat(repository.get(id(2))).isEmpty();
                Files.delete(fs.getPath("/filler"));
                assertThat(repository.update(first.toBuilder().name("after").build()).name()).contains("after");
            }
            try (FileImageRepository repository = FileImageRepository.open(dir)) {
                assertThat(repository.get(id(2))).isEmpty();
                assertThat(repository.get(id(1)).orElseThrow().name()).contains("after");
            }
        }
    }

    @Test
    void closedRepositoryRefusesWritesAndReleasesItsLock() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/catalogue");
            FileImageRepository repository = FileImageRepository.open(dir);
            assertThatThrownBy(() -> FileImageRepository.open(dir)).isInstanceOf(CatalogueLockedException.class);
            repository.close();
            assertThatThrownBy(() -> repository.create(Image.builder().id(id(1)).createdAt(T0).updatedAt(T0).build()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            FileImageRepository.open(dir).close();
        }
    }
}
