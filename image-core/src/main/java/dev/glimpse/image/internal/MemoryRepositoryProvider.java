package dev.glimpse.image.internal;

import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.spi.ImageRepositoryProvider;
import java.net.URI;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code memory:} connection (handed over as {@code memory:/}, since {@link URI} cannot parse
 * a bare scheme): a fresh {@link InMemoryImageRepository} per open, lost when it
 * is dropped. Metadata definitions stay in memory too (the default of {@link #openMetadefs}).
 */
public final class MemoryRepositoryProvider implements ImageRepositoryProvider {

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public MemoryRepositoryProvider() {}

    @Override
    public Set<String> schemes() {
        return Set.of("memory");
    }

    @Override
    public ImageRepository open(URI connection, GlimpseConfig config) {
        Objects.requireNonNull(connection, "connection");
        // memory: names no place; anything after the colon would be silently ignored, so refuse it.
        String rest = connection.getSchemeSpecificPart();
        if (rest != null && !rest.isEmpty() && !rest.equals("/")) {
            throw new IllegalArgumentException("connection '" + connection + "': memory: takes no path or options");
        }
        return new InMemoryImageRepository();
    }
}
