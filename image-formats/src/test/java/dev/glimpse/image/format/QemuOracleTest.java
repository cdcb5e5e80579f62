package dev.glimpse.image.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images made by qemu-img in the test run, in every format and sub-format it can write; the
 * inspector must agree with {@code qemu-img info -f FMT --output=json} on format and virtual size,
 * in every mode and chunking.
 */
class QemuOracleTest {
    @TempDir
    Path dir;

    static Stream<Arguments> created() {
        return Stream.of(
                Arguments.of("raw", "raw", "", 1000001L, Map.of()),
                Arguments.of("qcow2", "qcow2", "compat=0.10", 1000001L, Map.of("version", 2L, "compat", "0.10")),
                Arguments.of("qcow2", "qcow2", "compat=1.1", 10L << 30, Map.of("version", 3L, "cluster_size", 65536L)),
                Arguments.of("qcow2", "qcow2", "compat=1.1,lazy_refcounts=on", 5000000L, Map.of("lazy_refcounts", true)),
                Arguments.of("qcow2", "qcow2", "extended_l2=on", 1L << 30, Map.of("extended_l2", true)),
                Arguments.of("qcow2", "qcow2", "cluster_size=512", 3333333L, Map.of("cluster_size", 512L)),
                Arguments.of("qcow2", "qcow2", "cluster_size=2M", 7L << 30, Map.of("cluster_size", 2097152L)),
                Arguments.of("qcow2", "qcow2", "cluster_size=4096,refcount_bits=64", 999L << 20, Map.of("refcount_bits", 64L)),
                Arguments.of("qcow2", "qcow2", "compression_type=zstd", 1L << 20, Map.of("compression_type", "zstd")),
                Arguments.of("qcow2", "qcow2", "preallocation=metadata", 3000000L, Map.of("version", 3L)),
                Arguments.of("qcow2", "qcow2", "refcount_bits=1", 123456789L, Map.of("refcount_bits", 1L)),
                Arguments.of("vhd", "vpc", "subformat=dynamic", 7L << 20, Map.of("vhd_type", "dynamic", "creator_app", "qemu")),
                Arguments.of("vhd", "vpc", "subformat=dynamic", 129L << 20, Map.of("vhd_type", "dynamic")),
                Arguments.of("vhd", "vpc", "subformat=dynamic", 2057L << 20, Map.of("vhd_type", "dynamic")),
                Arguments.of("vhd", "vpc", "subformat=fixed", 7L << 20, Map.of("vhd_type", "fixed")),
                Arguments.of("vhd", "vpc", "subformat=fixed,force_size=on", 1000001L, Map.of("vhd_type", "fixed", "creator_app", "qem2")),
                Arguments.of("vhd", "vpc", "subformat=dynamic,force_size=on", 1000001L, Map.of("size_rule", "current_size")),
                Arguments.of("vhdx", "vhdx", "", 30L << 30, Map.of("vhdx_type", "dynamic")),
                Arguments.of("vhdx", "vhdx", "subformat=fixed", 3L << 20, Map.of("vhdx_type", "fixed")),
                Arguments.of("vhdx", "vhdx", "block_size=1M", 1000001L, Map.of("block_size", 1048576L)),
                Arguments.of("vmdk", "vmdk", "subformat=monolithicSparse", 40L << 30, Map.of("create_type", "monolithicSparse")),
                Arguments.of("vmdk", "vmdk", "subformat=streamOptimized", 1000001L, Map.of("create_type", "streamOptimized")),
                Arguments.of("vmdk", "vmdk", "subformat=monolithicSparse,zeroed_grain=on", 3L << 20, Map.of("vmdk_version", 2L)),
                Arguments.of("vdi", "vdi", "", 1000001L, Map.of("vdi_type", "dynamic")),
                Arguments.of("vdi", "vdi", "static=on", 3L << 20, Map.of("vdi_type", "static")));
    }

    @ParameterizedTest(name = "{1} -o {2} size {3}")
    @MethodSource("created")
    void agreesWithQemuImg(String expected, String qemuFormat, String options, long size, Map<String, Object> details)
            throws Exception {
        Path image = QemuImg.create(dir.resolve("image." + qemuFormat), qemuFormat, options, size);
        assertAgrees(image, expected, qemuFormat, details);
    }

    @ParameterizedTest(name = "convert -c to {0} {1}")
    @MethodSource("compressed")
    void compressedImagesAgree(String qemuFormat, String options, Map<String, Object> details) throws Exception {
        Path raw = dir.resolve("data.raw");
        byte[] data = new byte[3 * 1024 * 1024 + 4096];
        for (int i = 0; i < data.length; i += 4096) {
            data[i] = (byte) i;
            data[i + 1] = (byte) (i >> 8);
        }
        Files.write(raw, data);
        Path image = dir.resolve("image." + qemuFormat);
        List<String> command = new java.util.ArrayList<>(List.of("qemu-img", "convert", "-f", "raw", "-O", qemuFormat));
        if (qemuFormat.equals("qcow2")) {
            command.add("-c");
        }
        if (!options.isEmpty()) {
            command.addAll(List.of("-o", options));
        }
        command.addAll(List.of(raw.toString(), image.toString()));
        QemuImg.run(command.toArray(String[]::new));
        assertAgrees(image, qemuFormat, qemuFormat, details);
    }

