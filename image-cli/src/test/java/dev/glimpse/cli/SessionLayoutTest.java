package dev.glimpse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.store.fs.FileImageRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the catalogue and the image data go: under --home, unless the configuration moves them. */
class SessionLayoutTest {
    @TempDir Path dir;

    private static long files(Path root) throws Exception {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void homeHoldsCatalogueImagesAndMetadefsCreatedOnFirstUse() throws Exception {
        Path home = dir.resolve("fresh/home");
        Cli cli = new Cli(home);
        assertThat(cli.run("image", "list").status()).isZero();
        assertThat(home.resolve("catalogue")).isDirectory();
        Path image = Files.write(dir.resolve("d.raw"), new byte[4096]);
        assertThat(cli.run("image", "create", "r", "--file", image.toString()).status()).isZero();
        assertThat(files(home.resolve("images"))).isEqualTo(1);
        assertThat(cli.run("metadef", "namespace", "list").status()).isZero();
        assertThat(home.resolve("metadefs")).isDirectory();
    }

    @Test
    void inspectNeedsNoCatalogue() throws Exception {
        Path home = dir.resolve("untouched");
        Path image = Files.write(dir.resolve("d.raw"), new byte[4096]);
        assertThat(new Cli(home).run("inspect", image.toString()).status()).isZero();
        assertThat(home).doesNotExist();
    }

    @Test
    void configurationMovesTheCatalogueAndTheData() throws Exception {
        Path catalogue = dir.resolve("elsewhere/catalogue");
        Path data = dir.resolve("elsewhere/data");
        Path config = Files.writeString(dir.resolve("glimpse.conf"), "[database]\nconnection = " + catalogue.toUri()
                + "\n[glance_store]\nfilesystem_store_datadir = " + data + "\n");
        Path home = dir.resolve("home");
        Cli cli = new Cli(home, "--config", config.toString());
        Path image = Files.write(dir.resolve("d.raw"), new byte[4096]);
        Cli.Result created = cli.run("image", "create", "moved", "--file", image.toString(), "-f", "value", "-c", "id");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(files(data)).isEqualTo(1);
        assertThat(files(catalogue)).isPositive();
        assertThat(files(home.resolve("images"))).isZero();
        assertThat(files(home.resolve("catalogue"))).isZero();
        // Without the configuration the catalogue under --home is a different, empty one.
        assertThat(new Cli(home).run("image", "list", "-f", "value").out()).isEmpty();
        assertThat(cli.run("image", "list", "-f", "value", "-c", "name").out()).isEqualTo("moved\n");
    }

    @Test
    void enabledBackendsPutTheDataInTheDefaultBackend() throws Exception {
        Path fast = dir.resolve("fast");
        Path slow = dir.resolve("slow");
        Path config = Files.writeString(dir.resolve("glimpse.conf"), "[DEFAULT]\nenabled_backends = fast:file, slow:file\n"
                + "[glance_store]\ndefault_backend = slow\n[fast]\nfilesystem_store_datadir = " + fast
                + "\n[slow]\nfilesystem_store_datadir = " + slow + "\n");
        Path home = dir.resolve("home");
        Path image = Files.write(dir.resolve("d.raw"), new byte[4096]);
        Cli.Result created = new Cli(home, "--config", config.toString()).run("image", "create", "b", "--file",
                image.toString());
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(files(slow)).isEqualTo(1);
        assertThat(files(fast)).isZero();
        assertThat(files(home.resolve("images"))).isZero();
        assertThat(files(home.resolve("catalogue"))).isPositive();
    }

    @Test
    void aCatalogueInUseIsReportedOnOneLine() throws Exception {
        Path home = dir.resolve("busy");
        try (var held = dev.glimpse.image.store.fs.FileImageRepository.open(
                Files.createDirectories(home.resolve("catalogue")))) {
            Cli.Result result = new Cli(home).run("image", "list");
            assertThat(result.status()).isEqualTo(1);
            assertThat(result.err().lines()).hasSize(1);
            assertThat(result.err()).startsWith("glimpse: ").contains("another glimpse command");
        }
        assertThat(new Cli(home).run("image", "list").status()).isZero();
    }

    @Test
    void openingTheHomeRepairsWhatAKilledCommandLeftBehind() throws Exception {
        Path home = dir.resolve("crashed");
        Cli cli = new Cli(home);
        Path image = Files.write(dir.resolve("d.raw"), new byte[4096]);
        assertThat(cli.run("image", "create", "kept", "--file", image.toString()).status()).isZero();
        // What a kill -9 in the middle of an upload leaves: an image stuck in saving, and its data
        // file (or temp file) that no image refers to.
        String stuck = UUID.randomUUID().toString();
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        try (FileImageRepository catalogue = FileImageRepository.open(home.resolve("catalogue"))) {
            catalogue.create(Image.builder().id(stuck).status(ImageStatus.SAVING).owner("admin")
                    .diskFormat(DiskFormat.RAW).containerFormat(ContainerFormat.BARE)
                    .createdAt(then).updatedAt(then).build());
        }
        Path orphan = Files.write(home.resolve("images").resolve(stuck), new byte[512]);
        Path temp = Files.write(home.resolve("images").resolve("." + stuck + ".tmp"), new byte[512]);

        Cli.Result shown = cli.run("image", "show", stuck, "-f", "value", "-c", "status");
        assertThat(shown.status()).as(shown.err()).isZero();
        assertThat(shown.out().strip()).isEqualTo("queued");
        assertThat(orphan).doesNotExist();
        assertThat(temp).doesNotExist();
        assertThat(files(home.resolve("images"))).isEqualTo(1);
        assertThat(cli.run("image", "show", "kept", "-f", "value", "-c", "status").out().strip()).isEqualTo("active");
    }
}
