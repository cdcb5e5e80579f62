package dev.glimpse.image.format;

import static dev.glimpse.image.format.ContainerFixtures.hex;
import static dev.glimpse.image.format.ContainerFixtures.ovf;
import static dev.glimpse.image.format.ContainerFixtures.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.format.ContainerFixtures.Member;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Docker, OVF, compressed and bare containers. */
class OtherContainersTest {
    private static final FormatInspector INSPECTOR = FormatInspector.defaults();

    @TempDir
    Path dir;

    private ContainerInspection validate(ContainerMode mode, byte[] data, ContainerFormat format) throws IOException {
        return mode.validate(INSPECTOR, dir, data, format);
    }

    private void assertRefused(byte[] data, ContainerFormat format, String... messageParts) {
        for (ContainerMode mode : ContainerMode.values()) {
            assertThatThrownBy(() -> validate(mode, data, format))
                    .as("mode %s", mode)
                    .isInstanceOf(ImageFormatException.class)
                    .hasMessageStartingWith(format.wireName() + ": ")
                    .hasMessageContainingAll(messageParts);
        }
    }

    // --- docker ---

    private static final byte[] LAYER = "layer bytes: a tar of a root filesystem".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONFIG = "{\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);

    private static byte[] dockerSave(String manifest) throws IOException {
        return tar(Member.directory("abc/"), Member.file("abc/layer.tar", LAYER), Member.file("abc/VERSION", "1.0"),
                Member.file("cfg.json", CONFIG), Member.file("repositories", "{}"),
                Member.file("manifest.json", manifest));
    }

    private static final String MANIFEST =
            "[{\"Config\":\"cfg.json\",\"RepoTags\":[\"busybox:latest\"],\"Layers\":[\"abc/layer.tar\"]}]";

    @ParameterizedTest
    @EnumSource(ContainerMode.class)
    void acceptsDockerSaveArchive(ContainerMode mode) throws Exception {
        ContainerInspection result = validate(mode, dockerSave(MANIFEST), ContainerFormat.DOCKER);

        assertThat(result.format()).isEqualTo(ContainerFormat.DOCKER);
        assertThat(result.disk()).isEmpty();
        assertThat(result.members()).contains("abc/layer.tar", "manifest.json");
        assertThat(result.details()).containsEntry("layout", "docker-save").containsEntry("images", 1L)
                .containsEntry("layers", 1L).containsEntry("repo_tags", List.of("busybox:latest"));
    }

    private static byte[] ociLayout(byte[] layer, String layerDigest) throws IOException {
        String manifest = "{\"schemaVersion\":2,\"layers\":[{\"digest\":\"sha256:" + layerDigest + "\"}]}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        String manifestDigest = hex("SHA-256", manifestBytes);
        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"sha256:" + manifestDigest + "\",\"size\":" + manifestBytes.length + "}]}";
        return tar(Member.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"), Member.directory("blobs/"),
                Member.directory("blobs/sha256/"), Member.file("blobs/sha256/" + manifestDigest, manifestBytes),
                Member.file("blobs/sha256/" + layerDigest, layer), Member.file("index.json", index),
                // Docker 25+ writes the classic layout as symlinks into blobs/.
                Member.of("abc/layer.tar", TarConstants.LF_SYMLINK, "../blobs/sha256/" + layerDigest));
    }

    @ParameterizedTest
    @EnumSource(ContainerMode.class)
    void acceptsOciLayoutAndVerifiesEveryBlob(ContainerMode mode) throws Exception {
        ContainerInspection result = validate(mode, ociLayout(LAYER, hex("SHA-256", LAYER)), ContainerFormat.DOCKER);

        assertThat(result.details()).containsEntry("layout", "oci").containsEntry("verified_blobs", 2L)
                .containsEntry("oci_manifests", 1L);
    }

    @Test
    void refusesBlobThatDoesNotMatchItsDigest() throws Exception {
        byte[] tampered = LAYER.clone();
        tampered[0] ^= 1;
        assertRefused(ociLayout(tampered, hex("SHA-256", LAYER)), ContainerFormat.DOCKER, "does not match its digest");
    }

    @Test
    void refusesDockerArchiveWithoutManifest() throws Exception {
        assertRefused(tar(Member.file("abc/layer.tar", LAYER)), ContainerFormat.DOCKER,
                "neither manifest.json (docker save) nor oci-layout and index.json");
    }