    static Stream<Arguments> compressed() {
        return Stream.of(
                Arguments.of("qcow2", "compression_type=zlib", Map.of("compression_type", "zlib")),
                Arguments.of("qcow2", "compression_type=zstd", Map.of("compression_type", "zstd")),
                Arguments.of("vmdk", "subformat=streamOptimized", Map.of("create_type", "streamOptimized", "compressed", true)));
    }

    @Test
    void luksImagesAgree() throws Exception {
        Path image = dir.resolve("image.luks");
        QemuImg.run("qemu-img", "create", "-q", "-f", "luks", "--object", "secret,id=s0,data=glimpse",
                "-o", "key-secret=s0,iter-time=10", image.toString(), "1000001");
        JsonNode info = QemuImg.run("qemu-img", "info", "--object", "secret,id=s0,data=glimpse", "--output=json",
                "--image-opts", "driver=luks,key-secret=s0,file.filename=" + image).transform(QemuOracleTest::json);
        Inspection inspection = Modes.all(image).get();
        assertThat(inspection.format()).isEqualTo("luks");
        assertThat(inspection.virtualSize()).hasValue(info.get("virtual-size").asLong());
        assertThat(inspection.diskFormat()).isEmpty();
    }

    @ParameterizedTest(name = "refused: {0}")
    @MethodSource("refusedFormats")
    void formatsQemuCanProbeButGlimpseRefusesAreRecognised(String qemuFormat, String expected) throws Exception {
        Path image = QemuImg.create(dir.resolve("image." + qemuFormat), qemuFormat, "", 1L << 20);
        Inspection inspection = Modes.all(image).get();
        assertThat(inspection.format()).isEqualTo(expected);
        assertThat(inspection.violations()).extracting(SafetyViolation::code).contains("unsupported_format");
        assertThat(inspection.isSafe()).isFalse();
    }

    static Stream<Arguments> refusedFormats() {
        return Stream.of(Arguments.of("qed", "qed"), Arguments.of("qcow", "qcow"), Arguments.of("parallels", "parallels"));
    }

    @ParameterizedTest(name = "vmdk descriptor file {0}")
    @MethodSource("descriptorSubformats")
    void vmdkDescriptorFilesAreRecognisedAndRefused(String subformat) throws Exception {
        Path image = QemuImg.create(dir.resolve("image.vmdk"), "vmdk", "subformat=" + subformat, 1L << 20);
        Inspection inspection = Modes.all(image).get();
        assertThat(inspection.format()).isEqualTo("vmdk");
        assertThat(inspection.details()).containsEntry("create_type", subformat).containsEntry("descriptor_only", true);
        assertThat(inspection.violations()).extracting(SafetyViolation::code).contains("vmdk_create_type");
        assertThat(inspection.virtualSize()).hasValue(QemuImg.info(image, "vmdk").get("virtual-size").asLong());
    }

    static Stream<String> descriptorSubformats() {
        return Stream.of("monolithicFlat", "twoGbMaxExtentFlat", "twoGbMaxExtentSparse");
    }

    @ParameterizedTest(name = "iso by {0}")
    @MethodSource("isoCommands")
    void isoImagesAgree(String tool, List<String> arguments, boolean udf) throws Exception {
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.write(content.resolve("hello.txt"), new byte[300_001]);
        Path image = dir.resolve("image.iso");
        List<String> command = new java.util.ArrayList<>();
        command.add(tool);
        command.addAll(arguments);
        command.addAll(List.of("-o", image.toString(), content.toString()));
        QemuImg.run(command.toArray(String[]::new));
        Inspection inspection = Modes.all(image).get();
        assertThat(inspection.format()).isEqualTo("iso");
        assertThat(inspection.isSafe()).isTrue();
        assertThat(inspection.details()).containsEntry("udf", udf);
        // qemu has no ISO driver: it reads the file as raw, the size of the volume for these tools.
        assertThat(inspection.virtualSize()).hasValue(QemuImg.info(image, "raw").get("virtual-size").asLong());
    }

    static Stream<Arguments> isoCommands() {
        return Stream.of(
                Arguments.of("genisoimage", List.of("-quiet", "-R", "-J"), false),
                Arguments.of("genisoimage", List.of("-quiet", "-udf"), true),
                Arguments.of("xorriso", List.of("-as", "mkisofs", "-quiet", "-R"), false));
    }

    @Test
    void isohybridWithPartitionTableStaysIso() throws Exception {
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.write(content.resolve("hello.txt"), new byte[100_000]);
        Path image = dir.resolve("hybrid.iso");
        QemuImg.run("xorriso", "-as", "mkisofs", "-quiet", "--protective-msdos-label", "-o", image.toString(),
                content.toString());
        Inspection inspection = Modes.all(image).get();
        assertThat(inspection.format()).isEqualTo("iso");
        assertThat(inspection.details()).containsEntry("partition_table", "mbr");
        assertThat(FormatInspector.requireDeclared(inspection, DiskFormat.ISO)).isSameAs(inspection);
    }

