package dev.glimpse.image.store.fs.internal;

import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.spi.ImageRepositoryProvider;
import dev.glimpse.image.spi.MetadefRepository;
import dev.glimpse.image.store.fs.FileImageRepository;
import dev.glimpse.image.store.fs.FileMetadefRepository;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code file:///dir} connection: a {@link FileImageRepository} in {@code dir} (created if
 * missing), with its metadata definitions in a {@link FileMetadefRepository} in {@code dir/metadefs},
 * so that one directory holds the whole catalogue.
 */
public final class FileRepositoryProvider implements ImageRepositoryProvider {
    /** The subdirectory of the catalogue directory holding the metadata definitions. */
    static final String METADEFS = "metadefs";

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public FileRepositoryProvider() {}

    @Override
    public Set<String> schemes() {
        return Set.of("file");
    }

    @Override
    public ImageRepository open(URI connection, GlimpseConfig config) throws IOException {
        return FileImageRepository.open(Files.createDirectories(directory(connection)));
    }

    @Override
    public Optional<MetadefRepository> openMetadefs(URI connection, GlimpseConfig config) throws IOException {
        return Optional.of(FileMetadefRepository.open(directory(connection).resolve(METADEFS)));
    }

    private static Path directory(URI connection) {
        try {
            return Path.of(connection);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new IllegalArgumentException("connection '" + connection
                    + "' is not an absolute file URI such as file:///var/lib/glimpse/catalogue", e);
        }
    }
}
