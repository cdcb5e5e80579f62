package dev.glimpse.image.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.format.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every attack class, fed in every mode and chunking: refused, or reported with the named violation. */
class HostileImagesTest {
    @TempDir
    Path dir;

    private Modes.Outcome inspect(String name, byte[] image) throws Exception {
        return Modes.all(dir, name, image);
    }

    private Inspection inspected(String name, byte[] image) throws Exception {
        return inspect(name, image).get();
    }

    private String refusal(String name, byte[] image) throws Exception {
        Modes.Outcome outcome = inspect(name, image);
        assertThat(outcome.inspection()).as("%s must be refused", name).isNull();
        return outcome.refusal();
    }

    private static void assertViolation(Inspection inspection, DiskFormat declared, String code) {
        assertThat(inspection.violations()).extracting(SafetyViolation::code).contains(code);
        assertThatThrownBy(() -> FormatInspector.requireDeclared(inspection, declared))
                .isInstanceOf(ImageFormatException.class)
                .hasMessageContaining(code);
    }

    @Test
    void qcow2BackingFileIsAViolation() throws Exception {
        Inspection inspection = inspected("backing.qcow2", TestImages.Qcow2.builder(1 << 20).backingFile("/etc/passwd").build());
        assertThat(inspection.format()).isEqualTo("qcow2");
        assertViolation(inspection, DiskFormat.QCOW2, "backing_file");
        assertThat(inspection.violations().get(0).message()).contains("/etc/passwd");
    }

    @Test
    void qcow2ExternalDataFileIsAViolation() throws Exception {
        Inspection inspection = inspected("data.qcow2", TestImages.Qcow2.builder(1 << 20).externalDataFile("/dev/sda").build());
        assertViolation(inspection, DiskFormat.QCOW2, "data_file");
        assertThat(inspection.violations().get(0).message()).contains("/dev/sda");
    }

    @Test
    void qcow2UnknownIncompatibleBitsAreAViolation() throws Exception {
        Inspection inspection = inspected("unknown.qcow2", TestImages.Qcow2.builder(1 << 20).unknownIncompatibleBits(1L << 5).build());
        assertViolation(inspection, DiskFormat.QCOW2, "unknown_features");
    }

    @Test
    void qcow2ExtendedL2IsAcceptedUnlikeOslo() throws Exception {
        Inspection inspection = inspected("l2.qcow2", TestImages.Qcow2.builder(1 << 30).extendedL2().build());
        assertThat(inspection.isSafe()).isTrue();
        assertThat(inspection.details()).containsEntry("extended_l2", true);
    }

    @Test
    void qcow2TruncatedHeaderIsRefusedNotRaw() throws Exception {
        byte[] qcow2 = TestImages.qcow2(1 << 20);
        for (int length : new int[] {5, 40, 71, 103}) {
            assertThat(refusal("truncated.qcow2", TestImages.truncated(qcow2, length))).contains("truncated");
        }
        // Too short to hold the magic at all: not this format.
        assertThat(inspected("short", TestImages.truncated(qcow2, 3)).format()).isEqualTo("raw");
    }

    @Test
    void qcow2WithBackingFileOffsetBeyondTheFirstClusterIsRefused() throws Exception {
        byte[] image = TestImages.qcow2(1 << 20);
        ByteBuffer.wrap(image).putLong(8, 1L << 40).putInt(16, 10);
        assertThat(refusal("bad-backing.qcow2", image)).contains("backing file");
    }

    @Test
    void truncatedHeadersOfEveryFormatAreRefused() throws Exception {
        assertThat(refusal("vdi", TestImages.truncated(TestImages.vdi(1 << 20), 352))).contains("vdi");
        assertThat(refusal("vhd", TestImages.truncated(TestImages.vhdDynamic(1 << 20), 700))).contains("vhd");
        assertThat(refusal("vhdx", TestImages.truncated(TestImages.vhdx(1 << 20), 100_000))).contains("vhdx");
        assertThat(refusal("vhdx-meta", TestImages.truncated(TestImages.vhdx(1 << 20), 3 * 1024 * 1024 + 100))).contains("vhdx");
        assertThat(refusal("vmdk", TestImages.truncated(TestImages.vmdkSparse(1 << 20), 300))).contains("vmdk");
        assertThat(refusal("iso", TestImages.truncated(TestImages.iso(40), 33_000))).contains("iso");
        assertThat(refusal("iso-volume", TestImages.truncated(TestImages.iso(40), 30 * 2048))).contains("iso");
    }

