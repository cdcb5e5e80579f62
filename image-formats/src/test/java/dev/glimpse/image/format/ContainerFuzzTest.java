package dev.glimpse.image.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.glimpse.image.format.ContainerFixtures.Member;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Jazzer fuzz targets for the container validators: raw bytes as each container format, and
 * structurally valid tar archives with fuzzer-chosen members (names, types, descriptors,
 * manifests, disks), so that the fuzzer reaches the OVA and docker rules rather than stopping at
 * the tar checksum. Every target validates as a file and as a stream and requires that only
 * {@link ImageFormatException} escapes and that both agree.
 */
class ContainerFuzzTest {
    private static final FormatInspector INSPECTOR = FormatInspector.defaults();
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("glimpse-container-fuzz", ".bin");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void validateBothWays(byte[] data, ContainerFormat format) throws IOException {
        ContainerInspection fromStream = null;
        ImageFormatException streamError = null;
        try {
            fromStream = INSPECTOR.validate(new ByteArrayInputStream(data), format);
        } catch (ImageFormatException e) {
            streamError = e;
        }
        Files.write(FILE, data);
        ContainerInspection fromFile = null;
        ImageFormatException fileError = null;
        try {
            fromFile = INSPECTOR.validate(FILE, format);
        } catch (ImageFormatException e) {
            fileError = e;
        }
        if (streamError == null) {
            assertThat(fileError).as("file refused what the stream accepted: %s", fromStream).isNull();
            assertThat(fromFile).isEqualTo(fromStream);
        } else {
            assertThat(fileError).as("stream refused (%s) but file accepted %s", streamError.getMessage(), fromFile)
                    .isNotNull();
        }
    }

    @FuzzTest(maxDuration = "1m")
    void anyBytesAsEveryContainer(byte[] data) throws IOException {
        for (ContainerFormat format : List.of(ContainerFormat.OVA, ContainerFormat.DOCKER, ContainerFormat.OVF,
                ContainerFormat.COMPRESSED)) {
            validateBothWays(data, format);
        }
    }

    @FuzzTest(maxDuration = "1m")
    void ovfDescriptor(byte[] data) throws IOException {
        validateBothWays(data, ContainerFormat.OVF);
    }

    private static final String[] OVA_NAMES = {"vm.ovf", "vm.mf", "vm.cert", "disk.img", "disk2.img", "../x", "/abs",
        "a/b.img", "./disk.img"};
    private static final byte[] TYPES = {TarConstants.LF_NORMAL, TarConstants.LF_NORMAL, TarConstants.LF_NORMAL,
        TarConstants.LF_SYMLINK, TarConstants.LF_LINK, TarConstants.LF_DIR, TarConstants.LF_CHR, TarConstants.LF_FIFO};

    @FuzzTest(maxDuration = "1m")
    void ovaArchive(FuzzedDataProvider provider) throws IOException {
        List<Member> members = new ArrayList<>();
        int count = provider.consumeInt(0, 5);
        for (int i = 0; i < count; i++) {
            String name = provider.consumeBoolean() ? provider.pickValue(OVA_NAMES) : provider.consumeString(40);
            byte type = provider.pickValue(TYPES);
            byte[] content = switch (provider.consumeInt(0, 3)) {
                case 0 -> ContainerFixtures.ovf(provider.consumeString(20), "disk.img")
                        .getBytes(StandardCharsets.UTF_8);
                case 1 -> ("SHA256(disk.img)= " + provider.consumeString(70) + "\nSHA1(vm.ovf)= "
                        + provider.consumeString(45) + "\n").getBytes(StandardCharsets.UTF_8);
                default -> provider.consumeBytes(provider.consumeInt(0, 8192));
            };
            if (name.isEmpty()) {
                name = "x";
            }
            members.add(type == TarConstants.LF_NORMAL ? Member.file(name, content)
                    : Member.of(name, type, provider.consumeString(20)));
        }
        byte[] archive;
        try {
            archive = ContainerFixtures.tar(members);
        } catch (IOException | RuntimeException e) {
            return; // commons-compress cannot write this member (e.g. a name it rejects): not our input
        }
        validateBothWays(archive, ContainerFormat.OVA);
    }

    @FuzzTest(maxDuration = "1m")
    void dockerArchive(FuzzedDataProvider provider) throws IOException {
        List<Member> members = new ArrayList<>();
        int count = provider.consumeInt(0, 5);
        for (int i = 0; i < count; i++) {
            String name = provider.consumeBoolean()
                    ? provider.pickValue(new String[] {"manifest.json", "index.json", "oci-layout", "cfg.json",
                        "abc/layer.tar", "blobs/sha256/" + "0".repeat(64), "repositories"})
                    : provider.consumeString(40);
            byte type = provider.pickValue(TYPES);
            byte[] content = provider.consumeBoolean()
                    ? ("[{\"Config\":\"cfg.json\",\"Layers\":[\"" + provider.consumeString(30) + "\"]}]")
                            .getBytes(StandardCharsets.UTF_8)
                    : provider.consumeBytes(provider.consumeInt(0, 4096));
            if (name.isEmpty()) {
                name = "x";
            }
            members.add(type == TarConstants.LF_NORMAL ? Member.file(name, content)
                    : Member.of(name, type, provider.consumeString(20)));
        }
        byte[] archive;
        try {
            archive = ContainerFixtures.tar(members);
        } catch (IOException | RuntimeException e) {
            return; // commons-compress cannot write this member: not our input
        }
        validateBothWays(archive, ContainerFormat.DOCKER);
    }
}
