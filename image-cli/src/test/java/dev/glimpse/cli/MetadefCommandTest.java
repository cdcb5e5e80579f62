package dev.glimpse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadefCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path home;
    Cli admin;
    Cli member;

    @BeforeEach
    void setUp() {
        admin = new Cli(home);
        member = new Cli(home, "--project", "p1", "--roles", "member,reader");
    }

    private Cli.Result ok(Cli cli, String... args) {
        Cli.Result result = cli.run(args);
        assertThat(result.status()).as("%s: %s", String.join(" ", args), result.err()).isZero();
        return result;
    }

    @Test
    void namespacePropertiesObjectsAndTags() throws Exception {
        ok(admin, "metadef", "namespace", "create", "OS::Demo::Disks", "--display-name", "Disks", "--public");
        ok(admin, "metadef", "property", "create", "OS::Demo::Disks", "disk_bus", "--title", "Disk bus",
                "--type", "string", "--enum", "virtio,scsi,ide");
        Path object = Files.writeString(home.resolve("obj.json"), """
                {"name": "Storage", "description": "where disks go", "required": ["disk_bus"],
                 "properties": {"disk_bus": {"title": "Disk bus", "type": "string"}}}""");
        ok(admin, "metadef", "object", "create", "OS::Demo::Disks", "--file", object.toString());
        ok(admin, "metadef", "tag", "create", "OS::Demo::Disks", "fast", "cheap");

        assertThat(ok(admin, "metadef", "namespace", "list", "-f", "value", "-c", "namespace").out())
                .isEqualTo("OS::Demo::Disks\n");
        assertThat(ok(admin, "metadef", "property", "list", "OS::Demo::Disks").out())
                .contains("| Name ").contains("| disk_bus | Disk bus | string |");
        JsonNode property = JSON.readTree(ok(admin, "metadef", "property", "show", "OS::Demo::Disks", "disk_bus",
                "-f", "json").out());
        assertThat(property.get("enum")).extracting(JsonNode::asText).containsExactly("virtio", "scsi", "ide");
        assertThat(ok(admin, "metadef", "object", "list", "OS::Demo::Disks", "-f", "value").out())
                .isEqualTo("Storage where disks go\n");
        assertThat(ok(admin, "metadef", "tag", "list", "OS::Demo::Disks", "-f", "value").out().lines())
                .containsExactlyInAnyOrder("fast", "cheap");
        String show = ok(admin, "metadef", "namespace", "show", "OS::Demo::Disks").out();
        assertThat(show).contains("| properties ").contains("disk_bus").contains("Storage").contains("cheap");
        JsonNode document = JSON.readTree(ok(admin, "metadef", "namespace", "show", "OS::Demo::Disks", "-f", "json").out());
        assertThat(document.get("properties").get("disk_bus").get("type").asText()).isEqualTo("string");

        // Members read public namespaces but may not change them (metadef_admin).
        assertThat(ok(member, "metadef", "namespace", "list", "-f", "value", "-c", "namespace").out()).contains("OS::Demo::Disks");
        Cli.Result refused = member.run("metadef", "tag", "create", "OS::Demo::Disks", "mine");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).startsWith("glimpse: ");

        ok(admin, "metadef", "tag", "delete", "OS::Demo::Disks", "fast");
        ok(admin, "metadef", "property", "delete", "OS::Demo::Disks", "disk_bus");
        ok(admin, "metadef", "object", "delete", "OS::Demo::Disks", "Storage");
        ok(admin, "metadef", "namespace", "set", "OS::Demo::Disks", "--protected");
        Cli.Result protectedDelete = admin.run("metadef", "namespace", "delete", "OS::Demo::Disks");
        assertThat(protectedDelete.status()).isEqualTo(1);
        assertThat(protectedDelete.err()).startsWith("glimpse: not allowed: ");
        ok(admin, "metadef", "namespace", "set", "OS::Demo::Disks", "--no-protected");
        ok(admin, "metadef", "namespace", "delete", "OS::Demo::Disks");
        assertThat(ok(admin, "metadef", "namespace", "list", "-f", "value").out()).isEmpty();
    }

    @Test
    void standardDefinitionsLoadAndShowWithTheImagePrefix() {
        String loaded = ok(admin, "metadef", "namespace", "load-standard", "-f", "value").out();
        assertThat(loaded.lines()).isNotEmpty();
        assertThat(ok(admin, "metadef", "namespace", "list", "--resource-type", "OS::Glance::Image", "-f", "value",
                "-c", "namespace").out().lines()).isNotEmpty();
        assertThat(ok(admin, "metadef", "resource-type", "list", "-f", "value").out()).contains("OS::Glance::Image");
    }

    @Test
    void mistakesAreReportedOnOneLine() {
        Cli.Result type = admin.run("metadef", "property", "create", "X", "p", "--title", "t", "--type", "colour");
        assertThat(type.status()).isEqualTo(2);
        assertThat(type.err()).contains("colour");
        Cli.Result missing = admin.run("metadef", "namespace", "show", "OS::Nothing");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err().lines()).hasSize(1);
        Cli.Result nothing = admin.run("metadef", "namespace", "create");
        assertThat(nothing.status()).isEqualTo(2);
    }
}
