package dev.glimpse.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.config.InvalidConfigException;
import dev.glimpse.image.config.StoreBackend;
import dev.glimpse.image.event.Event;
import dev.glimpse.image.event.EventType;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.InMemoryImageRepository;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.spi.ImageRepositoryProvider;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreProvider;
import dev.glimpse.image.store.MemoryImageStore;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The front door over in-memory parts: the {@code memory:} provider found by ServiceLoader, stores
 * from {@code enabled_backends} through providers registered in code, and the error paths. The
 * file-backed catalogue and real stores are tested in image-store-fs ({@code GlimpseFileTest}).
 */
class GlimpseTest {
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");

    /** Makes MemoryImageStores of type {@code file}, remembering each one's options. */
    private static final class RecordingStoreProvider implements ImageStoreProvider {
        final Map<String, Map<String, String>> options = new LinkedHashMap<>();
        final Map<String, MemoryImageStore> stores = new LinkedHashMap<>();

        @Override
        public String type() {
            return "file";
        }

        @Override
        public ImageStore create(String storeId, Map<String, String> opts) {
            options.put(storeId, opts);
            MemoryImageStore store = new MemoryImageStore(storeId);
            stores.put(storeId, store);
            return store;
        }
    }

    /** A repository that records being closed, to check what Glimpse closes and when. */
    private static final class ClosingRepositoryProvider implements ImageRepositoryProvider {
        final List<String> log;

        ClosingRepositoryProvider(List<String> log) {
            this.log = log;
        }

        @Override
        public Set<String> schemes() {
            // The configuration accepts memory:, file: and jdbc: only; this stands in for file:.
            return Set.of("file");
        }

        @Override
        public ImageRepository open(URI connection, GlimpseConfig config) {
            log.add("open " + connection);
            return closing(ImageRepository.class, new InMemoryImageRepository(), () -> log.add("close repository"));
        }
    }

