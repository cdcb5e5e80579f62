package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.ChecksumMismatchException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.InvalidImageDataException;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.testing.TestImages;
import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStoreRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole data path on the filesystem store and the file-backed catalogue, on the real disk and
 * on Jimfs: real images in, hostile ones refused with nothing left behind, restarts survived.
 */
class UploadIntegrationTest {
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");

    @TempDir
    static Path tempRoot;

    private FileImageRepository repository;
    private FilesystemImageStore store;
    private ImageService service;
    private Path images;
    private Path catalogue;

    static Stream<Arguments> fileSystems() throws IOException {
        FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix());
        return Stream.of(Arguments.of("disk", Files.createTempDirectory(tempRoot, "glimpse")),
                Arguments.of("jimfs", jimfs.getPath("/glimpse")));
    }

    private void open(Path root) throws IOException {
        images = root.resolve("images");
        catalogue = root.resolve("catalogue");
        store = FilesystemImageStore.builder("local").dataDirectory(images).build();
        repository = FileImageRepository.open(catalogue);
        service = ImageService.builder().repository(repository).stores(ImageStoreRegistry.of(store)).build();
    }

    private void reopen() throws IOException {
        repository.close();
        repository = FileImageRepository.open(catalogue);
        service = ImageService.builder().repository(repository).stores(ImageStoreRegistry.of(store)).build();
    }

    @AfterEach
    void close() throws IOException {
        if (repository != null) {
            repository.close();
        }
    }

    private Image queued(DiskFormat disk) {
        return service.create(ALICE, NewImage.builder().diskFormat(disk).containerFormat(ContainerFormat.BARE).build());
    }

    private List<String> dataFiles() throws IOException {
        try (Stream<Path> files = Files.list(images)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private void assertRefused(byte[] image, DiskFormat declared, String reason) throws IOException {
        Image queued = queued(declared);
        assertThatThrownBy(() -> service.upload(ALICE, queued.id(), new ByteArrayInputStream(image)))
                .isInstanceOf(InvalidImageDataException.class)
                .hasMessageContaining(reason);
        assertThat(dataFiles()).isEmpty();
        reopen();
        Image after = service.get(ALICE, queued.id());
        assertThat(after.status()).isEqualTo(ImageStatus.QUEUED);
        assertThat(after.size()).isEmpty();
        assertThat(after.locations()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void qcow2WithBackingFileIsRefused(String name, Path root) throws IOException {
        open(root);
        assertRefused(TestImages.Qcow2.builder(1 << 20).backingFile("/etc/passwd").build(), DiskFormat.QCOW2,
                "backing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void vmdkWithHostExtentIsRefused(String name, Path root) throws IOException {
        open(root);
        assertRefused(TestImages.vmdkDescriptorFile("/etc/shadow", 0), DiskFormat.VMDK, "vmdk");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void polyglotIsRefused(String name, Path root) throws IOException {
        open(root);
        byte[] iso = TestImages.iso(40);
        byte[] polyglot = TestImages.overlay(TestImages.qcow2(1 << 20), 16 * 2048,
                Arrays.copyOfRange(iso, 16 * 2048, 18 * 2048));
        assertRefused(polyglot, DiskFormat.QCOW2, "multiple formats");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void differencingVhdIsRefused(String name, Path root) throws IOException {
        open(root);
        assertRefused(TestImages.vhdDifferencing(1 << 20, "/etc/passwd"), DiskFormat.VHD, "vhd");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void formatMismatchIsRefused(String name, Path root) throws IOException {
        open(root);
        assertRefused(TestImages.qcow2(1 << 20), DiskFormat.RAW, "qcow2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void validImageSurvivesARestartAndDownloadsVerified(String name, Path root) throws IOException {
        open(root);
        byte[] qcow2 = TestImages.qcow2(5L << 30);
        Image active = service.upload(ALICE, queued(DiskFormat.QCOW2).id(), new ByteArrayInputStream(qcow2));
        assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(active.virtualSize()).contains(5L << 30);
        assertThat(active.size()).contains((long) qcow2.length);
        assertThat(dataFiles()).containsExactly(active.id());
        reopen();
        assertThat(service.get(ALICE, active.id())).isEqualTo(active);
        try (ImageData data = service.download(ALICE, active.id()).orElseThrow()) {
            assertThat(data.stream().readAllBytes()).isEqualTo(qcow2);
        }
        try (ImageData data = service.download(ALICE, active.id(), ByteRange.of(4, 4)).orElseThrow()) {
            assertThat(data.stream().readAllBytes()).isEqualTo(Arrays.copyOfRange(qcow2, 4, 8));
        }
        service.delete(ALICE, active.id());
        assertThat(dataFiles()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void corruptedFileOnDiskFailsTheDownload(String name, Path root) throws IOException {
        open(root);
        byte[] raw = TestImages.raw(256 * 1024);
        Image active = service.upload(ALICE, queued(DiskFormat.RAW).id(), new ByteArrayInputStream(raw));
        Path file = images.resolve(active.id());
        byte[] bytes = Files.readAllBytes(file);
        bytes[100_000] ^= 0x20;
        Files.write(file, bytes);
        try (ImageData data = service.download(ALICE, active.id()).orElseThrow();
                InputStream in = data.stream()) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(ChecksumMismatchException.class);
        }
    }

    @Test
    void imageMadeByQemuImgIsAcceptedWithItsVirtualSize(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Process qemu = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "3G")
                .redirectErrorStream(true).start();
        assertThat(qemu.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(qemu.exitValue()).isZero();
        open(dir.resolve("glimpse"));
        Image active;
        try (InputStream in = Files.newInputStream(image)) {
            active = service.upload(ALICE, queued(DiskFormat.QCOW2).id(), in);
        }
        assertThat(active.virtualSize()).contains(3L << 30);
        assertThat(Files.readAllBytes(images.resolve(active.id()))).isEqualTo(Files.readAllBytes(image));
    }

    @Test
    void qcow2WithBackingFileMadeByQemuImgIsRefused(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("base.raw");
        Files.write(base, new byte[1 << 20]);
        Path image = dir.resolve("child.qcow2");
        Process qemu = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", "-b", base.toString(),
                "-F", "raw", image.toString()).redirectErrorStream(true).start();
        assertThat(qemu.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(qemu.exitValue()).isZero();
        open(dir.resolve("glimpse"));
        assertRefused(Files.readAllBytes(image), DiskFormat.QCOW2, "backing");
    }
}
