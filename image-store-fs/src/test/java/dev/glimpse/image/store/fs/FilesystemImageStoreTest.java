package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.StorageFullException;
import dev.glimpse.image.store.StoreLocation;
import dev.glimpse.image.store.StoredImage;
import dev.glimpse.image.store.http.HttpImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the filesystem store beyond the store contract. */
class FilesystemImageStoreTest {

    private static byte[] random(int n) {
        byte[] data = new byte[n];
        new Random(n).nextBytes(data);
        return data;
    }

    @Test
    void highestPriorityDirectoryWithRoomWinsThenMostFreeSpace() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Map<String, Long> free = new HashMap<>(Map.of("/low", 1_000_000L, "/high1", 500L, "/high2", 800L));
            FilesystemImageStore store = FilesystemImageStore.builder("fs")
                    .dataDirectory(fs.getPath("/low"), 1)
                    .dataDirectory(fs.getPath("/high1"), 100)
                    .dataDirectory(fs.getPath("/high2"), 100)
                    .spaceProbe(dir -> free.get(dir.toString()))
                    .build();
            assertThat(parentOf(store.write("a", new ByteArrayInputStream(new byte[100]), 100))).isEqualTo("/high2");
            // Neither high-priority directory has 900 bytes: the next priority takes it.
            assertThat(parentOf(store.write("b", new ByteArrayInputStream(new byte[900]), 900))).isEqualTo("/low");
            // Unknown size: the priority order alone decides.
            assertThat(parentOf(store.write("c", new ByteArrayInputStream(new byte[10]), ImageStore.UNKNOWN_SIZE)))
                    .isEqualTo("/high2");
            free.put("/high1", 5000L);
            assertThat(parentOf(store.write("d", new ByteArrayInputStream(new byte[10]), 10))).isEqualTo("/high1");
        }
    }

    private static String parentOf(StoredImage stored) {
        String path = stored.location().uri().getPath();
        return path.substring(0, path.lastIndexOf('/'));
    }

    @Test
    void declaredSizeThatFitsNowhereIsRefusedBeforeReading() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            FilesystemImageStore store = FilesystemImageStore.builder("fs")
                    .dataDirectory(fs.getPath("/a")).dataDirectory(fs.getPath("/b"))
                    .spaceProbe(dir -> 1000L).build();
            AtomicInteger reads = new AtomicInteger();
            InputStream counting = new InputStream() {
                @Override
                public int read() {
                    reads.incrementAndGet();
                    return -1;
                }
            };
            assertThatThrownBy(() -> store.write("x", counting, 1001))
                    .isInstanceOf(StorageFullException.class)
                    .hasMessageContaining("1001").hasMessageContaining("/a").hasMessageContaining("/b");
            assertThat(reads).hasValue(0);
        }
    }

    @Test
    void deviceFillingUpDuringWriteIsStorageFullAndLeavesNothing() throws Exception {
        Configuration small = Configuration.unix().toBuilder().setMaxSize(4 * 1024 * 1024).setBlockSize(8192).build();
        try (FileSystem fs = Jimfs.newFileSystem(small)) {
            FilesystemImageStore store = FilesystemImageStore.builder("fs").dataDirectory(fs.getPath("/images")).build();
            assertThatThrownBy(() -> store.write("big", new ByteArrayInputStream(random(6 * 1024 * 1024)),
                    ImageStore.UNKNOWN_SIZE))
                    .isInstanceOf(StorageFullException.class)
                    .hasMessageContaining("ran out of space");
            try (Stream<Path> files = Files.list(fs.getPath("/images"))) {
                assertThat(files).isEmpty();
            }
            // The space is free again: a smaller image fits.
            StoredImage stored = store.write("small", new ByteArrayInputStream(random(1024 * 1024)), 1024 * 1024);
            assertThat(store.size(stored.location())).isEqualTo(1024 * 1024);
        }
    }

    @Test
    void filePermissionsAreApplied(@TempDir Path root) throws Exception {
        FilesystemImageStore store = FilesystemImageStore.builder("fs").dataDirectory(root)
                .filePermissions(PosixFilePermissions.fromString("rw-r-----")).build();
        StoredImage stored = store.write("img", new ByteArrayInputStream(new byte[10]), 10);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(stored.location().uri()))))
                .isEqualTo("rw-r-----");
    }

    @Test
    void permissionsOnANonPosixFileSystemAreAConfigurationError() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.windows())) {
            assertThatThrownBy(() -> FilesystemImageStore.builder("fs").dataDirectory(fs.getPath("C:\\images"))
                    .filePermissions(PosixFilePermissions.fromString("rw-------")).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("POSIX");
        }
    }

    @Test
    void nestedRepeatedOrMissingDirectoriesAreConfigurationErrors() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            assertThatThrownBy(() -> FilesystemImageStore.builder("fs").build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one");
            assertThatThrownBy(() -> FilesystemImageStore.builder("fs").dataDirectory(fs.getPath("/a"))
                    .dataDirectory(fs.getPath("/a/b")).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside");
            assertThatThrownBy(() -> FilesystemImageStore.builder("fs").dataDirectory(fs.getPath("/a"))
                    .dataDirectory(fs.getPath("/a/")).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
        }
    }

    @Test
    void thinProvisioningKeepsContentAndLength(@TempDir Path root) throws Exception {
        FilesystemImageStore store = FilesystemImageStore.builder("fs").dataDirectory(root)
                .thinProvisioning(true).chunkSize(4096).build();
        byte[] data = new byte[10 * 4096];
        data[5000] = 7; // one non-zero chunk in the middle; the image ends in zeros
        StoredImage stored = store.write("thin", new ByteArrayInputStream(data), data.length);
        assertThat(store.size(stored.location())).isEqualTo(data.length);
        try (InputStream in = store.read(stored.location())) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        StoredImage allZero = store.write("zeros", new ByteArrayInputStream(new byte[8192]), 8192);
        try (InputStream in = store.read(allZero.location())) {
            assertThat(in.readAllBytes()).isEqualTo(new byte[8192]);
        }
    }

    @Test
    void fileLeftByACrashedWriteIsNeitherServedNorInTheWay(@TempDir Path root) throws Exception {
        FilesystemImageStore store = FilesystemImageStore.builder("fs").dataDirectory(root).build();
        Path orphan = Files.write(root.resolve(".img.0123456789abcdef.tmp"), new byte[] {1, 2, 3});
        assertThat(store.owns(orphan.toUri())).isFalse();
        byte[] data = random(5000);
        StoredImage stored = store.write("img", new ByteArrayInputStream(data), data.length);
        try (InputStream in = store.read(stored.location())) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(store.removeAbandonedTempFiles(java.time.Duration.ofHours(1))).isEqualTo(1);
        assertThat(orphan).doesNotExist();
        assertThat(Path.of(stored.location().uri())).exists();
    }

    @Test
    void providersAreFoundByServiceLoaderAndParseGlanceOptions(@TempDir Path root) throws Exception {
        ClassLoader loader = getClass().getClassLoader();
        ImageStoreRegistry registry = ImageStoreRegistry.builder()
                .load(loader, "fast", "file", Map.of(
                        "filesystem_store_datadirs", root.resolve("a") + ":200, " + root.resolve("b") + ":100",
                        "filesystem_store_file_perm", "0640",
                        "filesystem_thin_provisioning", "true"))
                .load(loader, "web", "http", Map.of("http_timeout", "5"))
                .defaultStore("fast")
                .build();
        FilesystemImageStore fast = (FilesystemImageStore) registry.defaultStore();
        assertThat(fast.dataDirectories()).containsExactly(root.resolve("a"), root.resolve("b"));
        StoredImage stored = fast.write("img", new ByteArrayInputStream(new byte[3]), 3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(stored.location().uri()))))
                .isEqualTo("rw-r-----");
        assertThat(registry.store("web")).get().isInstanceOf(HttpImageStore.class);
        assertThat(registry.storeFor(stored.location())).isSameAs(fast);

        assertThatThrownBy(() -> ImageStoreRegistry.builder().load(loader, "x", "file", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filesystem_store_datadir");
        assertThatThrownBy(() -> ImageStoreRegistry.builder().load(loader, "x", "file",
                Map.of("filesystem_store_datadir", root.toString(), "filesystem_store_datadirs", root.toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
        assertThatThrownBy(() -> ImageStoreRegistry.builder().load(loader, "x", "file",
                Map.of("filesystem_store_datadir", root.toString(), "filesystem_store_file_perm", "0999")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("octal");
        assertThatThrownBy(() -> ImageStoreRegistry.builder().load(loader, "x", "file",
                Map.of("filesystem_store_datadir", root.toString(), "bogus", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bogus");
    }

    @Test
    void locationUrisAreFileUrisOnTheDefaultFileSystem(@TempDir Path root) throws Exception {
        FilesystemImageStore store = FilesystemImageStore.builder("fs").dataDirectory(root).build();
        StoreLocation location = store.write("img", new ByteArrayInputStream(new byte[1]), 1).location();
        assertThat(location.uri().getScheme()).isEqualTo("file");
        assertThat(Path.of(location.uri())).isEqualTo(root.toAbsolutePath().resolve("img"));
        assertThat(Arrays.asList(store.dataDirectories())).hasSize(1);
    }

    @Test
    void readOfAFileThatShrankFailsInsteadOfEndingShort(@TempDir Path root) throws Exception {
        FilesystemImageStore store = FilesystemImageStore.builder("fs").dataDirectory(root).build();
        StoreLocation location = store.write("img", new ByteArrayInputStream(random(100_000)), 100_000).location();
        try (InputStream in = store.read(location)) {
            in.readNBytes(10);
            try (var channel = java.nio.channels.FileChannel.open(Path.of(location.uri()),
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(50_000);
            }
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("early");
        }
    }
}
