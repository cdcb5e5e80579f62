package dev.glimpse.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.InMemoryImageRepository;
import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.MemoryImageStore;
import dev.glimpse.image.store.StoreLocation;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upload, download, locations and data deletion through {@link ImageService}, on an in-memory store. */
class ImageDataTest {
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");
    private static final RequestContext BOB = RequestContext.member("bob-project", "bob");
    private static final RequestContext ADMIN = RequestContext.admin("admin-project", "root");

    private MemoryImageStore store;
    private MemoryImageStore other;
    private ImageService service;

    @BeforeEach
    void setUp() {
        store = new MemoryImageStore("mem");
        other = new MemoryImageStore("other");
        service = ImageService.builder().repository(new InMemoryImageRepository())
                .stores(ImageStoreRegistry.builder().store(store).store(other).build())
                .imageSizeCap(1024 * 1024)
                .build();
    }

    private static byte[] data(int n) {
        byte[] data = new byte[n];
        new Random(42).nextBytes(data);
        data[0] = 0x11; // no format's magic
        return data;
    }

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    private Image queued(DiskFormat disk, ContainerFormat container) {
        return service.create(ALICE, NewImage.builder().diskFormat(disk).containerFormat(container).build());
    }

    private byte[] readAll(RequestContext ctx, String id) throws IOException {
        try (ImageData data = service.download(ctx, id).orElseThrow()) {
            return data.stream().readAllBytes();
        }
    }

    private void assertQueuedAndEmpty(String id) {
        Image image = service.get(ALICE, id);
        assertThat(image.status()).isEqualTo(ImageStatus.QUEUED);
        assertThat(image.size()).isEmpty();
        assertThat(image.virtualSize()).isEmpty();
        assertThat(image.checksum()).isEmpty();
        assertThat(image.locations()).isEmpty();
        assertThat(store.imageCount()).isZero();
    }

    @Test
    void uploadRecordsHashesSizesAndLocationAndActivates() throws Exception {
        byte[] bytes = data(300 * 1024);
        Image image = queued(DiskFormat.RAW, ContainerFormat.BARE);
        Image active = service.upload(ALICE, image.id(), new ByteArrayInputStream(bytes));
        assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(active.size()).contains(300 * 1024L);
        assertThat(active.virtualSize()).contains(300 * 1024L);
        assertThat(active.checksum()).contains(hex("MD5", bytes));
        assertThat(active.osHashAlgo()).contains("sha512");
        assertThat(active.osHashValue()).contains(hex("SHA-512", bytes));
        assertThat(active.locations()).singleElement().satisfies(l -> {
            assertThat(l.storeId()).isEqualTo("mem");
            assertThat(l.url()).isEqualTo("memory://mem/" + image.id());
        });
        assertThat(service.get(ALICE, image.id())).isEqualTo(active);
        assertThat(readAll(ALICE, image.id())).isEqualTo(bytes);
    }

