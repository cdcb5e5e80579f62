package dev.glimpse.image.format.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.format.Inspection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every valid builder output opens in qemu-img with the expected format and virtual size, and passes validation. */
class TestImagesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("raw", "raw", 1000448L, (Supplier<byte[]>) () -> TestImages.raw(1000448)),
                Arguments.of("raw mbr", "raw", 1L << 20, (Supplier<byte[]>) () -> TestImages.rawWithMbr(1 << 20)),
                Arguments.of("raw gpt", "raw", 1L << 20, (Supplier<byte[]>) () -> TestImages.rawWithGpt(1 << 20)),
                Arguments.of("qcow2 v3", "qcow2", 1L << 30, (Supplier<byte[]>) () -> TestImages.qcow2(1L << 30)),
                Arguments.of("qcow2 v2 4k", "qcow2", 1000448L,
                        (Supplier<byte[]>) () -> TestImages.Qcow2.builder(1000448).version(2).clusterBits(12).build()),
                Arguments.of("qcow2 features", "qcow2", 5L << 30, (Supplier<byte[]>) () -> TestImages.Qcow2
                        .builder(5L << 30).lazyRefcounts().extendedL2().zstd().build()),
                Arguments.of("vhd fixed", "vpc", 1000448L, (Supplier<byte[]>) () -> TestImages.vhdFixed(1000448)),
                Arguments.of("vhd dynamic", "vpc", 5000192L, (Supplier<byte[]>) () -> TestImages.vhdDynamic(5000192)),
                Arguments.of("vhd fixed gpt", "vpc", 1L << 20, (Supplier<byte[]>) () -> TestImages.vhdFixedWithGpt(1 << 20)),
                Arguments.of("vhdx", "vhdx", 3L << 30, (Supplier<byte[]>) () -> TestImages.vhdx(3L << 30)),
                Arguments.of("vmdk sparse", "vmdk", 10L << 20, (Supplier<byte[]>) () -> TestImages.vmdkSparse(10L << 20)),
                Arguments.of("vmdk stream", "vmdk", 1L << 20, (Supplier<byte[]>) () -> TestImages.vmdkStreamOptimized(1L << 20)),
                Arguments.of("vmdk stream footer", "vmdk", 1L << 20,
                        (Supplier<byte[]>) () -> TestImages.vmdkStreamOptimizedWithFooter(1L << 20)),
                Arguments.of("vdi", "vdi", 3000320L, (Supplier<byte[]>) () -> TestImages.vdi(3000320)),
                Arguments.of("iso", "raw", 40L * 2048, (Supplier<byte[]>) () -> TestImages.iso(40)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void qemuImgReadsTheValidImages(String name, String qemuFormat, long virtualSize, Supplier<byte[]> builder)
            throws Exception {
        Path image = dir.resolve("image");
        Files.write(image, builder.get());
        JsonNode info = qemuInfo(image, qemuFormat);
        assertThat(info.get("format").asText()).isEqualTo(qemuFormat);
        assertThat(info.get("virtual-size").asLong()).isEqualTo(virtualSize);
        String expected = name.startsWith("iso") ? "iso" : qemuFormat.equals("vpc") ? "vhd" : qemuFormat;
        Inspection inspection = FormatInspector.defaults().validate(image, DiskFormat.fromWireName(expected));
        assertThat(inspection.virtualSize()).hasValue(virtualSize);
        // the same answer streamed, in several chunkings
        for (int chunk : new int[] {17, 4096, 1 << 20}) {
            var streaming = FormatInspector.defaults().startStreaming();
            byte[] bytes = Files.readAllBytes(image);
            for (int at = 0; at < bytes.length; at += chunk) {
                streaming.update(bytes, at, Math.min(chunk, bytes.length - at));
            }
            assertThat(streaming.finish()).isEqualTo(inspection);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void qemuImgReadsTheRefusedFormatsWhichTheInspectorRecognises(String format, long virtualSize, Supplier<byte[]> builder)
            throws Exception {
        Path image = dir.resolve("image");
        Files.write(image, builder.get());
        JsonNode info = qemuInfo(image, format);
        assertThat(info.get("virtual-size").asLong()).isEqualTo(virtualSize);
        Inspection inspection = FormatInspector.defaults().inspect(image);
        assertThat(inspection.format()).isEqualTo(format);
        assertThat(inspection.virtualSize()).hasValue(virtualSize);
        assertThat(inspection.violations()).extracting(dev.glimpse.image.format.SafetyViolation::code)
                .containsExactly("unsupported_format");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("qed", 10L << 20, (Supplier<byte[]>) () -> TestImages.qed(10L << 20)),
                Arguments.of("qcow", 3000320L, (Supplier<byte[]>) () -> TestImages.qcowVersion1(3000320)));
    }

    static JsonNode qemuInfo(Path image, String format) throws Exception {
        boolean present = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "qemu-img")));
        Assumptions.assumeTrue(present, "qemu-img is not installed");
        Process p = new ProcessBuilder("qemu-img", "info", "-f", format, "--output=json", image.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertThat(p.exitValue()).as("qemu-img info: %s", err).isZero();
        return new ObjectMapper().readTree(out);
    }
}
