package dev.glimpse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delayed delete from the shell: delete keeps the data, restore brings it back, scrub removes it. */
class ScrubCommandTest {
    @TempDir Path home;

    private long storedFiles() throws Exception {
        Path images = home.resolve("images");
        if (!Files.exists(images)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(images)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void deleteRestoreAndScrub() throws Exception {
        Path image = home.resolve("disk.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", image.toString(), "1M");
        Path config = Files.writeString(home.resolve("glimpse.conf"), "[DEFAULT]\ndelayed_delete = true\nscrub_time = 0\n");
        Cli cli = new Cli(home, "--config", config.toString());
        String id = cli.run("image", "create", "keep-me", "--file", image.toString(), "-f", "value", "-c", "id").out().trim();
        assertThat(storedFiles()).isEqualTo(1);

        assertThat(cli.run("image", "delete", id).status()).isZero();
        assertThat(cli.run("image", "show", id).status()).isEqualTo(1);
        assertThat(storedFiles()).as("data kept while pending_delete").isEqualTo(1);

        Cli.Result restored = cli.run("scrub", "--restore", id, "-f", "value", "-c", "status");
        assertThat(restored.status()).as(restored.err()).isZero();
        assertThat(restored.out()).isEqualTo("active\n");
        assertThat(cli.run("image", "save", id, "--file", home.resolve("back.qcow2").toString()).status()).isZero();

        Cli.Result member = new Cli(home, "--config", config.toString(), "--roles", "member,reader").run("scrub");
        assertThat(member.status()).isEqualTo(1);
        assertThat(member.err()).contains("admin");

        assertThat(cli.run("image", "delete", id).status()).isZero();
        Cli.Result scrub = cli.run("scrub");
        assertThat(scrub.status()).as(scrub.err()).isZero();
        assertThat(scrub.out()).contains(id).contains("deleted").contains("1 scrubbed, 0 to retry");
        assertThat(storedFiles()).isZero();
        Cli.Result late = cli.run("scrub", "--restore", id);
        assertThat(late.status()).isEqualTo(1);
        assertThat(late.err()).startsWith("glimpse: ");
    }
}