    @Test
    void hashingAlgorithmAndStoreAreChosenByConfigurationAndOptions() throws Exception {
        service = ImageService.builder().stores(ImageStoreRegistry.builder().store(store).store(other).build())
                .hashingAlgorithm("sha256").build();
        byte[] bytes = data(1000);
        Image image = queued(DiskFormat.RAW, ContainerFormat.BARE);
        Image active = service.upload(ALICE, image.id(), new ByteArrayInputStream(bytes),
                UploadOptions.builder().storeId("other").declaredSize(1000).build());
        assertThat(active.osHashAlgo()).contains("sha256");
        assertThat(active.osHashValue()).contains(hex("SHA-256", bytes));
        assertThat(active.locations().get(0).storeId()).isEqualTo("other");
        assertThat(other.imageCount()).isEqualTo(1);
        assertThatThrownBy(() -> ImageService.builder().hashingAlgorithm("crc32"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void containersOtherThanBareAreNotInspected() throws Exception {
        Image image = queued(DiskFormat.QCOW2, ContainerFormat.OVF);
        Image active = service.upload(ALICE, image.id(), new ByteArrayInputStream(data(5000)));
        assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(active.virtualSize()).isEmpty();
    }

    @Test
    void formatMismatchLeavesNoBytesAndTheImageQueued() {
        Image image = queued(DiskFormat.QCOW2, ContainerFormat.BARE);
        assertThatThrownBy(() -> service.upload(ALICE, image.id(), new ByteArrayInputStream(data(5000))))
                .isInstanceOf(InvalidImageDataException.class)
                .hasMessageContaining("qcow2").hasMessageContaining("raw");
        assertQueuedAndEmpty(image.id());
    }

    @Test
    void sizeCapLeavesNoBytesAndTheImageQueued() {
        Image image = queued(DiskFormat.RAW, ContainerFormat.BARE);
        assertThatThrownBy(() -> service.upload(ALICE, image.id(), new ByteArrayInputStream(data(2 * 1024 * 1024))))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("image_size_cap");
        assertQueuedAndEmpty(image.id());
        // A declared size over the cap is refused before the image changes at all.
        Image before = service.get(ALICE, image.id());
        assertThatThrownBy(() -> service.upload(ALICE, image.id(), InputStream.nullInputStream(),
                UploadOptions.builder().declaredSize(2 * 1024 * 1024).build()))
                .isInstanceOf(QuotaExceededException.class);
        assertThat(service.get(ALICE, image.id())).isEqualTo(before);
    }

    @Test
    void declaredSizeMismatchLeavesNoBytesAndTheImageQueued() {
        Image image = queued(DiskFormat.RAW, ContainerFormat.BARE);
        assertThatThrownBy(() -> service.upload(ALICE, image.id(), new ByteArrayInputStream(data(1000)),
                UploadOptions.builder().declaredSize(999).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("declared");
        assertQueuedAndEmpty(image.id());
        assertThatThrownBy(() -> service.upload(ALICE, image.id(), new ByteArrayInputStream(data(1000)),
                UploadOptions.builder().declaredSize(1001).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("declared");
        assertQueuedAndEmpty(image.id());
    }

    @Test
    void brokenSourceLeavesNoBytesAndTheImageQueued() {
        Image image = queued(DiskFormat.RAW, ContainerFormat.BARE);
        InputStream broken = new FilterInputStream(new ByteArrayInputStream(data(500_000))) {
            private int reads;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++reads > 3) {
                    throw new IOException("connection reset");
                }
                return super.read(b, off, Math.min(len, 50_000));
            }
        };
        assertThatThrownBy(() -> service.upload(ALICE, image.id(), broken))
                .isInstanceOf(IOException.class).hasMessage("connection reset");
        assertQueuedAndEmpty(image.id());
        // The image can be uploaded again.
        assertThat(uploadQuietly(image.id(), data(1000)).status()).isEqualTo(ImageStatus.ACTIVE);
    }

    private Image uploadQuietly(String id, byte[] bytes) {
        try {
            return service.upload(ALICE, id, new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void uploadNeedsAQueuedImageWithFormatsAndAnOwner() throws Exception {
        Image noFormats = service.create(ALICE, NewImage.builder().build());
        assertThatThrownBy(() -> service.upload(ALICE, noFormats.id(), new ByteArrayInputStream(data(10))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("disk_format");
        assertThat(service.get(ALICE, noFormats.id()).status()).isEqualTo(ImageStatus.QUEUED);

        Image image = queued(DiskFormat.RAW, ContainerFormat.BARE);
        assertThatThrownBy(() -> service.upload(BOB, image.id(), new ByteArrayInputStream(data(10))))
                .isInstanceOf(NotFoundException.class);
        service.update(ADMIN, image.id(), ImagePatch.builder().replace("visibility", "public").build());
        assertThatThrownBy(() -> service.upload(BOB, image.id(), new ByteArrayInputStream(data(10))))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.upload(ALICE, image.id(), new ByteArrayInputStream(data(10)),
                UploadOptions.builder().storeId("nope").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("nope");
        assertThat(service.get(ALICE, image.id()).status()).isEqualTo(ImageStatus.QUEUED);
        service.upload(ALICE, image.id(), new ByteArrayInputStream(data(10)));
        assertThatThrownBy(() -> service.upload(ALICE, image.id(), new ByteArrayInputStream(data(10))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("active");
        assertThat(store.imageCount()).isEqualTo(1);
    }

    @Test
    void racingUploadsToOneImageStoreExactlyOne() throws Exception {
        Image image = queued(DiskFormat.RAW, ContainerFormat.BARE);
        int racers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Image>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return service.upload(ALICE, image.id(), new ByteArrayInputStream(data(200_000)));
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Image> future : futures) {
                try {
                    assertThat(future.get(30, TimeUnit.SECONDS).status()).isEqualTo(ImageStatus.ACTIVE);
                    won++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ConflictException.class);
                }
            }
            assertThat(won).isEqualTo(1);
            assertThat(store.imageCount()).isEqualTo(1);
            assertThat(readAll(ALICE, image.id())).isEqualTo(data(200_000));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void corruptStoredDataFailsTheDownloadInsteadOfPassingForTheImage() throws Exception {
        byte[] bytes = data(100_000);
        Image image = service.upload(ALICE, queued(DiskFormat.RAW, ContainerFormat.BARE).id(),
                new ByteArrayInputStream(bytes));
        StoreLocation location = new StoreLocation("mem", URI.create(image.locations().get(0).url()));
        byte[] corrupt = bytes.clone();
        corrupt[77_777] ^= 1;
        store.corrupt(location, corrupt);
        try (ImageData data = service.download(ALICE, image.id()).orElseThrow()) {
            assertThat(data.isVerified()).isTrue();
            assertThatThrownBy(() -> data.stream().readAllBytes())
                    .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("sha512");
        }
        store.corrupt(location, java.util.Arrays.copyOf(bytes, 99_999));
        try (ImageData data = service.download(ALICE, image.id()).orElseThrow()) {
            assertThatThrownBy(() -> data.stream().readAllBytes())
                    .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("99999");
        }
    }

    @Test
    void rangesReturnTheirBytes() throws Exception {
        byte[] bytes = data(100_000);
        Image image = service.upload(ALICE, queued(DiskFormat.RAW, ContainerFormat.BARE).id(),
                new ByteArrayInputStream(bytes));
        try (ImageData data = service.download(ALICE, image.id(), ByteRange.of(1000, 500)).orElseThrow()) {
            assertThat(data.isRange()).isTrue();
            assertThat(data.offset()).isEqualTo(1000);
            assertThat(data.length()).isEqualTo(500);
            assertThat(data.imageSize()).isEqualTo(100_000);
            assertThat(data.checksum()).isEqualTo(image.checksum());
            assertThat(data.stream().readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 1500));
        }
        try (ImageData data = service.download(ALICE, image.id(), ByteRange.from(99_990)).orElseThrow()) {
            assertThat(data.stream().readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 99_990, 100_000));
        }
        assertThatThrownBy(() -> service.download(ALICE, image.id(), ByteRange.from(100_000)))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void deactivatedImagesDownloadOnlyForAdminsAndQueuedOnesHaveNoData() throws Exception {
        Image queued = queued(DiskFormat.RAW, ContainerFormat.BARE);
        assertThat(service.download(ALICE, queued.id())).isEmpty();
        Image image = service.upload(ALICE, queued.id(), new ByteArrayInputStream(data(1000)));
        service.deactivate(ALICE, image.id());
        assertThatThrownBy(() -> service.download(ALICE, image.id())).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("deactivated");
        assertThat(readAll(ADMIN, image.id())).isEqualTo(data(1000));
    }

    @Test
    void deleteRemovesTheData() throws Exception {
        Image image = service.upload(ALICE, queued(DiskFormat.RAW, ContainerFormat.BARE).id(),
                new ByteArrayInputStream(data(1000)));
        assertThat(store.imageCount()).isEqualTo(1);
        service.delete(ALICE, image.id());
        assertThat(store.imageCount()).isZero();
    }

    @Test
    void locationsAreCheckedAndActivateAQueuedImage() throws Exception {
        // Data already in the "other" store, as if it lived at a URL the catalogue did not write.
        StoreLocation existing = other.write("external", new ByteArrayInputStream(data(4321)), 4321).location();
        Image image = queued(DiskFormat.RAW, ContainerFormat.BARE);
        for (String restricted : List.of("file:///etc/passwd", "filesystem:///x", "swift+config://ref/c/o")) {
            assertThatThrownBy(() -> service.addLocation(ALICE, image.id(), restricted, Map.of()))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("may not be added");
        }
        assertThatThrownBy(() -> service.addLocation(ALICE, image.id(), "s3://bucket/key", Map.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no configured store");
        assertThatThrownBy(() -> service.addLocation(ALICE, image.id(), "memory://other/missing", Map.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no image data");
        assertThatThrownBy(() -> service.addLocation(ALICE, image.id(), "not a uri", Map.of()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(service.get(ALICE, image.id()).status()).isEqualTo(ImageStatus.QUEUED);

        Image active = service.addLocation(ALICE, image.id(), existing.uri().toString(), Map.of("k", "v"));
        assertThat(active.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(active.size()).contains(4321L);
        assertThat(active.locations()).singleElement().satisfies(l -> {
            assertThat(l.storeId()).isEqualTo("other");
            assertThat(l.metadata()).containsEntry("k", "v");
        });
        assertThat(readAll(ALICE, image.id())).isEqualTo(data(4321));
        assertThatThrownBy(() -> service.addLocation(ALICE, image.id(), existing.uri().toString(), Map.of("k", "v")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already has");
    }

    @Test
    void locationQuotaAndStatusAreEnforced() throws Exception {
        service = ImageService.builder().stores(ImageStoreRegistry.builder().store(store).store(other).build())
                .imageLocationQuota(2).build();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            urls.add(other.write("ext" + i, new ByteArrayInputStream(data(10)), 10).location().uri().toString());
        }
        Image image = queued(DiskFormat.RAW, ContainerFormat.BARE);
        service.addLocation(ALICE, image.id(), urls.get(0), Map.of());
        service.addLocation(ALICE, image.id(), urls.get(1), Map.of());
        assertThatThrownBy(() -> service.addLocation(ALICE, image.id(), urls.get(2), Map.of()))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("image_location_quota");
        service.deactivate(ALICE, image.id());
        assertThatThrownBy(() -> service.addLocation(ALICE, image.id(), urls.get(2), Map.of()))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void catalogueWithoutStoresRefusesUploadsClearly() {
        ImageService bare = ImageService.builder().build();
        Image image = bare.create(ALICE, NewImage.builder().diskFormat(DiskFormat.RAW)
                .containerFormat(ContainerFormat.BARE).build());
        assertThatThrownBy(() -> bare.upload(ALICE, image.id(), InputStream.nullInputStream()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stores(");
        assertThat(bare.get(ALICE, image.id()).status()).isEqualTo(ImageStatus.QUEUED);
    }

    /** Keeps ImageStore referenced for readers of this test: the service only ever sees the SPI. */
    @SuppressWarnings("unused")
    private static ImageStore asStore(MemoryImageStore s) {
        return s;
    }
}
