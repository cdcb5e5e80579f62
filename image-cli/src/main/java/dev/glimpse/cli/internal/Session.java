package dev.glimpse.cli.internal;

import dev.glimpse.image.ImageService;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.Scrubber;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.json.ImageJson;
import dev.glimpse.image.metadef.MetadefService;
import dev.glimpse.image.policy.Policy;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.fs.FileImageRepository;
import dev.glimpse.image.store.fs.FileMetadefRepository;
import dev.glimpse.image.store.fs.FilesystemImageStore;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One command's view of the embedded catalogue: the services built on {@code --home} and
 * {@code --config}, and the request context built from {@code --project}, {@code --user} and
 * {@code --roles}. Each part is opened on first use and everything is closed when the command
 * ends, so the catalogue's lock is held only while a command runs and commands that need no
 * catalogue ({@code inspect}) never create one.
 *
 * <p>Layout under {@code --home}: {@code catalogue/} (the file-backed image catalogue),
 * {@code images/} (the filesystem store's data), {@code metadefs/} (metadata definitions). A
 * configuration file may move the first two with {@code [database] connection = file:///...}
 * and {@code [glance_store] filesystem_store_datadir(s)}.
 */
public final class Session implements AutoCloseable {
    private final Path home;
    private final @Nullable Path configFile;
    private final RequestContext context;
    private final Deque<Closeable> resources = new ArrayDeque<>();
    private @Nullable GlimpseConfig config;
    private @Nullable Policy policy;
    private @Nullable ImageService images;
    private @Nullable MetadefService metadefs;
    private @Nullable ImageJson json;
    private @Nullable FileImageRepository repository;
    private @Nullable ImageStoreRegistry stores;
    private @Nullable Scrubber scrubber;

    private Session(Path home, @Nullable Path configFile, RequestContext context) {
        this.home = home;
        this.configFile = configFile;
        this.context = context;
    }

    /** Prepares a session on the catalogue under {@code home}; nothing is opened yet. */
    public static Session open(Path home, @Nullable Path config, RequestContext context) {
        return new Session(Objects.requireNonNull(home, "home"), config, Objects.requireNonNull(context, "context"));
    }

    /** The directory the catalogue lives in. */
    public Path home() {
        return home;
    }

    /** Who is making the requests. */
    public RequestContext context() {
        return context;
    }

    /**
     * The configuration: {@code --config}'s file over Glance's defaults, or the defaults alone.
     *
     * @throws dev.glimpse.image.config.InvalidConfigException naming the file, section and option
     */
    public GlimpseConfig config() {
        if (config == null) {
            config = configFile == null ? GlimpseConfig.defaults() : GlimpseConfig.load(configFile);
        }
        return config;
    }

    /** The access rules: Glance's defaults, with {@code [oslo_policy] policy_file}'s overrides. */
    public Policy policy() {
        if (policy == null) {
            policy = config().policyFile().map(Policy::load).orElseGet(Policy::defaults);
        }
        return policy;
    }

    /**
     * The image service on the file-backed catalogue and the filesystem store, created on first use.
     *
     * @throws UncheckedIOException if the catalogue cannot be opened (e.g. another glimpse holds it)
     */
    public ImageService images() {
        if (images == null) {
            GlimpseConfig config = config();
            images = ImageService.builder()
                    // Formats, page sizes, size cap, hashing, quotas, delayed_delete: all from the file.
                    .config(config)
                    .policy(policy())
                    .repository(repository())
                    .stores(stores())
                    // Extra properties are checked against the definitions loaded into this home
                    // (after 'metadef namespace load-standard', hw_disk_bus=floppy is refused).
                    .metadefValidation(metadefs())
                    .build();
        }
        return images;
    }

    /**
     * The scrubber of this catalogue: {@code scrub_time} and {@code scrub_pool_size} from the
     * configuration, over the same repository and stores as {@link #images()}.
     */
    public Scrubber scrubber() {
        if (scrubber == null) {
            scrubber = track(Scrubber.builder().repository(repository()).stores(stores()).config(config()).build());
        }
        return scrubber;
    }

    private FileImageRepository repository() {
        if (repository == null) {
            try {
                Path catalogue = config().databaseDirectory().orElse(home.resolve("catalogue"));
                repository = track(FileImageRepository.open(Files.createDirectories(catalogue)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return repository;
    }

    private ImageStoreRegistry stores() {
        if (stores == null) {
            try {
                stores = track(ImageStoreRegistry.of(track(store(config()))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stores;
    }

    /** The JSON codec, showing locations and {@code direct_url} only as the configuration says. */
    public ImageJson json() {
        if (json == null) {
            json = ImageJson.showing(config().showMultipleLocations(), config().showImageDirectUrl());
        }
        return json;
    }

    /** The metadata definitions service on its file-backed repository, created on first use. */
    public MetadefService metadefs() {
        if (metadefs == null) {
            try {
                FileMetadefRepository repository = FileMetadefRepository.open(
                        Files.createDirectories(home.resolve("metadefs")));
                metadefs = MetadefService.builder().repository(repository).policy(policy()).config(config()).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return metadefs;
    }

    /** The filesystem store: the configured data directories if the file names any, else {@code images/}. */
    private FilesystemImageStore store(GlimpseConfig config) throws IOException {
        FilesystemImageStore.Builder builder = FilesystemImageStore.builder("file");
        List<dev.glimpse.image.config.StoreBackend.DataDirectory> configured = config.filesystemStoreDatadirs();
        if (configFile != null && !configured.isEmpty()) {
            configured.forEach(d -> builder.dataDirectory(d.path(), d.priority()));
        } else if (configFile != null
                && !config.filesystemStoreDatadir().equals(GlimpseConfig.defaults().filesystemStoreDatadir())) {
            builder.dataDirectory(config.filesystemStoreDatadir());
        } else {
            builder.dataDirectory(Files.createDirectories(home.resolve("images")));
        }
        return builder.build();
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(() -> {
            try {
                resource.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        return resource;
    }

    /** Closes what was opened, newest first, releasing the catalogue's lock. */
    @Override
    public void close() {
        UncheckedIOException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = new UncheckedIOException("cannot close the catalogue cleanly", e);
                }
            }
        }
        images = null;
        metadefs = null;
        scrubber = null;
        stores = null;
        repository = null;
        if (failure != null) {
            throw failure;
        }
    }
}