    @Test
    void isohybridWithAppendedGptPartitionCountsTheWholeFile() throws Exception {
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.write(content.resolve("hello.txt"), new byte[10_000]);
        Path efi = dir.resolve("efi.img");
        Files.write(efi, new byte[300 * 1024]);
        Path image = dir.resolve("gpt.iso");
        QemuImg.run("xorriso", "-as", "mkisofs", "-quiet", "-append_partition", "2", "0xef", efi.toString(),
                "-appended_part_as_gpt", "-o", image.toString(), content.toString());
        Inspection inspection = Modes.all(image).get();
        assertThat(inspection.format()).isEqualTo("iso");
        assertThat(inspection.details()).containsEntry("partition_table", "gpt");
        assertThat(inspection.virtualSize()).hasValue(QemuImg.info(image, "raw").get("virtual-size").asLong());
        assertThat((Long) inspection.details().get("volume_size")).isLessThan(inspection.virtualSize().getAsLong());
    }

    @Test
    void qcow2WithSnapshotsAndBitmapsAgrees() throws Exception {
        Path image = QemuImg.create(dir.resolve("snap.qcow2"), "qcow2", "", 5L << 20);
        QemuImg.run("qemu-img", "snapshot", "-c", "first", image.toString());
        QemuImg.run("qemu-img", "bitmap", "--add", image.toString(), "dirty0");
        assertAgrees(image, "qcow2", "qcow2", Map.of("bitmaps", true));
    }

    @Test
    void qemuMadeQcow2WithBackingFileIsAViolation() throws Exception {
        Path base = QemuImg.create(dir.resolve("base.qcow2"), "qcow2", "", 1L << 20);
        Path child = dir.resolve("child.qcow2");
        QemuImg.run("qemu-img", "create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", child.toString());
        Inspection inspection = Modes.all(child).get();
        assertThat(inspection.violations()).extracting(SafetyViolation::code).containsExactly("backing_file");
        assertThat(inspection.violations().get(0).message()).contains(base.toString());
        assertThat(inspection.details()).containsEntry("backing_format", "qcow2");
        assertThat(QemuImg.info(child, "qcow2").get("backing-filename").asText()).isEqualTo(base.toString());
    }

    @Test
    void qemuMadeQcow2WithExternalDataFileIsAViolation() throws Exception {
        Path image = QemuImg.create(dir.resolve("data.qcow2"), "qcow2", "data_file=" + dir.resolve("data.raw"), 1L << 20);
        Inspection inspection = Modes.all(image).get();
        assertThat(inspection.violations()).extracting(SafetyViolation::code).containsExactly("data_file");
        assertThat(inspection.violations().get(0).message()).contains("data.raw");
    }

    @Test
    void qemuMadeVmdkWithBackingFileIsAViolation() throws Exception {
        Path base = QemuImg.create(dir.resolve("base.vmdk"), "vmdk", "", 1L << 20);
        Path child = dir.resolve("child.vmdk");
        QemuImg.run("qemu-img", "create", "-q", "-f", "vmdk", "-b", base.toString(), "-F", "vmdk", child.toString());
        Inspection inspection = Modes.all(child).get();
        assertThat(inspection.violations()).extracting(SafetyViolation::code).contains("backing_file");
    }

    @Test
    void qemuMadeQcow2OverAnIsoIsAPolyglot() throws Exception {
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.write(content.resolve("a.txt"), new byte[1000]);
        Path iso = dir.resolve("image.iso");
        QemuImg.run("genisoimage", "-quiet", "-o", iso.toString(), content.toString());
        Path qcow2 = QemuImg.create(dir.resolve("x.qcow2"), "qcow2", "", 1L << 30);
        byte[] bytes = Files.readAllBytes(iso);
        byte[] header = Files.readAllBytes(qcow2);
        System.arraycopy(header, 0, bytes, 0, 16 * 2048);
        Path poly = dir.resolve("poly.iso");
        Files.write(poly, bytes);
        // qemu probing the file sees qcow2; the inspector refuses it.
        assertThat(QemuImg.run("qemu-img", "info", "--output=json", poly.toString())).contains("\"qcow2\"");
        Modes.Outcome outcome = Modes.all(poly);
        assertThat(outcome.refusal()).contains("multiple formats detected: iso, qcow2");
    }

    private static void assertAgrees(Path image, String expected, String qemuFormat, Map<String, Object> details)
            throws Exception {
        JsonNode info = QemuImg.info(image, qemuFormat);
        Inspection inspection = Modes.all(image).get();
        assertThat(inspection.format()).isEqualTo(expected);
        assertThat(inspection.virtualSize()).as("virtual size").hasValue(info.get("virtual-size").asLong());
        assertThat(inspection.actualSize()).isEqualTo(Files.size(image));
        assertThat(inspection.details()).containsAllEntriesOf(details);
        assertThat(inspection.violations()).isEmpty();
        assertThat(FormatInspector.defaults().validate(image, DiskFormat.fromWireName(expected))).isEqualTo(inspection);
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