    /** {@code delegate} seen as {@code type} and Closeable, running {@code onClose} when closed. */
    private static <T> T closing(Class<T> type, T delegate, Runnable onClose) {
        Object proxy = Proxy.newProxyInstance(GlimpseTest.class.getClassLoader(), new Class<?>[] {type, Closeable.class},
                (self, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        onClose.run();
                        return null;
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return type.cast(proxy);
    }

    private static GlimpseConfig.Builder twoBackends() {
        return GlimpseConfig.builder()
                .addBackend(new StoreBackend("fast", "file", "SSD", 100,
                        List.of(new StoreBackend.DataDirectory(Path.of("/ssd/images"), 0))))
                .addBackend(new StoreBackend("cheap", "file", null, 0,
                        List.of(new StoreBackend.DataDirectory(Path.of("/a"), 100),
                                new StoreBackend.DataDirectory(Path.of("/b"), 50))));
    }

    private static Image rawImage(ImageService images) {
        return images.create(ALICE, NewImage.builder().name("raw").diskFormat(DiskFormat.RAW)
                .containerFormat(ContainerFormat.BARE).build());
    }

    @Test
    void memoryConnectionWithSingleStoreLayout() throws IOException {
        RecordingStoreProvider stores = new RecordingStoreProvider();
        GlimpseConfig config = GlimpseConfig.builder().filesystemStoreDatadir(Path.of("/data/images")).build();
        try (Glimpse glimpse = Glimpse.builder().config(config).storeProvider(stores).build()) {
            assertThat(glimpse.stores().defaultStore().id()).isEqualTo(Glimpse.SINGLE_STORE_ID);
            assertThat(stores.options).containsOnlyKeys("file");
            assertThat(stores.options.get("file")).containsExactly(Map.entry("filesystem_store_datadir", "/data/images"));
            Image image = rawImage(glimpse.images());
            glimpse.images().upload(ALICE, image.id(), new ByteArrayInputStream(new byte[4096]));
            assertThat(glimpse.images().list(ALICE, ImageQuery.all()).images())
                    .extracting(Image::status).containsExactly(ImageStatus.ACTIVE);
            assertThat(stores.stores.get("file").imageCount()).isEqualTo(1);
        }
    }

    @Test
    void memoryCatalogueIsNewOnEveryOpen() throws IOException {
        RecordingStoreProvider stores = new RecordingStoreProvider();
        try (Glimpse glimpse = Glimpse.builder().storeProvider(stores).build()) {
            rawImage(glimpse.images());
        }
        try (Glimpse glimpse = Glimpse.builder().storeProvider(stores).build()) {
            assertThat(glimpse.images().list(ALICE, ImageQuery.all()).images()).isEmpty();
        }
    }

    @Test
    void uploadsGoToTheDefaultBackendUnlessTheStoreIsNamed() throws IOException {
        RecordingStoreProvider stores = new RecordingStoreProvider();
        GlimpseConfig config = twoBackends().defaultBackend("cheap").build();
        try (Glimpse glimpse = Glimpse.builder().config(config).storeProvider(stores).build()) {
            assertThat(glimpse.stores().defaultStore().id()).isEqualTo("cheap");
            assertThat(stores.options.get("fast")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "filesystem_store_datadir", "/ssd/images", "store_description", "SSD", "weight", "100"));
            assertThat(stores.options.get("cheap")).containsExactly(
                    Map.entry("filesystem_store_datadirs", "/a:100\n/b:50"));

            Image first = rawImage(glimpse.images());
            Image uploaded = glimpse.images().upload(ALICE, first.id(), new ByteArrayInputStream(new byte[512]));
            assertThat(uploaded.locations()).extracting(ImageLocation::storeId).containsExactly("cheap");

            Image second = rawImage(glimpse.images());
            Image placed = glimpse.images().upload(ALICE, second.id(), new ByteArrayInputStream(new byte[512]),
                    UploadOptions.builder().storeId("fast").build());
            assertThat(placed.locations()).extracting(ImageLocation::storeId).containsExactly("fast");
            assertThat(stores.stores.get("fast").imageCount()).isEqualTo(1);
            assertThat(stores.stores.get("cheap").imageCount()).isEqualTo(1);
        }
    }

    @Test
    void unknownSchemeNamesItAndTheProvidersFound() {
        GlimpseConfig config = GlimpseConfig.builder().databaseConnection("jdbc:postgresql://db/glance").build();
        assertThatThrownBy(() -> Glimpse.open(config))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'jdbc'")
                .hasMessageContaining("[memory]");
    }

    @Test
    void providersAreLookedUpInTheGivenClassLoader() throws IOException {
        // A loader that sees only the JDK finds no provider, not even memory: which image-core registers.
        try (java.net.URLClassLoader bare = new java.net.URLClassLoader(new java.net.URL[0], null)) {
            assertThatThrownBy(() -> Glimpse.builder().classLoader(bare).storeProvider(new RecordingStoreProvider())
                    .build())
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("'memory'").hasMessageContaining("schemes served: []");
        }
    }

    @Test
    void memoryConnectionTakesNoPath() throws IOException {
        GlimpseConfig config = GlimpseConfig.builder().databaseConnection("memory:").build();
        ImageRepositoryProvider memory = new dev.glimpse.image.internal.MemoryRepositoryProvider();
        assertThatThrownBy(() -> memory.open(URI.create("memory:somewhere"), config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory:somewhere");
        assertThat(memory.open(URI.create("memory:/"), config)).isNotNull();
    }

    @Test
    void unknownStoreTypeIsRefusedAndTheCatalogueClosed() {
        List<String> log = new ArrayList<>();
        GlimpseConfig config = GlimpseConfig.builder().databaseConnection("file:///unused")
                .addBackend(new StoreBackend("cloud", "s3", null, 0, List.of())).defaultBackend("cloud").build();
        ImageRepositoryProvider provider = new ClosingRepositoryProvider(log);
        assertThatThrownBy(() -> Glimpse.builder().config(config).repositoryProvider(provider).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("enabled_backends").hasMessageContaining("'s3'").hasMessageContaining("cloud");
        assertThat(log).containsExactly("open file:///unused", "close repository");
    }

    @Test
    void storesCreatedBeforeABadBackendAreClosed() {
        List<String> log = new CopyOnWriteArrayList<>();
        GlimpseConfig config = GlimpseConfig.builder()
                .addBackend(new StoreBackend("good", "file", null, 0,
                        List.of(new StoreBackend.DataDirectory(Path.of("/good"), 0))))
                .addBackend(new StoreBackend("cloud", "s3", null, 0, List.of()))
                .defaultBackend("good").build();
        assertThatThrownBy(() -> Glimpse.builder().config(config).storeProvider(closingStores(log)).build())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("'s3'");
        assertThat(log).containsExactly("close store good");
    }

    private static ImageStoreProvider closingStores(List<String> log) {
        return new ImageStoreProvider() {
            @Override
            public String type() {
                return "file";
            }

            @Override
            public ImageStore create(String storeId, Map<String, String> options) {
                return closing(ImageStore.class, new MemoryImageStore(storeId), () -> log.add("close store " + storeId));
            }
        };
    }

    @Test
    void closeClosesWhatItOpenedOnceAndInReverse() throws IOException {
        List<String> log = new CopyOnWriteArrayList<>();
        GlimpseConfig config = GlimpseConfig.builder().databaseConnection("file:///somewhere").build();
        ImageRepositoryProvider provider = new ClosingRepositoryProvider(log);
        ImageStoreProvider storeProvider = closingStores(log);
        Glimpse glimpse = Glimpse.builder().config(config).repositoryProvider(provider)
                .storeProvider(storeProvider).build();
        glimpse.close();
        glimpse.close();
        assertThat(log).containsExactly("open file:///somewhere", "close store file", "close repository");
    }

    @Test
    void listenersHearImageAndMetadefEvents() throws IOException {
        List<EventType> heard = new CopyOnWriteArrayList<>();
        try (Glimpse glimpse = Glimpse.builder().storeProvider(new RecordingStoreProvider())
                .eventListener((Event e) -> heard.add(e.type())).build()) {
            rawImage(glimpse.images());
            glimpse.metadefs().createNamespace(RequestContext.admin("admin-project", "admin"),
                    dev.glimpse.image.metadef.MetadefNamespace.builder("OS::Test").build());
        }
        assertThat(heard).contains(EventType.IMAGE_CREATE, EventType.METADEF_NAMESPACE_CREATE);
    }
}
