package dev.glimpse.image.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code enabled_backends} ({@code id:type}) with the options of its own section
 * ({@code [id]}), as Glance's multi-store configuration has it.
 *
 * @param id the backend id; may not start with {@code os_glance_} (reserved by Glance)
 * @param type the driver type, e.g. {@code file}
 * @param description {@code store_description}, or null
 * @param weight {@code weight}: locations on heavier stores are preferred (default 0)
 * @param dataDirectories for {@code file} backends, the data directories in priority order
 *     ({@code filesystem_store_datadir} or {@code filesystem_store_datadirs}); empty for others
 */
public record StoreBackend(String id, String type, @Nullable String description, int weight,
        List<DataDirectory> dataDirectories) {

    /** Validates and copies. */
    public StoreBackend {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        dataDirectories = List.copyOf(dataDirectories);
    }

    /** The description, if set. */
    public Optional<String> descriptionIfSet() {
        return Optional.ofNullable(description);
    }

    /**
     * A filesystem data directory with its priority ({@code path:priority} in
     * {@code filesystem_store_datadirs}); higher priorities are filled first.
     *
     * @param path the directory
     * @param priority its priority (default 0)
     */
    public record DataDirectory(Path path, int priority) {
        /** Validates. */
        public DataDirectory {
            Objects.requireNonNull(path, "path");
        }
    }
}