    @Test
    void vdiWithParentIsAViolation() throws Exception {
        assertViolation(inspected("parent.vdi", TestImages.vdiWithParent(1 << 20)), DiskFormat.VDI, "backing_file");
    }

    @Test
    void vhdDifferencingIsAViolation() throws Exception {
        Inspection inspection = inspected("diff.vhd", TestImages.vhdDifferencing(1 << 20, "C:\\parent.vhd"));
        assertThat(inspection.details()).containsEntry("vhd_type", "differencing");
        assertViolation(inspection, DiskFormat.VHD, "backing_file");
    }

    @Test
    void fixedVhdIsDetectedNotRaw() throws Exception {
        Inspection inspection = inspected("fixed.vhd", TestImages.vhdFixed(1 << 20));
        assertThat(inspection.format()).isEqualTo("vhd");
        assertThat(inspection.virtualSize()).hasValue(1 << 20);
    }

    @Test
    void vhdSizeFollowsQemuCreatorRules() throws Exception {
        // Same footer, different creators: CHS geometry for Virtual PC and qemu, current_size otherwise.
        byte[] image = TestImages.vhdFixed(2 * 1024 * 1024);
        long chs = 2 * 1024 * 1024;
        ByteBuffer f = ByteBuffer.wrap(image, image.length - 512, 512).slice();
        chs = (long) (f.getShort(56) & 0xffff) * (f.get(58) & 0xff) * (f.get(59) & 0xff) * 512;
        assertThat(chs).isNotEqualTo(2 * 1024 * 1024);
        assertThat(inspected("vpc", withCreator(image, "vpc ")).virtualSize()).hasValue(chs);
        assertThat(inspected("qemu", withCreator(image, "qemu")).virtualSize()).hasValue(chs);
        assertThat(inspected("win", withCreator(image, "win ")).virtualSize()).hasValue(2 * 1024 * 1024);
        assertThat(inspected("azure", withCreator(image, "wa\0\0")).virtualSize()).hasValue(2 * 1024 * 1024);
        assertThat(inspected("win", withCreator(image, "win ")).details()).containsEntry("creator_app", "win");
    }

