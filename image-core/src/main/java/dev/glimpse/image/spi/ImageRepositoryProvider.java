package dev.glimpse.image.spi;

import dev.glimpse.image.config.GlimpseConfig;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Opens catalogue repositories from {@code [database] connection}: the catalogue's driver entry
 * point, found by {@link java.util.ServiceLoader} (declare the implementation in
 * {@code META-INF/services/dev.glimpse.image.spi.ImageRepositoryProvider}) or registered in code
 * with {@link dev.glimpse.image.Glimpse.Builder#repositoryProvider}. Glimpse ships {@code memory}
 * (image-core) and {@code file} (image-store-fs); a JDBC catalogue plugs in the same way.
 *
 * <p>Implementations are stateless and thread-safe, with a public no-argument constructor. A
 * repository that holds resources (files, locks, connections) implements {@link AutoCloseable};
 * whoever opened it through this provider closes it ({@link dev.glimpse.image.Glimpse#close()}).
 */
public interface ImageRepositoryProvider {

    /**
     * The URI schemes this provider serves, lower case and without the colon ({@code "memory"},
     * {@code "file"}, {@code "jdbc"}).
     */
    Set<String> schemes();

    /**
     * Opens (creating if needed) the catalogue at {@code connection}.
     *
     * @param connection the {@code [database] connection} URI; its scheme is one of {@link #schemes()}
     * @param config the whole configuration, for options a repository may need
     * @throws IllegalArgumentException if the URI is malformed for this provider
     * @throws IOException if the catalogue cannot be opened (e.g. locked by another process, unreadable)
     */
    ImageRepository open(URI connection, GlimpseConfig config) throws IOException;

    /**
     * Opens the metadata definitions kept with the catalogue at {@code connection}, if this
     * provider keeps them; empty means the caller keeps them in memory. Default: empty.
     *
     * @throws IOException if the definitions exist but cannot be opened
     */
    default Optional<MetadefRepository> openMetadefs(URI connection, GlimpseConfig config) throws IOException {
        return Optional.empty();
    }
}
