package dev.glimpse.image.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreRegistryTest {

    /** A provider registered through META-INF/services in a class loader made by the test. */
    public static final class MemoryProvider implements ImageStoreProvider {
        @Override
        public String type() {
            return "memory";
        }

        @Override
        public ImageStore create(String storeId, Map<String, String> options) {
            if (!options.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + options.keySet());
            }
            return new MemoryImageStore(storeId);
        }
    }

    @Test
    void firstStoreIsTheDefaultUnlessNamed() {
        ImageStore a = new MemoryImageStore("a");
        ImageStore b = new MemoryImageStore("b");
        assertThat(ImageStoreRegistry.builder().store(a).store(b).build().defaultStore()).isSameAs(a);
        assertThat(ImageStoreRegistry.builder().store(a).store(b).defaultStore("b").build().defaultStore()).isSameAs(b);
        assertThat(ImageStoreRegistry.builder().store(a).store(b).build().stores()).containsExactly(a, b);
    }

    @Test
    void unknownDefaultDuplicateAndReservedIdsAreRefused() {
        assertThatThrownBy(() -> ImageStoreRegistry.builder().store(new MemoryImageStore("a")).defaultStore("zz").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("zz");
        assertThatThrownBy(() -> ImageStoreRegistry.builder().store(new MemoryImageStore("a")).store(new MemoryImageStore("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> ImageStoreRegistry.builder().store(new MemoryImageStore("os_glance_staging_store")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> ImageStoreRegistry.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void locationsResolveByStoreIdAndForeignOnesAreRefused() throws Exception {
        MemoryImageStore a = new MemoryImageStore("a");
        MemoryImageStore b = new MemoryImageStore("b");
        ImageStoreRegistry registry = ImageStoreRegistry.builder().store(a).store(b).build();
        StoreLocation inB = b.write("img", new java.io.ByteArrayInputStream(new byte[3]), 3).location();
        assertThat(registry.storeFor(inB)).isSameAs(b);
        assertThatThrownBy(() -> registry.storeFor(new StoreLocation("a", inB.uri())))
                .isInstanceOf(InvalidLocationException.class).hasMessageContaining("does not own");
        assertThatThrownBy(() -> registry.storeFor(new StoreLocation("c", inB.uri())))
                .isInstanceOf(InvalidLocationException.class).hasMessageContaining("unknown store 'c'");
        assertThat(registry.locate(URI.create("memory://b/x"))).isEqualTo(new StoreLocation("b", URI.create("memory://b/x")));
        assertThatThrownBy(() -> registry.locate(URI.create("file:///etc/passwd")))
                .isInstanceOf(InvalidLocationException.class).hasMessageContaining("no store owns");
    }

    @Test
    void providersAreFoundThroughTheGivenClassLoader(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ImageStoreProvider.class.getName()), MemoryProvider.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            ImageStoreRegistry registry = ImageStoreRegistry.builder().load(loader, "m1", "memory", Map.of()).build();
            assertThat(registry.defaultStore().id()).isEqualTo("m1");
        }
        // The test's own class loader has no such service entry: the explicit loader is what found it.
        assertThatThrownBy(() -> ImageStoreRegistry.builder().load(getClass().getClassLoader(), "m1", "memory", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no store provider of type 'memory'");
    }

    @Test
    void providersRegisteredInCodeAreUsedAndSeeTheirOptions() throws Exception {
        ImageStoreRegistry.Builder builder = ImageStoreRegistry.builder().provider(new MemoryProvider());
        assertThatThrownBy(() -> builder.load(getClass().getClassLoader(), "m", "memory", Map.of("bogus", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bogus");
        assertThat(builder.load(getClass().getClassLoader(), "m", "memory", Map.of()).build().store("m")).isPresent();
    }

    @Test
    void byteRangesResolveLikeHttp() throws Exception {
        assertThat(ByteRange.of(10, 5).resolve(100)).isEqualTo(5);
        assertThat(ByteRange.of(98, 5).resolve(100)).isEqualTo(2);
        assertThat(ByteRange.from(40).resolve(100)).isEqualTo(60);
        assertThatThrownBy(() -> ByteRange.from(100).resolve(100)).isInstanceOf(java.io.EOFException.class);
        assertThatThrownBy(() -> ByteRange.of(1, 0).resolve(100)).isInstanceOf(java.io.EOFException.class);
        assertThatThrownBy(() -> ByteRange.of(-1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteRange.of(0, -3)).isInstanceOf(IllegalArgumentException.class);
    }
}