    @Test
    void refusesManifestNamingMissingOrEscapingLayers() throws Exception {
        assertRefused(dockerSave(MANIFEST.replace("abc/layer.tar", "zzz/layer.tar")), ContainerFormat.DOCKER,
                "manifest.json layer 'zzz/layer.tar' is not in the archive");
        assertRefused(dockerSave(MANIFEST.replace("abc/layer.tar", "../../etc/passwd")), ContainerFormat.DOCKER,
                "contains '..'");
        assertRefused(dockerSave("{\"not\":\"an array\"}"), ContainerFormat.DOCKER, "non-empty array");
        assertRefused(dockerSave("[{\"Config\":"), ContainerFormat.DOCKER, "manifest.json is not valid JSON");
    }

    @Test
    void refusesLinksLeavingTheArchiveAndDevices() throws Exception {
        assertRefused(tar(Member.file("manifest.json", "[]"), Member.of("evil", TarConstants.LF_SYMLINK, "../../etc")),
                ContainerFormat.DOCKER, "symbolic link 'evil' points to '../../etc', outside the archive");
        assertRefused(tar(Member.of("evil", TarConstants.LF_SYMLINK, "/etc/passwd")),
                ContainerFormat.DOCKER, "links must be relative");
        assertRefused(tar(Member.of("evil", TarConstants.LF_LINK, "nowhere")),
                ContainerFormat.DOCKER, "not an earlier member");
        assertRefused(tar(Member.of("dev", TarConstants.LF_CHR, "")), ContainerFormat.DOCKER, "device or FIFO");
        assertRefused(tar(Member.file("/manifest.json", MANIFEST)), ContainerFormat.DOCKER, "absolute path");
    }

    // --- ovf ---

    @ParameterizedTest
    @EnumSource(ContainerMode.class)
    void acceptsOvfDescriptor(ContainerMode mode) throws Exception {
        byte[] xml = ovf("disk1.vmdk", "sub/disk2.vmdk").getBytes(StandardCharsets.UTF_8);
        ContainerInspection result = validate(mode, xml, ContainerFormat.OVF);

        assertThat(result.members()).containsExactly("disk1.vmdk", "sub/disk2.vmdk");
        assertThat(result.actualSize()).isEqualTo(xml.length);
        assertThat(result.details()).containsEntry("ovf_version", "1").containsEntry("disks", 1L);
    }

