package dev.glimpse.cli.internal;

import dev.glimpse.image.Glimpse;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.Scrubber;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.json.ImageJson;
import dev.glimpse.image.metadef.MetadefService;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.fs.CatalogueRecovery;
import dev.glimpse.image.store.fs.FileImageRepository;
import dev.glimpse.image.store.fs.FileMetadefRepository;
import dev.glimpse.image.store.fs.FilesystemImageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * and {@code [glance_store] filesystem_store_datadir(s)} (or {@code enabled_backends}). The
 * services themselves come from {@link Glimpse}, the library's front door, on that layout.
 */
public final class Session implements AutoCloseable {
    private final Path home;
    private final @Nullable Path configFile;
    private final RequestContext context;
    private @Nullable GlimpseConfig config;
    private @Nullable ImageJson json;
    private @Nullable Glimpse glimpse;

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

    /**
     * The image service on the file-backed catalogue and the filesystem store, created on first use.
     * Extra properties are checked against the definitions loaded into this home (after
     * {@code metadef namespace load-standard}, {@code hw_disk_bus=floppy} is refused).
     *
     * @throws UncheckedIOException if the catalogue cannot be opened (e.g. another glimpse holds it)
     */
    public ImageService images() {
        return glimpse().images();
    }

    /**
     * The scrubber of this catalogue: {@code scrub_time} and {@code scrub_pool_size} from the
     * configuration, over the same repository and stores as {@link #images()}.
     */
    public Scrubber scrubber() {
        return glimpse().scrubber();
    }

    /** The metadata definitions service on its file-backed repository, created on first use. */
    public MetadefService metadefs() {
        return glimpse().metadefs();
    }

    private Glimpse glimpse() {
        if (glimpse == null) {
            try {
                glimpse = Glimpse.builder()
                        .config(layout(config()))
                        // Definitions stay in home/metadefs, where earlier versions of the CLI put them.
                        .metadefRepository(FileMetadefRepository.open(Files.createDirectories(home.resolve("metadefs"))))
                        .build();
                recover(glimpse);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return glimpse;
    }

    /**
     * Repairs what a killed command left behind: images stuck in {@code saving} go back to
     * {@code queued} and data files no image refers to are deleted. No grace period is needed:
     * this process holds the catalogue's lock, so no other upload can be running.
     */
    private static void recover(Glimpse glimpse) throws IOException {
        if (glimpse.repository() instanceof FileImageRepository catalogue) {
            for (ImageStore store : glimpse.stores().stores()) {
                if (store instanceof FilesystemImageStore files) {
                    CatalogueRecovery.recover(catalogue, files, Duration.ZERO);
                }
            }
        }
    }

    /**
     * The configuration with this home's defaults filled in: the catalogue in {@code catalogue/}
     * unless {@code [database] connection} names one, the data in {@code images/} unless the file
     * names data directories or backends.
     */
    private GlimpseConfig layout(GlimpseConfig config) throws IOException {
        GlimpseConfig.Builder builder = config.toBuilder();
        if (config.databaseConnection().equals("memory:")) {
            // A catalogue lost at exit is useless to a command line: memory: means "the home's".
            builder.databaseConnection(Files.createDirectories(home.resolve("catalogue")).toUri().toString());
        }
        boolean dataConfigured = configFile != null && (!config.enabledBackends().isEmpty()
                || !config.filesystemStoreDatadirs().isEmpty()
                || !config.filesystemStoreDatadir().equals(GlimpseConfig.defaults().filesystemStoreDatadir()));
        if (!dataConfigured) {
            builder.filesystemStoreDatadir(Files.createDirectories(home.resolve("images")));
        }
        return builder.build();
    }

    /** The JSON codec, showing locations and {@code direct_url} only as the configuration says. */
    public ImageJson json() {
        if (json == null) {
            json = ImageJson.showing(config().showMultipleLocations(), config().showImageDirectUrl());
        }
        return json;
    }

    /** Closes what was opened, newest first, releasing the catalogue's lock. */
    @Override
    public void close() {
        Glimpse opened = glimpse;
        glimpse = null;
        if (opened != null) {
            try {
                opened.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the catalogue cleanly", e);
            }
        }
    }
}
