package dev.glimpse.image.format;

import static dev.glimpse.image.format.ContainerFixtures.mfLine;
import static dev.glimpse.image.format.ContainerFixtures.ovf;
import static dev.glimpse.image.format.ContainerFixtures.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.format.ContainerFixtures.Member;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OvaValidationTest {
    private static final FormatInspector INSPECTOR = FormatInspector.defaults();

    @TempDir
    Path dir;

    /** A small raw disk: an MBR-less run of non-zero bytes, the same whatever the parsers. */
    private static byte[] rawDisk() {
        byte[] disk = new byte[64 * 1024];
        Arrays.fill(disk, (byte) 0x5a);
        return disk;
    }

    private ContainerInspection validate(ContainerMode mode, byte[] ova) throws IOException {
        return mode.validate(INSPECTOR, dir, ova, ContainerFormat.OVA);
    }

    private void assertRefused(byte[] ova, String... messageParts) {
        for (ContainerMode mode : ContainerMode.values()) {
            assertThatThrownBy(() -> validate(mode, ova))
                    .as("mode %s", mode)
                    .isInstanceOf(ImageFormatException.class)
                    .hasMessageStartingWith("ova: ")
                    .hasMessageContainingAll(messageParts);
        }
    }

    @ParameterizedTest
    @EnumSource(ContainerMode.class)
    void acceptsOvaWithQemuImgQcow2DiskAndSha256Manifest(ContainerMode mode) throws Exception {
        byte[] disk = ContainerFixtures.read(ContainerFixtures.qemuImg(dir, "disk.qcow2", "qcow2", "10M"));
        byte[] descriptor = ovf("disk.qcow2").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = (mfLine("SHA256", "vm.ovf", descriptor) + mfLine("SHA256", "disk.qcow2", disk))
                .getBytes(StandardCharsets.UTF_8);
        byte[] ova = tar(Member.file("vm.ovf", descriptor), Member.file("vm.mf", manifest),
                Member.file("disk.qcow2", disk));

        ContainerInspection result = validate(mode, ova);

        assertThat(result.format()).isEqualTo(ContainerFormat.OVA);
        assertThat(result.actualSize()).isEqualTo(ova.length);
        assertThat(result.members()).containsExactly("vm.ovf", "vm.mf", "disk.qcow2");
        assertThat(result.disk()).hasValueSatisfying(inspection -> {
            assertThat(inspection.format()).isEqualTo("qcow2");
            assertThat(inspection.virtualSize()).hasValue(10L * 1024 * 1024);
            assertThat(inspection.actualSize()).isEqualTo(disk.length);
        });
        assertThat(result.details())
                .containsEntry("descriptor", "vm.ovf")
                .containsEntry("disk", "disk.qcow2")
                .containsEntry("manifest", "vm.mf")
                .containsEntry("ovf_version", "1")
                .containsEntry("verified_digests", List.of("SHA256(vm.ovf)", "SHA256(disk.qcow2)"));
    }

    @ParameterizedTest
    @EnumSource(ContainerMode.class)
    void acceptsRawDiskWithoutManifest(ContainerMode mode) throws Exception {
        byte[] ova = tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("disk.img", rawDisk()));

        ContainerInspection result = validate(mode, ova);

        assertThat(result.disk()).hasValueSatisfying(inspection -> {
            assertThat(inspection.format()).isEqualTo("raw");
            assertThat(inspection.actualSize()).isEqualTo(64 * 1024);
        });
        assertThat(result.details()).doesNotContainKey("manifest");
    }

    @Test
    void acceptsManifestAfterTheDiskWithSha1AsVirtualBoxWritesIt() throws Exception {
        byte[] descriptor = ovf("disk.img").getBytes(StandardCharsets.UTF_8);
        String manifest = mfLine("SHA1", "vm.ovf", descriptor) + mfLine("SHA1", "disk.img", rawDisk());
        byte[] ova = tar(Member.file("vm.ovf", descriptor), Member.file("disk.img", rawDisk()),
                Member.file("vm.mf", manifest));

        for (ContainerMode mode : ContainerMode.values()) {
            assertThat(validate(mode, ova).details())
                    .containsEntry("verified_digests", List.of("SHA1(vm.ovf)", "SHA1(disk.img)"));
        }
    }

    @Test
    void acceptsOvaMadeByRealTar() throws Exception {
        ContainerFixtures.qemuImg(dir, "disk.vmdk", "vmdk", "1G", "subformat=streamOptimized");
        Files.writeString(dir.resolve("vm.ovf"), ovf("disk.vmdk"));
        byte[] descriptor = Files.readAllBytes(dir.resolve("vm.ovf"));
        byte[] disk = Files.readAllBytes(dir.resolve("disk.vmdk"));
        Files.writeString(dir.resolve("vm.mf"), mfLine("SHA256", "vm.ovf", descriptor) + mfLine("SHA256", "disk.vmdk", disk));
        ContainerFixtures.run(dir, "tar", "--format=ustar", "-cf", "vm.ova", "vm.ovf", "vm.mf", "disk.vmdk");

        ContainerInspection result = INSPECTOR.validate(dir.resolve("vm.ova"), ContainerFormat.OVA);

        assertThat(result.actualSize()).isEqualTo(Files.size(dir.resolve("vm.ova")));
        assertThat(result.disk()).hasValueSatisfying(inspection -> {
            assertThat(inspection.format()).isEqualTo("vmdk");
            assertThat(inspection.virtualSize()).hasValue(1L << 30);
        });
        try (InputStream in = Files.newInputStream(dir.resolve("vm.ova"))) {
            assertThat(INSPECTOR.validate(in, ContainerFormat.OVA)).isEqualTo(result);
        }
    }

    @Test
    void validatesOvaOnAnyFileSystemInPlace() throws Exception {
        byte[] disk = ContainerFixtures.read(ContainerFixtures.qemuImg(dir, "disk.qcow2", "qcow2", "7M"));
        byte[] descriptor = ovf("disk.qcow2").getBytes(StandardCharsets.UTF_8);
        byte[] ova = tar(Member.file("vm.ovf", descriptor),
                Member.file("vm.mf", mfLine("SHA512", "vm.ovf", descriptor) + mfLine("SHA512", "disk.qcow2", disk)),
                Member.file("disk.qcow2", disk));
        try (FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix())) {
            Path file = jimfs.getPath("/images/vm.ova");
            Files.createDirectories(file.getParent());
            Files.write(file, ova);

            ContainerInspection result = INSPECTOR.validate(file, ContainerFormat.OVA);

            assertThat(result.disk().orElseThrow().virtualSize()).hasValue(7L << 20);
            assertThat(result.details()).containsEntry("verified_digests", List.of("SHA512(vm.ovf)", "SHA512(disk.qcow2)"));
            assertThat(result).isEqualTo(ContainerMode.STREAM.validate(INSPECTOR, dir, ova, ContainerFormat.OVA));
        }
    }

    @Test
    void refusesDigestMismatch() throws Exception {
        byte[] descriptor = ovf("disk.img").getBytes(StandardCharsets.UTF_8);
        byte[] tampered = rawDisk();
        tampered[4096] ^= 1;
        String manifest = mfLine("SHA256", "vm.ovf", descriptor) + mfLine("SHA256", "disk.img", rawDisk());
        assertRefused(tar(Member.file("vm.ovf", descriptor), Member.file("vm.mf", manifest),
                Member.file("disk.img", tampered)), "SHA-256 digest mismatch for 'disk.img'");
    }

    @Test
    void refusesManifestThatDoesNotCoverTheDisk() throws Exception {
        byte[] descriptor = ovf("disk.img").getBytes(StandardCharsets.UTF_8);
        assertRefused(tar(Member.file("vm.ovf", descriptor), Member.file("vm.mf", mfLine("SHA256", "vm.ovf", descriptor)),
                Member.file("disk.img", rawDisk())), "does not cover 'disk.img'");
    }

    @Test
    void refusesManifestListingAMissingFile() throws Exception {
        byte[] descriptor = ovf("disk.img").getBytes(StandardCharsets.UTF_8);
        String manifest = mfLine("SHA256", "vm.ovf", descriptor) + mfLine("SHA256", "disk.img", rawDisk())
                + mfLine("SHA256", "ghost.iso", new byte[1]);
        assertRefused(tar(Member.file("vm.ovf", descriptor), Member.file("vm.mf", manifest),
                Member.file("disk.img", rawDisk())), "lists 'ghost.iso', which is not in the archive");
    }

    @Test
    void refusesMalformedManifest() throws Exception {
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("vm.mf", "MD5(disk.img)= abc\n"),
                Member.file("disk.img", rawDisk())), "unsupported digest MD5");
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("vm.mf", "SHA256(disk.img)= abc\n"),
                Member.file("disk.img", rawDisk())), "is not a SHA-256 digest");
    }

    @Test
    void refusesDescriptorThatIsNotFirst() throws Exception {
        assertRefused(tar(Member.file("disk.img", rawDisk()), Member.file("vm.ovf", ovf("disk.img"))),
                "the first member must be the .ovf descriptor, found 'disk.img'");
    }

    @Test
    void refusesArchiveWithoutDescriptorOrDisk() throws Exception {
        assertRefused(tar(), "empty archive");
        assertRefused(tar(Member.file("vm.ovf", ovf())), "no disk image in the archive");
    }

    @Test
    void refusesTwoDisks() throws Exception {
        assertRefused(tar(Member.file("vm.ovf", ovf("a.img", "b.img")), Member.file("a.img", rawDisk()),
                Member.file("b.img", rawDisk())), "more than one disk ('a.img', 'b.img')");
    }

    @Test
    void refusesSecondDescriptorAndSecondManifest() throws Exception {
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("other.ovf", ovf("disk.img"))),
                "second descriptor 'other.ovf'");
        String mf = mfLine("SHA256", "disk.img", rawDisk());
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("a.mf", mf), Member.file("b.mf", mf)),
                "second manifest 'b.mf'");
    }

    @Test
    void refusesAbsoluteAndEscapingMemberNames() throws Exception {
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("/disk.img", rawDisk())),
                "'/disk.img' is an absolute path");
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("../disk.img", rawDisk())),
                "'../disk.img' contains '..'");
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("a/../../disk.img", rawDisk())),
                "contains '..'");
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("..\\disk.img", rawDisk())),
                "backslash");
    }

    @Test
    void refusesMembersThatAreNotRegularFiles() throws Exception {
        byte[] descriptor = ovf("disk.img").getBytes(StandardCharsets.UTF_8);
        assertRefused(tar(Member.file("vm.ovf", descriptor),
                Member.of("disk.img", TarConstants.LF_SYMLINK, "/etc/shadow")), "'disk.img' is a symlink");
        assertRefused(tar(Member.file("vm.ovf", descriptor),
                Member.of("disk.img", TarConstants.LF_LINK, "vm.ovf")), "'disk.img' is a hardlink");
        assertRefused(tar(Member.file("vm.ovf", descriptor),
                Member.of("disk.img", TarConstants.LF_BLK, "")),
                "device or FIFO");
        assertRefused(tar(Member.file("vm.ovf", descriptor),
                Member.of("disk.img", TarConstants.LF_FIFO, "")),
                "device or FIFO");
        assertRefused(tar(Member.file("vm.ovf", descriptor), Member.directory("dir/")),
                "'dir' is a directory");
    }

    @Test
    void refusesDuplicateMembers() throws Exception {
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("disk.img", rawDisk()),
                Member.file("./disk.img", rawDisk())), "duplicate member 'disk.img'");
    }

    @Test
    void refusesDescriptorWithDoctype() throws Exception {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + ovf("disk.img").substring(ovf("disk.img").indexOf("<Envelope")).replace("<Info>A VM</Info>", "<Info>&x;</Info>");
        assertRefused(tar(Member.file("vm.ovf", xxe), Member.file("disk.img", rawDisk())), "DOCTYPE", "XXE");
    }

    @Test
    void refusesReferencesThatAreMissingOrDoNotNameTheDisk() throws Exception {
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.img", "extra.iso")), Member.file("disk.img", rawDisk())),
                "references 'extra.iso', which is not in the archive");
        assertRefused(tar(Member.file("vm.ovf", ovf()), Member.file("disk.img", rawDisk())),
                "disk 'disk.img' is not referenced by the descriptor");
        assertRefused(tar(Member.file("vm.ovf", ovf("http://evil.example/disk.img")), Member.file("disk.img", rawDisk())),
                "is a http: URL");
    }

    @Test
    void refusesUnsafeDisk() throws Exception {
        ContainerFixtures.qemuImg(dir, "base.qcow2", "qcow2", "10M");
        byte[] disk = ContainerFixtures.read(ContainerFixtures.qemuImg(dir, "disk.qcow2", "qcow2", "10M",
                "backing_file=" + dir.resolve("base.qcow2"), "backing_fmt=qcow2"));
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.qcow2")), Member.file("disk.qcow2", disk)),
                "disk 'disk.qcow2' is an unsafe qcow2 image", "backing_file");
    }

    @Test
    void refusesCorruptDisk() throws Exception {
        byte[] disk = ContainerFixtures.read(ContainerFixtures.qemuImg(dir, "disk.qcow2", "qcow2", "10M"));
        byte[] truncated = Arrays.copyOf(disk, 40);
        assertRefused(tar(Member.file("vm.ovf", ovf("disk.qcow2")), Member.file("disk.qcow2", truncated)),
                "disk 'disk.qcow2': ");
    }

    @Test
    void refusesDataAfterTheEndOfTheArchive() throws Exception {
        byte[] ova = tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("disk.img", rawDisk()));
        byte[] appended = Arrays.copyOf(ova, ova.length + 512);
        appended[ova.length + 7] = 'Q';
        assertRefused(appended, "data after the end of the tar archive");
    }

    @Test
    void refusesDiskMemberTruncatedByTheEndOfTheArchive() throws Exception {
        byte[] ova = tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("disk.img", rawDisk()));
        // Found by fuzzing: in place, the window on the disk ran past the end of the file.
        assertRefused(Arrays.copyOf(ova, ova.length - 20 * 1024), "member 'disk.img'", "runcated");
    }

    @Test
    void refusesDataThatIsNotATar() {
        byte[] junk = new byte[2048];
        Arrays.fill(junk, (byte) 'x');
        assertRefused(junk, "not a readable tar archive");
    }

    @Test
    void refusesMembersOverTheLimits() throws Exception {
        FormatInspector strict = FormatInspector.withLimits(new InspectionLimits(16L << 20, 2 << 20, 1024, 2));
        byte[] ova = tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("vm.cert", "x"),
                Member.file("disk.img", rawDisk()));
        assertThatThrownBy(() -> ContainerMode.STREAM.validate(strict, dir, ova, ContainerFormat.OVA))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("more than 2 members");

        String longDescriptor = ovf("disk.img") + "<!--" + "x".repeat(2000) + "-->";
        byte[] big = tar(Member.file("vm.ovf", longDescriptor), Member.file("disk.img", rawDisk()));
        assertThatThrownBy(() -> ContainerMode.FILE.validate(strict, dir, big, ContainerFormat.OVA))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("more than the descriptor size limit");
    }

    @Test
    void acceptsLongNamesCarriedInPaxHeaders() throws Exception {
        // A qcow2 disk behind PAX headers: in file mode it is inspected in place, so this also
        // proves the data offset is found after extended headers.
        String name = "disk-" + "a".repeat(200) + ".qcow2";
        byte[] disk = ContainerFixtures.read(ContainerFixtures.qemuImg(dir, "disk.qcow2", "qcow2", "3M"));
        byte[] ova = tar(Member.file("vm.ovf", ovf(name)), Member.file(name, disk).withPaxComment("made by a test"));
        for (ContainerMode mode : ContainerMode.values()) {
            ContainerInspection result = validate(mode, ova);
            assertThat(result.details()).containsEntry("disk", name);
            assertThat(result.disk().orElseThrow().virtualSize()).hasValue(3L << 20);
        }
    }

    @Test
    void refusesPaxHeaderLargerThanTheDescriptorLimit() throws Exception {
        FormatInspector strict = FormatInspector.withLimits(new InspectionLimits(16L << 20, 2 << 20, 4096, 100));
        // A 60 KB PAX record, far over the 4 KiB descriptor limit plus header slack.
        byte[] ova = tar(Member.file("vm.ovf", ovf("disk.img")),
                Member.file("disk.img", rawDisk()).withPaxComment("x".repeat(60_000)));
        assertThatThrownBy(() -> ContainerMode.STREAM.validate(strict, dir, ova, ContainerFormat.OVA))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("tar headers between two members exceed");
    }

    @Test
    void failureOfTheSourceIsAnIoErrorNotAFormatVerdict() throws Exception {
        byte[] ova = tar(Member.file("vm.ovf", ovf("disk.img")), Member.file("disk.img", rawDisk()));
        IOException failure = new IOException("disk on fire");
        InputStream failing = new InputStream() {
            private final InputStream data = new ByteArrayInputStream(ova, 0, 3000);

            @Override
            public int read() throws IOException {
                int b = data.read();
                if (b < 0) {
                    throw failure;
                }
                return b;
            }
        };
        assertThatThrownBy(() -> INSPECTOR.validate(failing, ContainerFormat.OVA))
                .isSameAs(failure);
    }
}
