package dev.glimpse.image.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlimpseConfigTest {
    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines));
    }

    @Test
    void defaultsAreGlances() {
        GlimpseConfig c = GlimpseConfig.defaults();
        assertThat(c.hashingAlgorithm()).isEqualTo("sha512");
        assertThat(c.hashingAlgorithmJavaName()).isEqualTo("SHA-512");
        assertThat(c.limitParamDefault()).isEqualTo(25);
        assertThat(c.apiLimitMax()).isEqualTo(1000);
        assertThat(c.showImageDirectUrl()).isFalse();
        assertThat(c.showMultipleLocations()).isFalse();
        assertThat(c.imageSizeCap()).isEqualTo(1099511627776L);
        assertThat(c.userStorageQuota()).isZero();
        assertThat(c.imagePropertyQuota()).isEqualTo(128);
        assertThat(c.imageTagQuota()).isEqualTo(128);
        assertThat(c.imageMemberQuota()).isEqualTo(128);
        assertThat(c.imageLocationQuota()).isEqualTo(10);
        assertThat(c.delayedDelete()).isFalse();
        assertThat(c.scrubTime()).isEqualTo(Duration.ZERO);
        assertThat(c.scrubPoolSize()).isEqualTo(1);
        assertThat(c.wakeupTime()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.defaultPublisherId()).isEqualTo("image.localhost");
        assertThat(c.enabledBackends()).isEmpty();
        assertThat(c.defaultBackend()).isEmpty();
        assertThat(c.filesystemStoreDatadir()).isEqualTo(Path.of("/var/lib/glance/images"));
        assertThat(c.diskFormats()).containsExactly("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi",
                "iso", "ploop");
        assertThat(c.containerFormats()).containsExactly("ami", "ari", "aki", "bare", "ovf", "ova", "docker",
                "compressed");
        assertThat(c.requireImageFormatMatch()).isTrue();
        assertThat(c.policyFile()).isEmpty();
        assertThat(c.databaseConnection()).isEqualTo("memory:");
        assertThat(c.limitsFor("any")).isEqualTo(ProjectLimits.UNLIMITED);
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void readsEveryOption() throws IOException {
        write("policy.yaml", "get_image: role:admin");
        Path file = write("glance-api.conf",
                "# glance-api.conf",
                "[DEFAULT]",
                "hashing_algorithm = sha256",
                "limit_param_default = 10",
                "api_limit_max: 50",
                "show_image_direct_url = True",
                "show_multiple_locations = yes",
                "image_size_cap = 10G",
                "user_storage_quota = 500MB",
                "image_property_quota = 5",
                "image_tag_quota = -1",
                "image_member_quota = 7",
                "image_location_quota = 2",
                "delayed_delete = on",
                "scrub_time = 3600",
                "scrub_pool_size = 4",
                "wakeup_time = 60",
                "default_publisher_id = image.host1",
                "disabled_notifications = image.send, metadef_tag",
                "enabled_backends = fast:file,",
                "   cheap:file",
                "; a comment",
                "[glance_store]",
                "default_backend = fast",
                "filesystem_store_datadir = data",
                "filesystem_store_datadirs = /a:50, /b:100, /c",
                "[fast]",
                "filesystem_store_datadir = /ssd",
                "store_description = \"Fast SSD\"",
                "weight = 100",
                "[cheap]",
                "filesystem_store_datadirs = /hdd1:1,/hdd2:2",
                "[image_format]",
                "disk_formats = raw, qcow2",
                "container_formats = bare",
                "require_image_format_match = false",
                "[oslo_policy]",
                "policy_file = policy.yaml",
                "[database]",
                "connection = file:///var/lib/glimpse/catalogue",
                "[project_limits]",
                "image_count_total = 100",
                "image_count_uploading = 3",
                "image_size_total = 1024",
                "image_stage_total = 1T",
                "[project_limits:big]",
                "image_size_total = 2G",
                "");
        GlimpseConfig c = GlimpseConfig.load(file);
        assertThat(c.hashingAlgorithm()).isEqualTo("sha256");
        assertThat(c.hashingAlgorithmJavaName()).isEqualTo("SHA-256");
        assertThat(c.limitParamDefault()).isEqualTo(10);
        assertThat(c.apiLimitMax()).isEqualTo(50);
        assertThat(c.showImageDirectUrl()).isTrue();
        assertThat(c.showMultipleLocations()).isTrue();
        assertThat(c.imageSizeCap()).isEqualTo(10L << 30);
        assertThat(c.userStorageQuota()).isEqualTo(500L << 20);
        assertThat(c.imagePropertyQuota()).isEqualTo(5);
        assertThat(c.imageTagQuota()).isEqualTo(-1);
        assertThat(c.imageMemberQuota()).isEqualTo(7);
        assertThat(c.imageLocationQuota()).isEqualTo(2);
        assertThat(c.delayedDelete()).isTrue();
        assertThat(c.scrubTime()).isEqualTo(Duration.ofHours(1));
        assertThat(c.scrubPoolSize()).isEqualTo(4);
        assertThat(c.wakeupTime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.defaultPublisherId()).isEqualTo("image.host1");
        assertThat(c.disabledNotifications()).containsExactly("image.send", "metadef_tag");
        assertThat(c.enabledBackends()).containsOnlyKeys("fast", "cheap");
        StoreBackend fast = c.enabledBackends().get("fast");
        assertThat(fast.type()).isEqualTo("file");
        assertThat(fast.description()).isEqualTo("Fast SSD");
        assertThat(fast.weight()).isEqualTo(100);
        assertThat(fast.dataDirectories()).containsExactly(new StoreBackend.DataDirectory(Path.of("/ssd"), 0));
        assertThat(c.enabledBackends().get("cheap").dataDirectories()).extracting(StoreBackend.DataDirectory::path)
                .containsExactly(Path.of("/hdd2"), Path.of("/hdd1"));
        assertThat(c.defaultBackend()).contains("fast");
        assertThat(c.filesystemStoreDatadir()).isEqualTo(dir.resolve("data").toAbsolutePath().normalize());
        assertThat(c.filesystemStoreDatadirs()).containsExactly(
                new StoreBackend.DataDirectory(Path.of("/b"), 100), new StoreBackend.DataDirectory(Path.of("/a"), 50),
                new StoreBackend.DataDirectory(Path.of("/c"), 0));
        assertThat(c.diskFormats()).containsExactly("raw", "qcow2");
        assertThat(c.containerFormats()).containsExactly("bare");
        assertThat(c.requireImageFormatMatch()).isFalse();
        assertThat(c.policyFile()).contains(dir.resolve("policy.yaml").toAbsolutePath().normalize());
        assertThat(c.databaseConnection()).isEqualTo("file:///var/lib/glimpse/catalogue");
        assertThat(c.databaseDirectory()).contains(Path.of("/var/lib/glimpse/catalogue"));
        assertThat(c.defaultProjectLimits()).isEqualTo(new ProjectLimits(100, 3, 1024L << 20, 1L << 40));
        assertThat(c.limitsFor("big")).isEqualTo(new ProjectLimits(100, 3, 2L << 30, 1L << 40));
        assertThat(c.limitsFor("small")).isEqualTo(c.defaultProjectLimits());
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void laterFilesOverrideEarlierOnes() throws IOException {
        Path api = write("api.conf", "[DEFAULT]", "delayed_delete = true", "scrub_time = 10");
        Path scrubber = write("scrubber.conf", "[DEFAULT]", "scrub_time = 20", "[database]", "connection = memory:");
        GlimpseConfig c = GlimpseConfig.load(api, scrubber);
        assertThat(c.delayedDelete()).isTrue();
        assertThat(c.scrubTime()).isEqualTo(Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "[{0}] {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "DEFAULT       | image_size_cap          | 12X             | is not a size",
        "DEFAULT       | image_size_cap          | 0               | at least 1",
        "DEFAULT       | image_size_cap          | 99999999999T    | too large",
        "DEFAULT       | user_storage_quota      | lots            | is not a size",
        "DEFAULT       | limit_param_default     | 0               | at least 1",
        "DEFAULT       | api_limit_max           | ten             | is not an integer",
        "DEFAULT       | show_image_direct_url   | maybe           | is not a boolean",
        "DEFAULT       | delayed_delete          | 2               | is not a boolean",
        "DEFAULT       | scrub_time              | -5              | must not be negative",
        "DEFAULT       | scrub_pool_size         | 0               | at least 1",
        "DEFAULT       | wakeup_time             | 0               | must be positive",
        "DEFAULT       | hashing_algorithm       | crc32           | not supported",
        "DEFAULT       | enabled_backends        | fast            | is not id:type",
        "DEFAULT       | enabled_backends        | os_glance_x:file | reserved",
        "DEFAULT       | enabled_backends        | a:http, a:http   | appears twice",
        "image_format  | disk_formats            | raw, floppy     | unknown disk format 'floppy'",
        "image_format  | container_formats       | tarball         | unknown container format",
        "database      | connection              | mysql://db      | not supported",
        "database      | connection              | file:relative   | not an absolute file URI",
        "oslo_policy   | policy_file             | nowhere.yaml    | does not exist",
        "oslo_policy   | enforce_new_defaults    | false           | only the new",
        "project_limits | image_size_total       | much            | is not a size",
        "project_limits | image_count_total      | 1.5             | is not an integer",
    })
    void invalidValuesNameFileSectionAndOption(String section, String option, String value, String reason)
            throws IOException {
        Path file = write("bad.conf", "[" + section + "]", option + " = " + value);
        assertThatThrownBy(() -> GlimpseConfig.load(file))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.file()).contains(file.toString());
                    assertThat(e.section()).contains(section);
                    assertThat(e.option()).contains(option);
                    assertThat(e.reason()).contains(reason).contains("line 2");
                    assertThat(e.getMessage()).startsWith(file + " [" + section + "] " + option + ": ");
                });
    }

    @Test
    void crossOptionErrors() throws IOException {
        Path limits = write("a.conf", "[DEFAULT]", "limit_param_default = 100", "api_limit_max = 50");
        assertThatThrownBy(() -> GlimpseConfig.load(limits)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.option()).contains("limit_param_default"));
        Path backend = write("b.conf", "[DEFAULT]", "enabled_backends = a:file", "[a]", "filesystem_store_datadir = /x",
                "[glance_store]", "default_backend = b");
        assertThatThrownBy(() -> GlimpseConfig.load(backend)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> {
                    assertThat(e.option()).contains("default_backend");
                    assertThat(e.reason()).contains("'b'");
                });
        Path noDir = write("c.conf", "[DEFAULT]", "enabled_backends = a:file", "[glance_store]", "default_backend = a");
        assertThatThrownBy(() -> GlimpseConfig.load(noDir)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.section()).contains("a"));
    }

    @Test
    void malformedFilesAreRefusedWithTheLine() throws IOException {
        assertThatThrownBy(() -> GlimpseConfig.load(write("a.conf", "delayed_delete = true")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("line 1").hasMessageContaining("before any [section]");
        assertThatThrownBy(() -> GlimpseConfig.load(write("b.conf", "[DEFAULT", "x = 1")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("malformed section header");
        assertThatThrownBy(() -> GlimpseConfig.load(write("c.conf", "[DEFAULT]", "just words")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("expected 'option = value'");
        assertThatThrownBy(() -> GlimpseConfig.load(dir.resolve("missing.conf")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("missing.conf");
    }

    @Test
    void unknownOptionsAndSectionsAreWarningsNotErrors() throws IOException {
        Path file = write("api.conf", "[DEFAULT]", "delayed_delet = true", "bind_port = 9292", "delayed_delete = true",
                "delayed_delete = false", "[keystone_authtoken]", "auth_url = http://x", "[mystery]", "a = b",
                "[project_limits]", "image_count = 3");
        GlimpseConfig c = GlimpseConfig.load(file);
        assertThat(c.delayedDelete()).isFalse();
        assertThat(c.warnings()).hasSize(4)
                .anySatisfy(w -> assertThat(w).contains("[DEFAULT] delayed_delet: unknown option"))
                .anySatisfy(w -> assertThat(w).contains("[mystery]").contains("unknown section"))
                .anySatisfy(w -> assertThat(w).contains("[project_limits] image_count: unknown option"))
                .anySatisfy(w -> assertThat(w).contains("delayed_delete: set twice (lines 4 and 5)"));
    }

    @Test
    void builderChecksAndRoundTrips() {
        assertThatThrownBy(() -> GlimpseConfig.builder().scrubPoolSize(0)).hasMessageContaining("scrub_pool_size");
        assertThatThrownBy(() -> GlimpseConfig.builder().databaseConnection("sqlite:x")).hasMessageContaining("sqlite:x");
        assertThatThrownBy(() -> GlimpseConfig.builder().limitParamDefault(5).apiLimitMax(4).build())
                .hasMessageContaining("api_limit_max");
        GlimpseConfig c = GlimpseConfig.builder().delayedDelete(true).imageTagQuota(3)
                .addBackend(new StoreBackend("s", "file", null, 0, List.of(new StoreBackend.DataDirectory(Path.of("/d"), 0))))
                .defaultBackend("s").projectLimits("p", new ProjectLimits(1, 1, 1, 1)).build();
        GlimpseConfig copy = c.toBuilder().build();
        assertThat(copy.delayedDelete()).isTrue();
        assertThat(copy.imageTagQuota()).isEqualTo(3);
        assertThat(copy.enabledBackends()).isEqualTo(c.enabledBackends());
        assertThat(copy.limitsFor("p")).isEqualTo(new ProjectLimits(1, 1, 1, 1));
        assertThat(c.toBuilder().imageTagQuota(9).build().imageTagQuota()).isEqualTo(9);
        assertThat(c.imageTagQuota()).isEqualTo(3);
        assertThat(new ProjectLimits(-7, 0, -2, 5)).isEqualTo(new ProjectLimits(-1, 0, -1, 5));
    }
}
