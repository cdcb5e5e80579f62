package dev.glimpse.image;

import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.config.InvalidConfigException;
import dev.glimpse.image.config.StoreBackend;
import dev.glimpse.image.metadef.MetadefService;
import dev.glimpse.image.policy.Policy;
import dev.glimpse.image.spi.EventListener;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.spi.ImageRepositoryProvider;
import dev.glimpse.image.spi.MetadefRepository;
import dev.glimpse.image.store.ImageStoreProvider;
import dev.glimpse.image.store.ImageStoreRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The front door: a running catalogue built from a {@link GlimpseConfig}, and closed as one.
 *
 * <pre>{@code
 * GlimpseConfig config = GlimpseConfig.load(Path.of("/etc/glimpse/glance-api.conf"));
 * try (Glimpse glimpse = Glimpse.open(config)) {
 *     ImageService images = glimpse.images();
 *     Image image = images.create(ctx, NewImage.builder().name("cirros")
 *             .diskFormat(DiskFormat.QCOW2).containerFormat(ContainerFormat.BARE).build());
 *     images.upload(ctx, image.id(), in);
 * }
 * }</pre>
 *
 * <p>What it opens, in this order:
 * <ol>
 * <li>the catalogue named by {@code [database] connection}, through the
 *     {@link ImageRepositoryProvider} serving its scheme ({@code memory:} in image-core,
 *     {@code file:///dir} in image-store-fs);
 * <li>the stores: one per {@code enabled_backends} entry ({@code id:type}, options from its own
 *     section), uploads going to {@code default_backend}; without {@code enabled_backends}, Glance's
 *     single-store layout: one {@code file} store with id {@value #SINGLE_STORE_ID} on
 *     {@code [glance_store] filesystem_store_datadir(s)} (Glance's default is
 *     {@code /var/lib/glance/images}: set it, or opening fails where that cannot be created);
 *     each through the {@link ImageStoreProvider} of its type;
 * <li>the {@link Policy}: {@code [oslo_policy] policy_file} over Glance's defaults;
 * <li>the {@link MetadefService}, on the definitions the catalogue's provider keeps beside it
 *     ({@code file:} keeps them in the catalogue directory), else in memory;
 * <li>the governed {@link ImageService}, checking extra properties against those definitions;
 * <li>the {@link Scrubber} ({@code scrub_time}, {@code scrub_pool_size}), not started: call
 *     {@link Scrubber#start()} to run it every {@code wakeup_time}, or {@link Scrubber#scrub()}.
 * </ol>
 * Providers are looked up with {@link ServiceLoader} in one explicit class loader (default: the
 * one that loaded Glimpse), so that containers with several class loaders find the right ones.
 * If anything fails, what was already opened is closed before the exception propagates.
 *
 * <p>Thread-safe: the services are. {@link #close()} closes what this object opened, newest first
 * (scrubber, metadefs, stores, catalogue), releasing e.g. the file catalogue's lock.
 */
public final class Glimpse implements Closeable {
    /** The store id of the single-store layout (no {@code enabled_backends}), as in Glance. */
    public static final String SINGLE_STORE_ID = "file";

    private final GlimpseConfig config;
    private final ImageService images;
    private final MetadefService metadefs;
    private final Scrubber scrubber;
    private final ImageStoreRegistry stores;
    private final ImageRepository repository;
    private final Deque<AutoCloseable> opened;
    private boolean closed;

    private Glimpse(GlimpseConfig config, ImageService images, MetadefService metadefs, Scrubber scrubber,
            ImageStoreRegistry stores, ImageRepository repository, Deque<AutoCloseable> opened) {
        this.config = config;
        this.repository = repository;
        this.images = images;
        this.metadefs = metadefs;
        this.scrubber = scrubber;
        this.stores = stores;
        this.opened = opened;
    }

    /**
     * Opens everything {@code config} describes, with providers from Glimpse's own class loader.
     *
     * @throws InvalidConfigException if no provider serves the connection's scheme or a backend's type
     * @throws IllegalArgumentException if a provider refuses its options
     * @throws IOException if the catalogue or a store cannot be opened
     */
    public static Glimpse open(GlimpseConfig config) throws IOException {
        return builder().config(config).build();
    }

    /** Returns a builder; its defaults are {@link GlimpseConfig#defaults()} and Glimpse's class loader. */
    public static Builder builder() {
        return new Builder();
    }

    /** The image catalogue (governed: policy, quotas, delayed delete, events). */
    public ImageService images() {
        return images;
    }

    /** The metadata definitions. */
    public MetadefService metadefs() {
        return metadefs;
    }

    /** The scrubber of images pending delete; not started by Glimpse. */
    public Scrubber scrubber() {
        return scrubber;
    }

    /** The data stores, by id, with the default one. */
    public ImageStoreRegistry stores() {
        return stores;
    }

    /**
     * The catalogue persistence opened for {@code [database] connection}, for maintenance that
     * works below the service (crash recovery of a file catalogue, backups). Every change to
     * images goes through {@link #images()}, which keeps the rules; writing here bypasses them.
     */
    public ImageRepository repository() {
        return repository;
    }

    /** The configuration this catalogue runs with. */
    public GlimpseConfig config() {
        return config;
    }

    /**
     * Closes what this object opened, newest first, trying all and reporting the first failure.
     * Idempotent. Repositories or stores handed in through the builder are the caller's to close.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(opened, null);
    }

    private static void closeAll(Deque<AutoCloseable> resources, @Nullable Throwable primary) throws IOException {
        IOException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (failure == null) {
                    failure = e instanceof IOException io ? io : new IOException("cannot close " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Configures and opens a {@link Glimpse}. Not thread-safe. */
    public static final class Builder {
        private GlimpseConfig config = GlimpseConfig.defaults();
        private ClassLoader classLoader = Glimpse.class.getClassLoader();
        private final List<EventListener> listeners = new ArrayList<>();
        private final Map<String, ImageRepositoryProvider> repositoryProviders = new LinkedHashMap<>();
        private final List<ImageStoreProvider> storeProviders = new ArrayList<>();
        private @Nullable MetadefRepository metadefRepository;

        private Builder() {}

        /** Sets the configuration (default: {@link GlimpseConfig#defaults()}). */
        public Builder config(GlimpseConfig value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** Sets the class loader providers are looked up in (default: the one that loaded Glimpse). */
        public Builder classLoader(ClassLoader value) {
            this.classLoader = Objects.requireNonNull(value, "classLoader");
            return this;
        }

        /** Adds a listener for image, member and metadata definition events. */
        public Builder eventListener(EventListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Registers a catalogue provider in code; it takes precedence over one found by
         * {@link ServiceLoader} for the same scheme.
         */
        public Builder repositoryProvider(ImageRepositoryProvider provider) {
            Objects.requireNonNull(provider, "provider");
            for (String scheme : provider.schemes()) {
                repositoryProviders.put(scheme.toLowerCase(Locale.ROOT), provider);
            }
            return this;
        }

        /**
         * Registers a store provider in code; it takes precedence over one found by
         * {@link ServiceLoader} for the same type.
         */
        public Builder storeProvider(ImageStoreProvider provider) {
            this.storeProviders.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Keeps metadata definitions in {@code repository} instead of where the catalogue's provider
         * keeps them. The caller keeps ownership: {@link Glimpse#close()} does not close it.
         */
        public Builder metadefRepository(MetadefRepository repository) {
            this.metadefRepository = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /**
         * Opens everything; see {@link Glimpse} for the order. On failure, what was opened is closed.
         *
         * @throws InvalidConfigException if no provider serves the connection's scheme or a
         *     backend's type
         * @throws IllegalArgumentException if a provider refuses its options
         * @throws IOException if the catalogue or a store cannot be opened
         */
        public Glimpse build() throws IOException {
            Deque<AutoCloseable> opened = new ArrayDeque<>();
            try {
                URI connection = connectionUri(config.databaseConnection());
                ImageRepositoryProvider provider = repositoryProvider(connection);
                ImageRepository repository = provider.open(connection, config);
                track(opened, repository);
                ImageStoreRegistry stores = stores();
                opened.push(stores);
                Policy policy = config.policyFile().map(Policy::load).orElseGet(Policy::defaults);
                MetadefRepository metadefRepo = metadefRepository;
                if (metadefRepo == null) {
                    Optional<MetadefRepository> kept = provider.openMetadefs(connection, config);
                    if (kept.isPresent()) {
                        metadefRepo = kept.get();
                        track(opened, metadefRepo);
                    }
                }
                MetadefService.Builder metadefs = MetadefService.builder().config(config).policy(policy);
                if (metadefRepo != null) {
                    metadefs.repository(metadefRepo);
                }
                listeners.forEach(metadefs::eventListener);
                MetadefService metadefService = metadefs.build();
                ImageService.Builder images = ImageService.builder()
                        .config(config)
                        .policy(policy)
                        .repository(repository)
                        .stores(stores)
                        .metadefValidation(metadefService);
                listeners.forEach(images::eventListener);
                ImageService imageService = images.build();
                Scrubber scrubber = Scrubber.builder().repository(repository).stores(stores).config(config).build();
                opened.push(scrubber);
                return new Glimpse(config, imageService, metadefService, scrubber, stores, repository, opened);
            } catch (IOException | RuntimeException | Error e) {
                closeAll(opened, e);
                throw e;
            }
        }

        private static void track(Deque<AutoCloseable> opened, Object resource) {
            if (resource instanceof AutoCloseable closeable) {
                opened.push(closeable);
            }
        }

        private static URI connectionUri(String connection) {
            // java.net.URI cannot parse a bare scheme such as "memory:", so give it an empty path.
            String text = connection.endsWith(":") && connection.indexOf(':') == connection.length() - 1
                    ? connection + "/" : connection;
            try {
                return new URI(text);
            } catch (java.net.URISyntaxException e) {
                throw new InvalidConfigException(null, "database", "connection",
                        "'" + connection + "' is not a URI: " + e.getMessage());
            }
        }

        private ImageRepositoryProvider repositoryProvider(URI connection) {
            String scheme = connection.getScheme() == null ? "" : connection.getScheme().toLowerCase(Locale.ROOT);
            ImageRepositoryProvider provider = repositoryProviders.get(scheme);
            if (provider != null) {
                return provider;
            }
            TreeSet<String> found = new TreeSet<>(repositoryProviders.keySet());
            for (ImageRepositoryProvider candidate : ServiceLoader.load(ImageRepositoryProvider.class, classLoader)) {
                for (String served : candidate.schemes()) {
                    String s = served.toLowerCase(Locale.ROOT);
                    found.add(s);
                    if (s.equals(scheme) && provider == null) {
                        provider = candidate;
                    }
                }
            }
            if (provider == null) {
                throw new InvalidConfigException(null, "database", "connection", "no catalogue provider serves scheme '"
                        + scheme + "' (connection " + connection + "); schemes served: " + found
                        + " (is the module providing it, e.g. image-store-fs for file:, on the class path?)");
            }
            return provider;
        }

        private ImageStoreRegistry stores() throws IOException {
            ImageStoreRegistry.Builder registry = ImageStoreRegistry.builder();
            storeProviders.forEach(registry::provider);
            Map<String, StoreBackend> backends = config.enabledBackends();
            List<StoreBackend> all = backends.isEmpty()
                    ? List.of(new StoreBackend(SINGLE_STORE_ID, "file", null, 0, singleStoreDirectories()))
                    : List.copyOf(backends.values());
            // GlimpseConfig guarantees default_backend names one of enabled_backends when any is set.
            String defaultId = backends.isEmpty() ? SINGLE_STORE_ID
                    : config.defaultBackend().orElseThrow(() -> new InvalidConfigException(null, "glance_store",
                            "default_backend", "is required when enabled_backends is set"));
            int created = 0;
            try {
                for (StoreBackend backend : all) {
                    try {
                        registry.load(classLoader, backend.id(), backend.type(), options(backend));
                        created++;
                    } catch (IllegalArgumentException e) {
                        if (e.getMessage() != null && e.getMessage().startsWith("no store provider")) {
                            throw new InvalidConfigException(null, "DEFAULT", "enabled_backends", e.getMessage());
                        }
                        throw e;
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (created > 0) {
                    // The builder does not hand back the stores it holds; building a registry of
                    // them (no default named yet, so the first is) is the way to close them.
                    try {
                        registry.build().close();
                    } catch (IOException | RuntimeException closing) {
                        e.addSuppressed(closing);
                    }
                }
                throw e;
            }
            return registry.defaultStore(defaultId).build();
        }

        private List<StoreBackend.DataDirectory> singleStoreDirectories() {
            List<StoreBackend.DataDirectory> several = config.filesystemStoreDatadirs();
            return several.isEmpty()
                    ? List.of(new StoreBackend.DataDirectory(config.filesystemStoreDatadir(), 0))
                    : several;
        }

        /** The backend's options in the form its provider reads, as glance_store names them. */
        private static Map<String, String> options(StoreBackend backend) {
            Map<String, String> options = new LinkedHashMap<>();
            backend.descriptionIfSet().ifPresent(d -> options.put("store_description", d));
            if (backend.weight() != 0) {
                options.put("weight", Integer.toString(backend.weight()));
            }
            List<StoreBackend.DataDirectory> dirs = backend.dataDirectories();
            if (dirs.size() == 1 && dirs.get(0).priority() == 0) {
                options.put("filesystem_store_datadir", dirs.get(0).path().toString());
            } else if (!dirs.isEmpty()) {
                options.put("filesystem_store_datadirs", dirs.stream()
                        .map(d -> d.path() + ":" + d.priority())
                        .collect(Collectors.joining("\n")));
            }
            return options;
        }
    }
}
