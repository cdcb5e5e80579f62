package dev.glimpse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code glimpse inspect} in-process, as a user would run it, on images made by qemu-img. */
class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path qcow2;
    static Path raw;
    static Path backed;
    static Path truncated;
    static Path gz;

    /** What one run printed, and its exit status. */
    record Run(int status, String out, String err) {
        List<JsonNode> jsonLines() throws IOException {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    nodes.add(JSON.readTree(line));
                }
            }
            return nodes;
        }
    }

    static Run glimpse(String... args) {
        CommandLine commandLine = GlimpseCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    @BeforeAll
    static void images() throws Exception {
        run("qemu-img", "create", "-q", "-f", "qcow2", "disk.qcow2", "1G");
        qcow2 = dir.resolve("disk.qcow2");
        raw = dir.resolve("disk.raw");
        byte[] data = new byte[3 * 1024 * 1024];
        Arrays.fill(data, (byte) 0x42);
        Files.write(raw, data);
        run("qemu-img", "create", "-q", "-f", "qcow2", "-b", "disk.qcow2", "-F", "qcow2", "backed.qcow2");
        backed = dir.resolve("backed.qcow2");
        truncated = dir.resolve("truncated.qcow2");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(qcow2), 48));
        Files.write(dir.resolve("data.bin"), data);
        run("gzip", "-k", "-n", "data.bin");
        gz = dir.resolve("data.bin.gz");
    }

    @Test
    void jsonLineForAGoodQcow2() throws Exception {
        Run run = glimpse("inspect", "--json", qcow2.toString());

        assertThat(run.status()).isZero();
        List<JsonNode> lines = run.jsonLines();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.get("file").asText()).isEqualTo(qcow2.toString());
        assertThat(line.get("format").asText()).isEqualTo("qcow2");
        assertThat(line.get("virtual_size").asLong()).isEqualTo(1L << 30);
        assertThat(line.get("actual_size").asLong()).isEqualTo(Files.size(qcow2));
        assertThat(line.get("verdict").asText()).isEqualTo("ok");
        assertThat(line.get("why").asText()).isEmpty();
        assertThat(line.get("details").isObject()).isTrue();
    }

    @Test
    void oneLinePerFileAndStatusOneWhenAnyIsRefused() throws Exception {
        Run run = glimpse("inspect", "--json", raw.toString(), backed.toString(), truncated.toString(),
                dir.resolve("missing.img").toString());

        assertThat(run.status()).isEqualTo(1);
        List<JsonNode> lines = run.jsonLines();
        assertThat(lines).extracting(node -> node.get("verdict").asText())
                .containsExactly("ok", "reject", "reject", "reject");
        assertThat(lines.get(0).get("format").asText()).isEqualTo("raw");
        assertThat(lines.get(0).get("virtual_size").asLong()).isEqualTo(3L << 20);
        assertThat(lines.get(1).get("format").asText()).isEqualTo("qcow2");
        assertThat(lines.get(1).get("why").asText()).contains("backing_file");
        assertThat(lines.get(2).get("format").isNull()).isTrue();
        assertThat(lines.get(2).get("why").asText()).isNotEmpty();
        assertThat(lines.get(2).get("actual_size").asLong()).isEqualTo(48);
        assertThat(lines.get(3).get("why").asText()).isEqualTo("cannot read: no such file");
        assertThat(lines.get(3).get("actual_size").isNull()).isTrue();
    }

    @Test
    void expectRefusesADifferentDiskFormat() throws Exception {
        Run run = glimpse("inspect", "--json", "--expect", "vmdk", qcow2.toString());

        assertThat(run.status()).isEqualTo(1);
        JsonNode line = run.jsonLines().get(0);
        assertThat(line.get("format").asText()).isEqualTo("qcow2");
        assertThat(line.get("verdict").asText()).isEqualTo("reject");
        assertThat(line.get("why").asText()).isEqualTo("image declared as vmdk but detected as qcow2");

        assertThat(glimpse("inspect", "--expect", "qcow2", qcow2.toString()).status()).isZero();
    }

    @Test
    void expectAcceptsContainerFormats() throws Exception {
        Run run = glimpse("inspect", "--json", "--expect", "compressed", gz.toString());
        assertThat(run.status()).isZero();
        JsonNode line = run.jsonLines().get(0);
        assertThat(line.get("format").asText()).isEqualTo("compressed");
        assertThat(line.get("details").get("compression").asText()).isEqualTo("gzip");

        Run refused = glimpse("inspect", "--json", "--expect", "ova", qcow2.toString());
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.jsonLines().get(0).get("why").asText()).startsWith("ova: ");

        Run bare = glimpse("inspect", "--json", "--expect", "bare", qcow2.toString());
        assertThat(bare.jsonLines().get(0).get("format").asText()).isEqualTo("qcow2");
        assertThat(bare.jsonLines().get(0).get("details").get("container_format").asText()).isEqualTo("bare");
    }

    @Test
    void expectOvaValidatesTheArchiveAndInspectsTheDiskInside() throws Exception {
        Files.writeString(dir.resolve("vm.ovf"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">
                  <References><File ovf:href="disk.qcow2" ovf:id="f0"/></References>
                </Envelope>
                """);
        run("tar", "--format=ustar", "-cf", "vm.ova", "vm.ovf", "disk.qcow2");
        run("tar", "--format=ustar", "-cf", "reversed.ova", "disk.qcow2", "vm.ovf");

        Run run = glimpse("inspect", "--json", "--expect", "ova", dir.resolve("vm.ova").toString(),
                dir.resolve("reversed.ova").toString());

        assertThat(run.status()).isEqualTo(1);
        List<JsonNode> lines = run.jsonLines();
        JsonNode ok = lines.get(0);
        assertThat(ok.get("format").asText()).isEqualTo("ova");
        assertThat(ok.get("verdict").asText()).isEqualTo("ok");
        assertThat(ok.get("virtual_size").asLong()).isEqualTo(1L << 30);
        assertThat(ok.get("actual_size").asLong()).isEqualTo(Files.size(dir.resolve("vm.ova")));
        assertThat(ok.get("details").get("disk_format").asText()).isEqualTo("qcow2");
        assertThat(ok.get("details").get("members").toString()).isEqualTo("[\"vm.ovf\",\"disk.qcow2\"]");
        assertThat(lines.get(1).get("verdict").asText()).isEqualTo("reject");
        assertThat(lines.get(1).get("why").asText())
                .isEqualTo("ova: the first member must be the .ovf descriptor, found 'disk.qcow2'");
    }

    @Test
    void readableTableIsAligned() {
        Run run = glimpse("inspect", qcow2.toString(), raw.toString(), backed.toString());

        assertThat(run.status()).isEqualTo(1);
        String[] lines = run.out().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("FILE").contains("FORMAT", "VIRTUAL SIZE", "ACTUAL SIZE", "VERDICT", "WHY");
        int formatColumn = lines[0].indexOf("FORMAT");
        int verdictColumn = lines[0].indexOf("VERDICT");
        assertThat(lines[1].substring(formatColumn)).startsWith("qcow2");
        assertThat(lines[2].substring(formatColumn)).startsWith("raw");
        assertThat(lines[1].substring(verdictColumn)).startsWith("ok");
        assertThat(lines[3].substring(verdictColumn)).startsWith("reject").contains("backing_file");
        assertThat(lines[1]).contains("1 GiB");
        assertThat(lines[2]).contains("3 MiB");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(glimpse("inspect").status()).isEqualTo(2);
        Run badFormat = glimpse("inspect", "--expect", "floppy", qcow2.toString());
        assertThat(badFormat.status()).isEqualTo(2);
        assertThat(badFormat.err()).contains("'floppy' is neither a disk format");
        assertThat(glimpse("inspect", "--nope", qcow2.toString()).status()).isEqualTo(2);
        assertThat(glimpse("frobnicate").status()).isEqualTo(2);
        assertThat(glimpse().status()).isEqualTo(2);
    }

    @Test
    void helpExitsWithZero() {
        Run run = glimpse("inspect", "--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("--expect=FORMAT", "--json", "FILE...");
    }

    @Test
    void humanSizes() {
        assertThat(InspectCommand.human(null)).isEqualTo("-");
        assertThat(InspectCommand.human(512L)).isEqualTo("512 B");
        assertThat(InspectCommand.human(1536L)).isEqualTo("1.5 KiB");
        assertThat(InspectCommand.human(1L << 40)).isEqualTo("1 TiB");
    }
}
