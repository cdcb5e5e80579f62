package dev.glimpse.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a host application tests its upload rule: plain JUnit, images from {@link TestImages}, no
 * qemu-img and no binaries in the repository.
 */
class FormatValidationExampleTest {
    @TempDir Path dir;

    private Path file(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void acceptsAValidQcow2AndReportsItsVirtualSize() throws Exception {
        Path disk = file("disk.qcow2", TestImages.qcow2(64L << 20));
        assertThat(FormatValidationExample.accept(disk, DiskFormat.QCOW2).virtualSize()).hasValue(64L << 20);
    }

    @Test
    void refusesABackingFile() throws Exception {
        Path disk = file("backed.qcow2", TestImages.Qcow2.builder(1 << 20).backingFile("/etc/passwd").build());
        assertThatThrownBy(() -> FormatValidationExample.accept(disk, DiskFormat.QCOW2))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("backing");
    }

    @Test
    void refusesAFormatOtherThanTheDeclaredOne() throws Exception {
        Path disk = file("really-vmdk.img", TestImages.vmdkSparse(1 << 20));
        assertThatThrownBy(() -> FormatValidationExample.accept(disk, DiskFormat.QCOW2))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("vmdk");
    }

    @Test
    void refusesATruncatedHeader() throws Exception {
        Path disk = file("short.qcow2", TestImages.truncated(TestImages.qcow2(1 << 20), 40));
        assertThatThrownBy(() -> FormatValidationExample.accept(disk, DiskFormat.QCOW2))
                .isInstanceOf(ImageFormatException.class);
    }

    @Test
    void refusesAQcow2HiddenInAnIsoSystemArea() throws Exception {
        Path disk = file("polyglot.iso", TestImages.isoWithSystemArea(64, TestImages.truncated(TestImages.qcow2(1 << 20), 32 * 1024)));
        assertThatThrownBy(() -> FormatValidationExample.accept(disk, DiskFormat.ISO))
                .isInstanceOf(ImageFormatException.class);
    }

    @Test
    void mainPrintsTheVerdict() throws Exception {
        Path disk = file("ok.qcow2", TestImages.qcow2(1 << 20));
        String out = Examples.capture(() -> FormatValidationExample.main(new String[] {disk.toString(), "qcow2"}));
        assertThat(out).isEqualTo("accepted: qcow2, virtual size 1048576 bytes" + System.lineSeparator());
    }
}