    private static byte[] withCreator(byte[] image, String creator) {
        byte[] out = image.clone();
        int at = out.length - 512;
        System.arraycopy(creator.getBytes(StandardCharsets.ISO_8859_1), 0, out, at + 28, 4);
        ByteBuffer f = ByteBuffer.wrap(out, at, 512).slice();
        f.putInt(64, 0);
        int sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += out[at + i] & 0xff;
        }
        f.putInt(64, ~sum);
        return out;
    }

    @Test
    void vhdFooterWithBadChecksumIsRefused() throws Exception {
        byte[] image = TestImages.vhdFixed(1 << 20);
        image[image.length - 512 + 64] ^= 1;
        assertThat(refusal("bad.vhd", image)).contains("checksum");
    }

    @Test
    void vmdkParentFileNameHintIsABackingFile() throws Exception {
        Inspection inspection = inspected("hint.vmdk",
                TestImages.vmdkSparseWithDescriptorLines(1 << 20, "parentFileNameHint=\"/etc/passwd\"\n"));
        assertViolation(inspection, DiskFormat.VMDK, "backing_file");
    }

    @Test
    void vmdkParentCidIsABackingFile() throws Exception {
        byte[] image = TestImages.vmdkSparse(1 << 20);
        String text = new String(image, StandardCharsets.ISO_8859_1).replace("parentCID=ffffffff", "parentCID=12345678");
        assertViolation(inspected("cid.vmdk", text.getBytes(StandardCharsets.ISO_8859_1)), DiskFormat.VMDK, "backing_file");
    }

    @Test
    void vmdkExternalExtentIsAViolation() throws Exception {
        Inspection inspection = inspected("extent.vmdk",
                TestImages.vmdkSparseWithDescriptorLines(1 << 20, "RW 2048 SPARSE \"/etc/passwd\"\n"));
        assertViolation(inspection, DiskFormat.VMDK, "vmdk_extent");
    }

    @Test
    void vmdkInvalidDescriptorLineIsRefused() throws Exception {
        assertThat(refusal("line.vmdk", TestImages.vmdkSparseWithDescriptorLines(1 << 20, "this is not a descriptor line\n")))
                .contains("invalid descriptor line");
    }

    @Test
    void vmdkDescriptorFilesAreRefusedWhateverTheirLength() throws Exception {
        for (int padding : new int[] {0, 5000, 200_000}) {
            Inspection inspection = inspected("desc" + padding + ".vmdk", TestImages.vmdkDescriptorFile("/etc/passwd", padding));
            assertThat(inspection.format()).isEqualTo("vmdk");
            assertThat(inspection.details()).containsEntry("create_type", "monolithicFlat");
            assertViolation(inspection, DiskFormat.VMDK, "vmdk_extent");
            assertViolation(inspection, DiskFormat.VMDK, "vmdk_create_type");
        }
    }

    @Test
    void vmdkCapacityZeroFollowsTheEmbeddedDescriptorInQemuSoIsRefused() throws Exception {
        byte[] image = TestImages.vmdkSparse(1 << 20);
        ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(12, 0);
        assertViolation(inspected("zero.vmdk", image), DiskFormat.VMDK, "vmdk_create_type");
    }

    @Test
    void vmdkDescriptorMayBeUtf8ButNotBinary() throws Exception {
        byte[] image = TestImages.vmdkSparseWithDescriptorLines(1 << 20, "ddb.comment = \"caf\u00e9\"\n");
        assertThat(inspected("utf8.vmdk", image).isSafe()).isTrue();
        byte[] binary = TestImages.vmdkSparseWithDescriptorLines(1 << 20, "ddb.comment = \"\u0001\"\n");
        assertThat(refusal("binary.vmdk", binary)).contains("binary");
    }

    @Test
    void vmdkCowdIsRefused() throws Exception {
        byte[] image = TestImages.overlay(TestImages.raw(4096), 0, "COWD".getBytes(StandardCharsets.ISO_8859_1));
        assertViolation(inspected("cowd.vmdk", image), DiskFormat.VMDK, "vmdk_create_type");
    }

    @Test
    void vmdkFooterMustRepeatTheHeader() throws Exception {
        byte[] image = TestImages.vmdkStreamOptimizedWithFooter(1 << 20);
        assertThat(inspected("footer.vmdk", image).details()).containsEntry("footer", true);
        byte[] broken = image.clone();
        broken[broken.length - 1024 + 4] = 2; // footer header version differs
        assertThat(refusal("badfooter.vmdk", broken)).contains("footer");
        byte[] badMarker = image.clone();
        badMarker[badMarker.length - 1536 + 12] = 4;
        assertThat(refusal("badmarker.vmdk", badMarker)).contains("marker");
    }

    @Test
    void vhdxWithBrokenRegionTableIsRefusedUnlikeOslo() throws Exception {
        assertThat(refusal("broken.vhdx", TestImages.vhdxWithBrokenRegionTable(1 << 30))).contains("vhdx");
    }

    @Test
    void vhdxWithBadHeaderChecksumsIsRefused() throws Exception {
        byte[] image = TestImages.vhdx(1 << 30);
        image[64 * 1024 + 100] ^= 1;
        image[128 * 1024 + 100] ^= 1;
        assertThat(refusal("headers.vhdx", image)).contains("header");
        // One good header is enough, as in qemu.
        byte[] one = TestImages.vhdx(1 << 30);
        one[64 * 1024 + 100] ^= 1;
        assertThat(inspected("one.vhdx", one).virtualSize()).hasValue(1 << 30);
    }

    @Test
    void vhdxVirtualDiskSizeShorterThanEightBytesIsRefused() throws Exception {
        byte[] image = TestImages.vhdx(1 << 30);
        // metadata entry 1 (virtual disk size): length field at table offset 32 + 32 + 20
        ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(3 * 1024 * 1024 + 64 + 20, 4);
        assertThat(refusal("vds.vhdx", image)).contains("virtual_disk_size");
    }

    @Test
    void vhdxDifferencingIsAViolation() throws Exception {
        assertViolation(inspected("diff.vhdx", TestImages.vhdxDifferencing(1 << 30)), DiskFormat.VHDX, "backing_file");
    }

    @Test
    void isoWithQcow2InTheSystemAreaIsAPolyglot() throws Exception {
        assertThat(refusal("poly.iso", TestImages.qcow2InIso(40))).contains("multiple formats detected: iso, qcow2");
    }

    @Test
    void isoWithVmdkHeaderIsAPolyglot() throws Exception {
        byte[] vmdk = TestImages.truncated(TestImages.vmdkSparse(1 << 20), 16 * 2048);
        assertThat(refusal("poly2.iso", TestImages.isoWithSystemArea(40, vmdk))).contains("multiple formats");
    }

    @Test
    void qcow2WithAnIsoVolumeDescriptorIsAPolyglot() throws Exception {
        byte[] iso = TestImages.iso(40);
        byte[] qcow2 = TestImages.qcow2(1 << 20);
        byte[] image = TestImages.overlay(qcow2, 16 * 2048, Arrays.copyOfRange(iso, 16 * 2048, 18 * 2048));
        // the volume would be 80 KiB; make the file long enough that only the polyglot rule applies
        assertThat(refusal("poly.qcow2", image)).contains("multiple formats");
    }

    @Test
    void isohybridStaysIso() throws Exception {
        byte[] mbr = TestImages.truncated(TestImages.rawWithMbr(1 << 20), 512);
        Inspection inspection = inspected("hybrid.iso", TestImages.isoWithSystemArea(40, mbr));
        assertThat(inspection.format()).isEqualTo("iso");
        assertThat(inspection.details()).containsEntry("partition_table", "mbr");
        assertThat(FormatInspector.requireDeclared(inspection, DiskFormat.ISO)).isSameAs(inspection);
    }

    @Test
    void vmdkHeaderOverAGptDiskIsRefused() throws Exception {
        assertThat(refusal("gpt.vmdk", TestImages.vmdkInGpt(1 << 20))).contains("vmdk");
    }

    @Test
    void qcow2HeaderOverAnMbrDiskIsAPolyglot() throws Exception {
        byte[] mbr = TestImages.rawWithMbr(1 << 20);
        byte[] header = Arrays.copyOf(TestImages.qcow2(1 << 20), 112);
        byte[] image = TestImages.overlay(mbr, 0, header);
        assertThat(refusal("mbr.qcow2", image)).contains("multiple formats");
    }

    @Test
    void gptDiskWithAnInconsistentVhdFooterIsRefused() throws Exception {
        assertThat(refusal("gpt.vhd", TestImages.gptWithInconsistentVhdFooter(1 << 20))).contains("vhd");
    }

    @Test
    void consistentFixedVhdHoldingAGptDiskIsVhd() throws Exception {
        Inspection inspection = inspected("gpt-fixed.vhd", TestImages.vhdFixedWithGpt(1 << 20));
        assertThat(inspection.format()).isEqualTo("vhd");
        assertThat(inspection.details()).containsEntry("partition_table", "gpt");
    }

    @Test
    void rawWithGptIsRawWithDetails() throws Exception {
        Inspection inspection = inspected("gpt.raw", TestImages.rawWithGpt(1 << 20));
        assertThat(inspection.format()).isEqualTo("raw");
        assertThat(inspection.details()).containsEntry("partition_table", "gpt").containsEntry("partitions", 1L);
        Inspection mbr = inspected("mbr.raw", TestImages.rawWithMbr(1 << 20));
        assertThat(mbr.details()).containsEntry("partition_table", "mbr");
    }

    @Test
    void gptWithBadHeaderCrcIsRefused() throws Exception {
        byte[] image = TestImages.rawWithGpt(1 << 20);
        image[512 + 40] ^= 1;
        assertThat(refusal("badcrc.raw", image)).contains("CRC");
    }

    @Test
    void rawSizeIsRoundedUpToASectorLikeQemu() throws Exception {
        Inspection inspection = inspected("odd.raw", TestImages.raw(1000));
        assertThat(inspection.virtualSize()).hasValue(1024);
        assertThat(inspection.actualSize()).isEqualTo(1000);
        assertThat(inspected("empty.raw", new byte[0]).virtualSize()).hasValue(0);
    }

    @Test
    void limitsAreEnforcedWithASpecificError() throws Exception {
        Path image = dir.resolve("limits.vmdk");
        Files.write(image, TestImages.vmdkSparse(1 << 20));
        FormatInspector small = FormatInspector.withLimits(new InspectionLimits(16L << 20, 2 << 20, 4096, 4096));
        assertThatThrownBy(() -> small.inspect(image)).isInstanceOf(ImageFormatException.class).hasMessageContaining("limit");
        Path vhdx = dir.resolve("limits.vhdx");
        Files.write(vhdx, TestImages.vhdx(1 << 30));
        FormatInspector tight = FormatInspector.withLimits(new InspectionLimits(100_000, 65536, 4096, 4096));
        assertThatThrownBy(() -> tight.inspect(vhdx)).isInstanceOf(ImageFormatException.class).hasMessageContaining("maxBytesRead");
        assertThatThrownBy(() -> tight.inspect(new ByteArrayInputStream(Files.readAllBytes(vhdx))))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("maxBytesRead");
    }

    @Test
    void validateRequiresTheDeclaredFormat() throws Exception {
        Path image = dir.resolve("x.qcow2");
        Files.write(image, TestImages.qcow2(1 << 20));
        assertThat(FormatInspector.defaults().validate(image, DiskFormat.QCOW2).format()).isEqualTo("qcow2");
        assertThatThrownBy(() -> FormatInspector.defaults().validate(image, DiskFormat.RAW))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("declared as raw but detected as qcow2");
        assertThatThrownBy(() -> FormatInspector.defaults().validate(image, DiskFormat.AMI))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("qcow2");
    }

    static Stream<Arguments> kernels() {
        byte[] bzImage = new byte[4096];
        ByteBuffer.wrap(bzImage).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(0x1FE, (short) 0xAA55).putInt(0x202, 0x53726448);
        byte[] elf = new byte[4096];
        ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN).put(0, new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1}).putShort(16, (short) 2);
        byte[] arm64 = new byte[4096];
        ByteBuffer.wrap(arm64).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x38, 0x644D5241);
        byte[] zImage = new byte[4096];
        ByteBuffer.wrap(zImage).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x24, 0x016F2818);
        byte[] uImage = new byte[4096];
        ByteBuffer.wrap(uImage).putInt(0, 0x27051956);
        return Stream.of(Arguments.of("bzimage", bzImage), Arguments.of("elf", elf), Arguments.of("arm64_image", arm64),
                Arguments.of("arm_zimage", zImage), Arguments.of("uimage", uImage));
    }

    @ParameterizedTest(name = "aki {0}")
    @MethodSource("kernels")
    void akiMustLookLikeAKernel(String kind, byte[] kernel) throws Exception {
        Inspection inspection = inspected(kind, kernel);
        assertThat(inspection.format()).isEqualTo("raw");
        assertThat(inspection.details()).containsEntry("payload", kind).doesNotContainKey("partition_table");
        assertThat(FormatInspector.requireDeclared(inspection, DiskFormat.AKI)).isSameAs(inspection);
        assertThatThrownBy(() -> FormatInspector.requireDeclared(inspection, DiskFormat.ARI))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("ramdisk");
    }

    @Test
    void ariMustLookLikeARamdiskAndAmiLikeARawDisk() throws Exception {
        byte[] gzip = {0x1F, (byte) 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 3};
        Inspection ramdisk = inspected("initrd.gz", gzip);
        assertThat(FormatInspector.requireDeclared(ramdisk, DiskFormat.ARI)).isSameAs(ramdisk);
        Inspection cpio = inspected("initrd.cpio", "070701000000".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(FormatInspector.requireDeclared(cpio, DiskFormat.ARI)).isSameAs(cpio);
        assertThatThrownBy(() -> FormatInspector.requireDeclared(inspected("raw", TestImages.raw(4096)), DiskFormat.AKI))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("kernel");
        Inspection disk = inspected("disk.img", TestImages.rawWithGpt(1 << 20));
        assertThat(FormatInspector.requireDeclared(disk, DiskFormat.AMI)).isSameAs(disk);
        Inspection iso = inspected("x.iso", TestImages.iso(40));
        assertThatThrownBy(() -> FormatInspector.requireDeclared(iso, DiskFormat.AMI))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("iso");
    }

    /**
     * Every known magic followed by random bytes: the answer is an inspection or an
     * ImageFormatException, never another exception, and the same in both modes.
     */
    @Test
    void randomBytesBehindEveryMagicNeverCrash() throws Exception {
        byte[][] starts = {
            TestImages.qcow2(1 << 20), TestImages.vhdDynamic(1 << 20), TestImages.vhdx(1 << 20),
            TestImages.vmdkSparse(1 << 20), TestImages.vdi(1 << 20), TestImages.iso(40), TestImages.rawWithGpt(1 << 16),
            "LUKS\u00ba\u00be\0\1".getBytes(StandardCharsets.ISO_8859_1), "QED\0".getBytes(StandardCharsets.ISO_8859_1),
            TestImages.vmdkStreamOptimizedWithFooter(1 << 20)};
        Random random = new Random(42);
        for (int round = 0; round < 10; round++) {
            for (byte[] start : starts) {
                byte[] image = start.clone();
                if (image.length < 600_000) {
                    image = Arrays.copyOf(image, image.length + random.nextInt(4096));
                }
                // corrupt a few bytes in the first 64 KiB, where the headers live
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    int at = random.nextInt(Math.min(image.length, 65536));
                    image[at] = (byte) random.nextInt(256);
                }
                Path path = dir.resolve("fuzz");
                Files.write(path, image);
                Modes.Outcome seekable = Modes.seekable(path);
                assertThat(Modes.streaming(path, 4096)).isEqualTo(seekable);
                assertThat(Modes.streaming(path, 1 << 20)).isEqualTo(seekable);
            }
        }
    }
}
