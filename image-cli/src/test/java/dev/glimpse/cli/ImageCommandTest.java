package dev.glimpse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image commands in-process, on a catalogue in a temp directory, with qemu-img-made images. */
class ImageCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path images;
    static Path qcow2;
    static Path backed;

    @TempDir Path home;
    Cli cli;

    @BeforeAll
    static void makeImages() throws Exception {
        qcow2 = images.resolve("disk.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", qcow2.toString(), "16M");
        backed = images.resolve("backed.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", backed.toString(), "1M");
    }

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    private String create(String name, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("image", "create", name, "--file", qcow2.toString(),
                "-f", "value", "-c", "id"));
        args.addAll(List.of(more));
        Cli.Result result = cli.run(args.toArray(String[]::new));
        assertThat(result.status()).as(result.err()).isZero();
        return result.out().trim();
    }

    private JsonNode show(String image) throws Exception {
        Cli.Result result = cli.run("image", "show", image, "-f", "json");
        assertThat(result.status()).as(result.err()).isZero();
        return JSON.readTree(result.out());
    }

    @Test
    void createDetectsTheDiskFormatAndUploads() throws Exception {
        String id = create("cirros");
        JsonNode image = show(id);
        assertThat(image.get("status").asText()).isEqualTo("active");
        assertThat(image.get("disk_format").asText()).isEqualTo("qcow2");
        assertThat(image.get("container_format").asText()).isEqualTo("bare");
        assertThat(image.get("visibility").asText()).isEqualTo("shared");
        assertThat(image.get("owner").asText()).isEqualTo("admin");
        assertThat(image.get("virtual_size").asLong()).isEqualTo(16 << 20);
        assertThat(image.get("size").asLong()).isEqualTo(Files.size(qcow2));
    }

    @Test
    void createWithoutFileLeavesAQueuedImageWithTheGivenAttributes() throws Exception {
        Cli.Result result = cli.run("image", "create", "empty", "--disk-format", "raw", "--private", "--protected",
                "--min-disk", "2", "--min-ram", "512", "--tag", "a", "--tag", "b", "--property", "os_distro=debian",
                "-f", "json");
        assertThat(result.status()).as(result.err()).isZero();
        JsonNode image = JSON.readTree(result.out());
        assertThat(image.get("status").asText()).isEqualTo("queued");
        assertThat(image.get("visibility").asText()).isEqualTo("private");
        assertThat(image.get("protected").asBoolean()).isTrue();
        assertThat(image.get("min_disk").asInt()).isEqualTo(2);
        assertThat(image.get("min_ram").asInt()).isEqualTo(512);
        assertThat(image.get("tags")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(image.get("os_distro").asText()).isEqualTo("debian");
    }

    @Test
    void refusedUploadLeavesNothingBehind() {
        Cli.Result result = cli.run("image", "create", "evil", "--file", backed.toString(), "--disk-format", "qcow2");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("glimpse: ").containsIgnoringCase("backing").doesNotContain("\tat ");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(cli.run("image", "list", "--all", "-f", "value", "-c", "name").out()).doesNotContain("evil");
    }

    @Test
    void declaredFormatMustMatchTheData() {
        Cli.Result result = cli.run("image", "create", "liar", "--file", qcow2.toString(), "--disk-format", "vmdk");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("qcow2");
    }

    @Test
    void listShowsTableLongColumnsAndFilters() {
        String a = create("alpha", "--tag", "x", "--property", "os_distro=ubuntu");
        String b = create("beta", "--public");
        Cli.Result table = cli.run("image", "list");
        assertThat(table.out()).contains("| ID ").contains("| Name ").contains("| Status |")
                .contains(a).contains(b).doesNotContain("Disk Format");
        assertThat(cli.run("image", "list", "--long").out()).contains("| Disk Format | Container Format |")
                .contains("| qcow2       | bare             |");
        assertThat(cli.run("image", "list", "--tag", "x", "-f", "value", "-c", "name").out()).isEqualTo("alpha\n");
        assertThat(cli.run("image", "list", "--property", "os_distro=ubuntu", "-f", "value", "-c", "id").out())
                .isEqualTo(a + "\n");
        assertThat(cli.run("image", "list", "--public", "-f", "value", "-c", "name").out()).isEqualTo("beta\n");
        assertThat(cli.run("image", "list", "--sort", "name:asc", "-f", "value", "-c", "name").out())
                .isEqualTo("alpha\nbeta\n");
        assertThat(cli.run("image", "list", "--sort", "name:desc", "--limit", "1", "-f", "value", "-c", "name").out())
                .isEqualTo("beta\n");
        assertThat(cli.run("image", "list", "--sort", "name:asc", "--marker", a, "-f", "value", "-c", "name").out())
                .isEqualTo("beta\n");
        assertThat(cli.run("image", "list", "--name", "nope", "-f", "value").out()).isEmpty();
    }

    @Test
    void listFollowsPagesBeyondTheConfiguredPageSize() throws Exception {
        Path config = Files.writeString(home.resolve("glimpse.conf"), """
                [DEFAULT]
                limit_param_default = 2
                api_limit_max = 3
                """);
        Cli paged = new Cli(home, "--config", config.toString());
        for (int i = 0; i < 7; i++) {
            Cli.Result r = paged.run("image", "create", "img-" + i, "-f", "value", "-c", "id");
            assertThat(r.status()).as(r.err()).isZero();
        }
        assertThat(paged.run("image", "list", "-f", "value", "-c", "name").out().lines()).hasSize(7).doesNotHaveDuplicates();
        assertThat(paged.run("image", "list", "--limit", "5", "-f", "value", "-c", "id").out().lines()).hasSize(5);
    }

    @Test
    void propertiesAreCheckedAgainstLoadedDefinitions() {
        assertThat(cli.run("metadef", "namespace", "load-standard").status()).isZero();
        Cli.Result refused = cli.run("image", "create", "floppy", "--disk-format", "raw", "--property", "hw_disk_bus=floppy");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).startsWith("glimpse: invalid request: ").contains("hw_disk_bus").contains("floppy");
        assertThat(cli.run("image", "create", "virtio", "--disk-format", "raw", "--property", "hw_disk_bus=virtio")
                .status()).isZero();
        assertThat(cli.run("image", "list", "--all", "-f", "value", "-c", "name").out()).isEqualTo("virtio\n");
    }

    @Test
    void configuredQuotasApply() throws Exception {
        Path config = Files.writeString(home.resolve("quota.conf"), "[DEFAULT]\nimage_tag_quota = 1\n");
        Cli limited = new Cli(home, "--config", config.toString());
        String id = limited.run("image", "create", "q", "--disk-format", "raw", "--tag", "one", "-f", "value", "-c", "id")
                .out().trim();
        Cli.Result second = limited.run("image", "add", "tag", id, "two");
        assertThat(second.status()).isEqualTo(1);
        assertThat(second.err()).startsWith("glimpse: quota exceeded: ");
    }

    @Test
    void directUrlIsShownOnlyWhenConfigured() throws Exception {
        String id = create("located");
        assertThat(show(id).has("direct_url")).isFalse();
        Path config = Files.writeString(home.resolve("show.conf"), "[DEFAULT]\nshow_image_direct_url = true\n");
        Cli.Result shown = new Cli(home, "--config", config.toString()).run("image", "show", id, "-f", "value", "-c", "direct_url");
        assertThat(shown.out()).startsWith("file:").contains(id);
    }

    @Test
    void invalidConfigurationIsNamedOnOneLine() throws Exception {
        Path config = Files.writeString(home.resolve("bad.conf"), "[DEFAULT]\nimage_size_cap = lots\n");
        Cli.Result result = new Cli(home, "--config", config.toString()).run("image", "list");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).contains("bad.conf").contains("image_size_cap");
    }

    @Test
    void configuredSizeCapRefusesLargerUploads() throws Exception {
        Path config = Files.writeString(home.resolve("small.conf"), "[DEFAULT]\nimage_size_cap = 65536\n");
        Cli.Result result = new Cli(home, "--config", config.toString())
                .run("image", "create", "big", "--file", qcow2.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("glimpse: ");
        assertThat(cli.run("image", "list", "--all", "-f", "value").out()).isEmpty();
    }

    @Test
    void badFilterValuesAreUsageOrRequestErrors() {
        Cli.Result sort = cli.run("image", "list", "--sort", "colour");
        assertThat(sort.status()).isEqualTo(1);
        assertThat(sort.err()).contains("colour");
        Cli.Result status = cli.run("image", "list", "--status", "sleeping");
        assertThat(status.status()).isEqualTo(2);
        assertThat(status.err()).contains("sleeping").contains("--help");
        Cli.Result time = cli.run("image", "list", "--created-at", "gt:yesterday");
        assertThat(time.status()).isEqualTo(2);
        assertThat(time.err()).contains("ISO 8601");
        Cli.Result member = cli.run("image", "list", "--member-status", "maybe");
        assertThat(member.status()).isEqualTo(2);
        assertThat(member.err()).contains("maybe").contains("--help");
        Cli.Result blank = new Cli(home, "--project", " ").run("image", "list");
        assertThat(blank.status()).isEqualTo(2);
        assertThat(blank.err()).contains("projectId");
        Cli.Result column = cli.run("image", "list", "-c", "colour");
        assertThat(column.status()).isEqualTo(2);
        assertThat(column.err()).contains("no column 'colour'");
    }

    @Test
    void showAcceptsANameAndRefusesAnAmbiguousOne() throws Exception {
        String id = create("twin");
        assertThat(show("twin").get("id").asText()).isEqualTo(id);
        create("twin");
        Cli.Result ambiguous = cli.run("image", "show", "twin");
        assertThat(ambiguous.status()).isEqualTo(1);
        assertThat(ambiguous.err()).contains("more than one image is named 'twin'");
        Cli.Result missing = cli.run("image", "show", "nothing-here");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("nothing-here").contains("glimpse image list");
        assertThat(missing.err().lines()).hasSize(1);
        Cli.Result debug = cli.run("--debug", "image", "show", "nothing-here");
        assertThat(debug.status()).isEqualTo(1);
        assertThat(debug.err()).startsWith("glimpse: ").contains("NotFoundException").contains("\tat ");
    }

    @Test
    void showTableHasFieldAndValueRows() {
        String id = create("shown");
        String table = cli.run("image", "show", id).out();
        assertThat(table).startsWith("+").contains("| Field ").contains("| disk_format ").contains("| qcow2 ")
                .contains("| id ").contains(id);
    }

    @Test
    void setAndUnsetChangeAttributesPropertiesAndTags() throws Exception {
        String id = create("before");
        assertThat(cli.run("image", "set", id, "--name", "after", "--min-ram", "256", "--property", "hw_disk_bus=virtio",
                "--property", "os_type=linux", "--tag", "t1", "--hidden", "--protected").status()).isZero();
        JsonNode image = show(id);
        assertThat(image.get("name").asText()).isEqualTo("after");
        assertThat(image.get("min_ram").asInt()).isEqualTo(256);
        assertThat(image.get("hw_disk_bus").asText()).isEqualTo("virtio");
        assertThat(image.get("os_hidden").asBoolean()).isTrue();
        assertThat(image.get("protected").asBoolean()).isTrue();
        assertThat(image.get("tags")).extracting(JsonNode::asText).containsExactly("t1");

        assertThat(cli.run("image", "unset", id, "--property", "hw_disk_bus", "--tag", "t1").status()).isZero();
        assertThat(cli.run("image", "set", id, "--no-protected", "--no-hidden").status()).isZero();
        image = show(id);
        assertThat(image.has("hw_disk_bus")).isFalse();
        assertThat(image.get("os_type").asText()).isEqualTo("linux");
        assertThat(image.get("tags")).isEmpty();
        assertThat(image.get("protected").asBoolean()).isFalse();

        Cli.Result nothing = cli.run("image", "set", id);
        assertThat(nothing.status()).isEqualTo(2);
        assertThat(nothing.err()).contains("nothing to change");
        Cli.Result missing = cli.run("image", "unset", id, "--property", "never-set");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).startsWith("glimpse: conflict: ");
        Cli.Result formats = cli.run("image", "set", id, "--disk-format", "raw");
        assertThat(formats.status()).isEqualTo(1);
    }

    @Test
    void addAndRemoveTag() throws Exception {
        String id = create("tagged");
        assertThat(cli.run("image", "add", "tag", id, "blue").status()).isZero();
        assertThat(show(id).get("tags")).extracting(JsonNode::asText).containsExactly("blue");
        assertThat(cli.run("image", "remove", "tag", "tagged", "blue").status()).isZero();
        assertThat(show(id).get("tags")).isEmpty();
        Cli.Result again = cli.run("image", "remove", "tag", id, "blue");
        assertThat(again.status()).isEqualTo(1);
    }

    @Test
    void saveWritesTheExactBytesAtomically() throws Exception {
        String id = create("saved");
        Path out = home.resolve("copy.qcow2");
        Files.writeString(out, "old contents");
        Cli.Result save = cli.run("image", "save", id, "--file", out.toString());
        assertThat(save.status()).as(save.err()).isZero();
        assertThat(save.out()).isEmpty();
        assertThat(save.terminal()).isEmpty();
        assertThat(Files.mismatch(out, qcow2)).isEqualTo(-1);
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        }
        Cli.Result queued = cli.run("image", "create", "no-data", "-f", "value", "-c", "id");
        Cli.Result nodata = cli.run("image", "save", queued.out().trim(), "--file", home.resolve("x").toString());
        assertThat(nodata.status()).isEqualTo(1);
        assertThat(Files.exists(home.resolve("x"))).isFalse();
    }

    @Test
    void progressBarIsDrawnOnlyForAPersonWatching() {
        Cli.Result quiet = cli.run(false, "image", "create", "quiet", "--file", qcow2.toString(), "-f", "value", "-c", "id");
        assertThat(quiet.terminal()).isEmpty();
        assertThat(quiet.out().trim()).matches("[0-9a-f-]{36}");

        Cli.Result watched = cli.run(true, "image", "create", "watched", "--file", qcow2.toString(), "-f", "value", "-c", "id");
        assertThat(watched.status()).as(watched.err()).isZero();
        assertThat(watched.terminal()).startsWith("\rUploading [").contains("100%").contains("/s").endsWith("\n");
        assertThat(watched.out().trim()).matches("[0-9a-f-]{36}");

        Cli.Result save = cli.run(true, "image", "save", "watched", "--file", home.resolve("w.qcow2").toString());
        assertThat(save.terminal()).startsWith("\rDownloading [").contains("100%");
    }

    @Test
    void deleteRemovesAndRefusesProtectedImages() {
        String keep = create("keep", "--protected");
        String drop = create("drop");
        Cli.Result refused = cli.run("image", "delete", keep);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).startsWith("glimpse: not allowed: ");
        Cli.Result both = cli.run("image", "delete", drop, keep);
        assertThat(both.status()).isEqualTo(1);
        assertThat(both.err()).contains("1 of 2 images could not be deleted");
        assertThat(cli.run("image", "list", "-f", "value", "-c", "id").out()).isEqualTo(keep + "\n");
    }

    @Test
    void deactivateAndReactivate() throws Exception {
        String id = create("toggle");
        assertThat(cli.run("image", "deactivate", id).status()).isZero();
        assertThat(show(id).get("status").asText()).isEqualTo("deactivated");
        Cli.Result member = new Cli(home, "--project", "admin", "--roles", "member,reader")
                .run("image", "save", id, "--file", home.resolve("d").toString());
        assertThat(member.status()).isEqualTo(1);
        assertThat(cli.run("image", "reactivate", id).status()).isZero();
        assertThat(show(id).get("status").asText()).isEqualTo("active");
    }
}