    @Test
    void refusesExternalEntitiesAndEntityExpansion() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">&x;</Envelope>";
        assertRefused(xxe.getBytes(StandardCharsets.UTF_8), ContainerFormat.OVF, "DOCTYPE");
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                + "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">&b;</Envelope>";
        assertRefused(laughs.getBytes(StandardCharsets.UTF_8), ContainerFormat.OVF, "DOCTYPE");
    }

    @ParameterizedTest
    @CsvSource({
        "/etc/passwd, is an absolute path",
        "../../disk.vmdk, contains '..'",
        "https://example.com/disk.vmdk, is a https: URL",
        "file:/etc/passwd, is a file: URL",
        "%2e%2e/%2e%2e/etc/passwd, is percent-encoded",
        "C:/Windows/disk.vmdk, is a c: URL",
    })
    void refusesHrefsOutsideThePackage(String href, String message) {
        assertRefused(ovf(href).getBytes(StandardCharsets.UTF_8), ContainerFormat.OVF, message);
    }

    @Test
    void refusesWhatIsNotAnOvfEnvelope() {
        assertRefused("not xml at all".getBytes(StandardCharsets.UTF_8), ContainerFormat.OVF, "not well-formed XML");
        assertRefused("<Envelope/>".getBytes(StandardCharsets.UTF_8), ContainerFormat.OVF, "not an OVF descriptor");
        assertRefused(new byte[0], ContainerFormat.OVF, "not well-formed XML");
    }

    @Test
    void refusesOvfLargerThanTheDescriptorLimit() {
        FormatInspector strict = FormatInspector.withLimits(new InspectionLimits(16L << 20, 2 << 20, 256, 100));
        byte[] xml = ovf("disk.vmdk").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ContainerMode.FILE.validate(strict, dir, xml, ContainerFormat.OVF))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("descriptor size limit of 256 bytes");
    }

    // --- compressed ---

    @ParameterizedTest
    @CsvSource({
        "gzip, gzip -k -n data.bin, gz",
        "bzip2, bzip2 -k data.bin, bz2",
        "xz, xz -k data.bin, xz",
        "zstd, zstd -q data.bin, zst",
        "lz4, lz4 -q data.bin data.bin.lz4, lz4",
    })
    void recognisesFilesMadeByRealCompressors(String expected, String command, String suffix) throws Exception {
        Path input = dir.resolve("data.bin");
        byte[] data = new byte[1 << 20];
        Arrays.fill(data, (byte) 7);
        Files.write(input, data);
        ContainerFixtures.run(dir, command.split(" "));
        byte[] compressed = Files.readAllBytes(dir.resolve("data.bin." + suffix));

        for (ContainerMode mode : ContainerMode.values()) {
            ContainerInspection result = validate(mode, compressed, ContainerFormat.COMPRESSED);
            assertThat(result.details()).containsEntry("compression", expected);
            assertThat(result.actualSize()).isEqualTo(compressed.length);
            assertThat(result.disk()).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "gzip -k -n disk.qcow2, disk.qcow2.gz, qcow2",
        "bzip2 -k disk.qcow2, disk.qcow2.bz2, qcow2",
        "lz4 -q disk.qcow2 disk.qcow2.lz4, disk.qcow2.lz4, qcow2",
        "zip -q disk.zip disk.qcow2, disk.zip, qcow2",
        "tar -czf disk.tgz disk.qcow2, disk.tgz, tar",
    })
    void namesTheFormatInsideWhenThatIsCheap(String command, String output, String inner) throws Exception {
        ContainerFixtures.qemuImg(dir, "disk.qcow2", "qcow2", "1G");
        ContainerFixtures.run(dir, command.split(" "));
        byte[] compressed = Files.readAllBytes(dir.resolve(output));
        for (ContainerMode mode : ContainerMode.values()) {
            assertThat(validate(mode, compressed, ContainerFormat.COMPRESSED).details())
                    .containsEntry("inner_format", inner);
        }
    }

    @Test
    void saysNothingOfTheInsideOfXzOrOfWhatCannotBeDecoded() throws Exception {
        ContainerFixtures.qemuImg(dir, "disk.qcow2", "qcow2", "1G");
        ContainerFixtures.run(dir, "xz", "-k", "disk.qcow2");
        assertThat(INSPECTOR.validate(dir.resolve("disk.qcow2.xz"), ContainerFormat.COMPRESSED).details())
                .containsEntry("compression", "xz").doesNotContainKey("inner_format");
        byte[] corrupt = {0x1f, (byte) 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThat(INSPECTOR.validate(new java.io.ByteArrayInputStream(corrupt), ContainerFormat.COMPRESSED).details())
                .containsEntry("compression", "gzip").doesNotContainKey("inner_format");
    }

    @Test
    void recognisesZipMadeByRealZip() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "hello");
        ContainerFixtures.run(dir, "zip", "-q", "a.zip", "a.txt");
        assertThat(INSPECTOR.validate(dir.resolve("a.zip"), ContainerFormat.COMPRESSED).details())
                .containsEntry("compression", "zip");
    }

    @Test
    void refusesUncompressedData() {
        assertRefused("plain text, not compressed".getBytes(StandardCharsets.UTF_8), ContainerFormat.COMPRESSED,
                "no gzip, bzip2, xz, zstd, zip or lz4 signature");
        assertRefused(new byte[] {0x1f}, ContainerFormat.COMPRESSED, "no gzip");
        assertRefused(new byte[0], ContainerFormat.COMPRESSED, "no gzip");
    }

    // --- bare ---

    @ParameterizedTest
    @EnumSource(ContainerMode.class)
    void bareIsTheDiskItself(ContainerMode mode) throws Exception {
        byte[] disk = Files.readAllBytes(ContainerFixtures.qemuImg(dir, "d.qcow2", "qcow2", "5M"));
        ContainerInspection result = validate(mode, disk, ContainerFormat.BARE);

        assertThat(result.members()).isEmpty();
        assertThat(result.actualSize()).isEqualTo(disk.length);
        assertThat(result.disk()).hasValueSatisfying(inspection -> {
            assertThat(inspection.format()).isEqualTo("qcow2");
            assertThat(inspection.virtualSize()).hasValue(5L << 20);
        });
    }

    @Test
    void bareRefusesUnsafeDisk() throws Exception {
        ContainerFixtures.qemuImg(dir, "base.qcow2", "qcow2", "5M");
        byte[] disk = Files.readAllBytes(ContainerFixtures.qemuImg(dir, "d.qcow2", "qcow2", "5M",
                "backing_file=base.qcow2", "backing_fmt=qcow2"));
        assertRefused(disk, ContainerFormat.BARE, "unsafe qcow2 image", "backing_file");
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> INSPECTOR.validate((Path) null, ContainerFormat.OVA))
                .isInstanceOf(NullPointerException.class).hasMessage("path");
        assertThatThrownBy(() -> INSPECTOR.validate(dir.resolve("x"), (ContainerFormat) null))
                .isInstanceOf(NullPointerException.class).hasMessage("declared");
    }
}
