package dev.glimpse.image.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.testing.TestImages;
import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.fs.FilesystemImageStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Glance's locations API over the http store, against a real server on loopback. */
class HttpLocationIntegrationTest {
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");

    @TempDir
    Path root;

    private TestHttpServer server;
    private ImageService service;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestHttpServer();
        FilesystemImageStore local = FilesystemImageStore.builder("local").dataDirectory(root).build();
        service = ImageService.builder()
                .stores(ImageStoreRegistry.builder().store(local).store(HttpImageStore.create("web")).build())
                .build();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void imageServedOverHttpBecomesActiveAndDownloads() throws Exception {
        byte[] qcow2 = TestImages.qcow2(1 << 30);
        server.files.put("cirros.qcow2", qcow2);
        Image image = service.create(ALICE, NewImage.builder().diskFormat(DiskFormat.QCOW2)
                .containerFormat(ContainerFormat.BARE).build());
        String url = server.uri("/images/cirros.qcow2").toString();
        Image active = service.addLocation(ALICE, image.id(), url, Map.of());
        assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(active.size()).contains((long) qcow2.length);
        assertThat(active.locations()).singleElement().satisfies(l -> assertThat(l.storeId()).isEqualTo("web"));
        try (ImageData data = service.download(ALICE, image.id()).orElseThrow()) {
            assertThat(data.stream().readAllBytes()).isEqualTo(qcow2);
        }
        try (ImageData data = service.download(ALICE, image.id(), ByteRange.of(100, 20)).orElseThrow()) {
            assertThat(data.stream().readAllBytes()).isEqualTo(Arrays.copyOfRange(qcow2, 100, 120));
        }
        // Deleting the image leaves the remote data alone: the http store does not own it.
        service.delete(ALICE, image.id());
        assertThat(server.files).containsKey("cirros.qcow2");
    }

    @Test
    void missingRemoteDataAndLocalFilesAreRefused() {
        Image image = service.create(ALICE, NewImage.builder().diskFormat(DiskFormat.RAW)
                .containerFormat(ContainerFormat.BARE).build());
        assertThatThrownBy(() -> service.addLocation(ALICE, image.id(), server.uri("/images/nothing").toString(),
                Map.of())).isInstanceOf(InvalidRequestException.class).hasMessageContaining("no image data");
        assertThatThrownBy(() -> service.addLocation(ALICE, image.id(), root.resolve("x").toUri().toString(), Map.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("file");
        assertThat(service.get(ALICE, image.id()).status()).isEqualTo(ImageStatus.QUEUED);
        assertThatThrownBy(() -> service.upload(ALICE, image.id(), new ByteArrayInputStream(new byte[10]),
                dev.glimpse.image.UploadOptions.builder().storeId("web").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("read-only");
    }
}
