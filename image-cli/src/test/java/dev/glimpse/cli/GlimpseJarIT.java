package dev.glimpse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The round trip a new user makes, run against the real {@code glimpse.jar} in a child JVM after
 * {@code package}: a qcow2 made by qemu-img is created, listed, shown, saved back byte for byte and
 * deleted, and mistakes give one-line errors with the documented exit statuses.
 */
class GlimpseJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static Path home;
    static Path qcow2;

    record Run(int status, String out, String err) {}

    @BeforeAll
    static void makeImage() throws Exception {
        home = dir.resolve("home");
        // Real data, so that the saved bytes prove something: 3 MiB of noise converted by qemu-img.
        Path raw = dir.resolve("disk.raw");
        byte[] noise = new byte[3 << 20];
        new Random(7).nextBytes(noise);
        Files.write(raw, noise);
        qcow2 = dir.resolve("disk.qcow2");
        exec(List.of("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString()));
    }

    private static void exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", command, output).isZero();
    }

    private static Run glimpse(String... args) throws Exception {
        String jar = System.getProperty("glimpse.jar", "target/glimpse.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar, "--home", home.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        // Files, not pipes: stdout is not a terminal, so no progress bar may appear in it.
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("glimpse %s finished", List.of(args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1),
                Files.readString(err));
    }

    private static String hex(String algorithm, Path file) throws IOException, Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
    }

    @Test
    void roundTripOfAQemuMadeQcow2() throws Exception {
        Run create = glimpse("image", "create", "cirros", "--file", qcow2.toString(), "--disk-format", "qcow2",
                "--container-format", "bare", "--tag", "demo", "--property", "os_distro=cirros", "-f", "value", "-c", "id");
        assertThat(create.status()).as(create.err()).isZero();
        String id = create.out().trim();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(create.out()).isEqualTo(id + "\n");
        assertThat(create.err()).isEmpty();

        Run list = glimpse("image", "list");
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains("| ID ").contains("| " + id + " | cirros | active |");

        Run show = glimpse("image", "show", id, "-f", "json");
        assertThat(show.status()).as(show.err()).isZero();
        JsonNode image = JSON.readTree(show.out());
        assertThat(image.get("id").asText()).isEqualTo(id);
        assertThat(image.get("status").asText()).isEqualTo("active");
        assertThat(image.get("disk_format").asText()).isEqualTo("qcow2");
        assertThat(image.get("size").asLong()).isEqualTo(Files.size(qcow2));
        assertThat(image.get("virtual_size").asLong()).isEqualTo(3 << 20);
        assertThat(image.get("checksum").asText()).isEqualTo(hex("MD5", qcow2));
        assertThat(image.get("os_hash_value").asText()).isEqualTo(hex("SHA-512", qcow2));
        assertThat(image.get("os_distro").asText()).isEqualTo("cirros");
        assertThat(image.get("tags").get(0).asText()).isEqualTo("demo");

        Path saved = dir.resolve("saved.qcow2");
        Run save = glimpse("image", "save", id, "--file", saved.toString());
        assertThat(save.status()).as(save.err()).isZero();
        assertThat(save.out()).isEmpty();
        assertThat(Files.readAllBytes(saved)).isEqualTo(Files.readAllBytes(qcow2));

        // Without --file the bytes go to standard output, for pipes: glimpse image save ID | gzip.
        Run piped = glimpse("image", "save", "cirros");
        assertThat(piped.status()).as(piped.err()).isZero();
        assertThat(piped.out().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo(Files.readAllBytes(qcow2));

        Run delete = glimpse("image", "delete", id);
        assertThat(delete.status()).as(delete.err()).isZero();
        Run gone = glimpse("image", "show", id);
        assertThat(gone.status()).isEqualTo(1);
        assertThat(gone.err().lines()).hasSize(1);
        assertThat(gone.err()).startsWith("glimpse: ").contains(id).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(glimpse("image", "list", "-f", "value", "-c", "id").out()).doesNotContain(id);
    }

    @Test
    void hostileImageIsRefusedWithTheReason() throws Exception {
        Path backed = dir.resolve("backed.qcow2");
        exec(List.of("qemu-img", "create", "-f", "qcow2", "-F", "qcow2", "-b", qcow2.toString(), backed.toString()));
        Run create = glimpse("image", "create", "sneaky", "--file", backed.toString(), "--disk-format", "qcow2",
                "--container-format", "bare");
        assertThat(create.status()).isEqualTo(1);
        assertThat(create.err().lines()).hasSize(1);
        assertThat(create.err()).startsWith("glimpse: ").containsIgnoringCase("backing");
    }

    @Test
    void usageMistakesExitTwoAndHelpExitsZero() throws Exception {
        Run typo = glimpse("image", "creat", "x");
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).startsWith("glimpse: ").contains("--help");
        Run help = glimpse("image", "create", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--disk-format").contains("--container-format").contains("--property");
        Run version = glimpse("--version");
        assertThat(version.out()).matches("glimpse \\d+\\.\\d+\\.\\d+.*\\n");
    }
}
