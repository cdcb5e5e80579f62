package dev.glimpse.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.format.ImageFormatException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleImagesTest {
    @TempDir Path dir;

    @Test
    void withQemuImgTheSampleIsValidAndTheHostileImageIsRefused() throws Exception {
        check(SampleImages.write(dir.resolve("s.qcow2"), dir.resolve("h.qcow2")), "qemu-img");
    }

    @Test
    void withoutQemuImgTheTestingBuildersMakeTheSameKinds() throws Exception {
        check(SampleImages.writeWithBuilders(dir.resolve("s.qcow2"), dir.resolve("h.qcow2")), "testing builders");
    }

    private void check(String how, String expected) throws Exception {
        assertThat(how).contains(expected);
        assertThat(FormatInspector.defaults().validate(dir.resolve("s.qcow2"), DiskFormat.QCOW2).virtualSize())
                .hasValue(4L << 20);
        assertThatThrownBy(() -> FormatInspector.defaults().validate(dir.resolve("h.qcow2"), DiskFormat.QCOW2))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("/etc/passwd");
    }
}
