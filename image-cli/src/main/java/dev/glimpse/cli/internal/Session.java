package dev.glimpse.cli.internal;

import dev.glimpse.image.RequestContext;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One command's view of the embedded catalogue: the services built on {@code --home} and
 * {@code --config}, and the request context built from {@code --project}, {@code --user} and
 * {@code --roles}. Opened on first use, closed when the command ends, so the catalogue's lock is
 * held only while a command runs.
 */
public final class Session implements AutoCloseable {
    private final Path home;
    private final @Nullable Path config;
    private final RequestContext context;

    private Session(Path home, @Nullable Path config, RequestContext context) {
        this.home = home;
        this.config = config;
        this.context = context;
    }

    /** Opens the catalogue under {@code home}, creating it on first use. */
    public static Session open(Path home, @Nullable Path config, RequestContext context) {
        return new Session(Objects.requireNonNull(home, "home"), config, Objects.requireNonNull(context, "context"));
    }

    /** The directory the catalogue lives in. */
    public Path home() {
        return home;
    }

    /** The configuration file, when one was given. */
    public @Nullable Path config() {
        return config;
    }

    /** Who is making the requests. */
    public RequestContext context() {
        return context;
    }

    @Override
    public void close() {
        // Nothing held yet.
    }
}
