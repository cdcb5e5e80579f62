package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.Glimpse;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.UploadOptions;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.config.InvalidConfigException;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.metadef.MetadefNamespace;
import dev.glimpse.image.metadef.NamespaceQuery;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Glimpse} with the providers this module registers in {@code META-INF/services}: the
 * {@code file:} catalogue and {@code file}/{@code http} stores, found by ServiceLoader, on the real
 * disk (the catalogue's own behaviour on Jimfs is covered by the repository's contract tests).
 */
class GlimpseFileTest {
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");
    private static final RequestContext ADMIN = RequestContext.admin("admin-project", "admin");

    @TempDir
    Path dir;

    private static byte[] data(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 7);
        return bytes;
    }

    private static Image upload(Glimpse glimpse, String name, byte[] bytes, UploadOptions options) throws IOException {
        Image image = glimpse.images().create(ALICE, NewImage.builder().name(name).diskFormat(DiskFormat.RAW)
                .containerFormat(ContainerFormat.BARE).build());
        return glimpse.images().upload(ALICE, image.id(), new ByteArrayInputStream(bytes), options);
    }

    private static byte[] read(Glimpse glimpse, String id) throws IOException {
        try (ImageData data = glimpse.images().download(ALICE, id).orElseThrow();
                InputStream in = data.stream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void fileConnectionKeepsImagesDataAndMetadefsAcrossReopen() throws IOException {
        GlimpseConfig config = GlimpseConfig.builder()
                .databaseConnection(dir.resolve("catalogue").toUri().toString())
                .filesystemStoreDatadir(dir.resolve("images"))
                .build();
        String id;
        try (Glimpse glimpse = Glimpse.open(config)) {
            id = upload(glimpse, "kept", data(3000), UploadOptions.defaults()).id();
            glimpse.metadefs().createNamespace(ADMIN, MetadefNamespace.builder("OS::Kept").build());
            // The catalogue is locked while open: a second front door on it is refused.
            assertThatThrownBy(() -> Glimpse.open(config)).isInstanceOf(CatalogueLockedException.class);
        }
        assertThat(dir.resolve("images").resolve(id)).hasSize(3000);
        try (Glimpse glimpse = Glimpse.open(config)) {
            assertThat(glimpse.images().list(ALICE, ImageQuery.all()).images())
                    .extracting(Image::id, Image::status).containsExactly(org.assertj.core.groups.Tuple.tuple(id, ImageStatus.ACTIVE));
            assertThat(read(glimpse, id)).isEqualTo(data(3000));
            assertThat(glimpse.metadefs().listNamespaces(ADMIN, NamespaceQuery.all())).extracting(MetadefNamespace::namespace)
                    .contains("OS::Kept");
        }
    }

    @Test
    void iniFileEndToEndWithSeveralBackends() throws IOException {
        Path fast = dir.resolve("fast");
        Path cheapA = dir.resolve("cheap-a");
        Path cheapB = dir.resolve("cheap-b");
        Path ini = dir.resolve("glance-api.conf");
        Files.writeString(ini, String.join("\n",
                "[DEFAULT]",
                "enabled_backends = fast:file, cheap:file, web:http",
                "[glance_store]",
                "default_backend = cheap",
                "[fast]",
                "filesystem_store_datadir = " + fast,
                "store_description = SSD",
                "[cheap]",
                "filesystem_store_datadirs = " + cheapA + ":100, " + cheapB + ":50",
                "[database]",
                "connection = " + dir.resolve("db").toUri(),
                ""));
        String first;
        String second;
        try (Glimpse glimpse = Glimpse.open(GlimpseConfig.load(ini))) {
            assertThat(glimpse.stores().stores()).extracting(s -> s.id()).containsExactly("fast", "cheap", "web");
            Image inDefault = upload(glimpse, "default", data(1000), UploadOptions.defaults());
            first = inDefault.id();
            assertThat(inDefault.locations()).extracting(ImageLocation::storeId).containsExactly("cheap");
            Image inFast = upload(glimpse, "fast", data(2000), UploadOptions.builder().storeId("fast").build());
            second = inFast.id();
            assertThat(inFast.locations()).extracting(ImageLocation::storeId).containsExactly("fast");
        }
        // The highest-priority directory of the default store got the first; the named store the second.
        assertThat(cheapA.resolve(first)).hasSize(1000);
        assertThat(fast.resolve(second)).hasSize(2000);
        assertThat(fast.resolve(first)).doesNotExist();

        try (Glimpse glimpse = Glimpse.open(GlimpseConfig.load(ini))) {
            assertThat(glimpse.images().list(ALICE, ImageQuery.all()).images()).extracting(i -> i.name().orElseThrow())
                    .containsExactlyInAnyOrder("default", "fast");
            assertThat(read(glimpse, first)).isEqualTo(data(1000));
            assertThat(read(glimpse, second)).isEqualTo(data(2000));
        }
    }

    @Test
    void unknownStoreTypeInTheFileIsRefusedAndReleasesTheCatalogue() throws IOException {
        Path ini = dir.resolve("glance-api.conf");
        Files.writeString(ini, String.join("\n",
                "[DEFAULT]",
                "enabled_backends = cloud:s3",
                "[glance_store]",
                "default_backend = cloud",
                "[database]",
                "connection = " + dir.resolve("db").toUri(),
                ""));
        GlimpseConfig config = GlimpseConfig.load(ini);
        assertThatThrownBy(() -> Glimpse.open(config))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'s3'").hasMessageContaining("cloud")
                .hasMessageContaining("file").hasMessageContaining("http");
        // The catalogue opened before the stores failed was closed: its lock is free again.
        FileImageRepository.open(dir.resolve("db")).close();
    }

    @Test
    void unknownSchemeListsTheFileProviderToo() {
        GlimpseConfig config = GlimpseConfig.builder().databaseConnection("jdbc:postgresql://db/glance").build();
        assertThatThrownBy(() -> Glimpse.open(config))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'jdbc'").hasMessageContaining("[file, memory]");
    }

    @Test
    void aStoreThatCannotBeSetUpFailsTheOpenAndReleasesTheCatalogue() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        GlimpseConfig config = GlimpseConfig.builder()
                .databaseConnection(dir.resolve("db").toUri().toString())
                .filesystemStoreDatadir(notADirectory.resolve("images"))
                .build();
        assertThatThrownBy(() -> Glimpse.open(config)).isInstanceOf(IOException.class);
        FileImageRepository.open(dir.resolve("db")).close();
    }
}
