package dev.glimpse.examples;

import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link ShardedDirectoryStore}s of type {@code sharded-dir}. Found by {@link java.util.ServiceLoader}
 * through {@code META-INF/services/dev.glimpse.image.store.ImageStoreProvider}, so a configuration
 * naming the type is all a host needs. One option: {@code directory}.
 */
public final class ShardedDirectoryStoreProvider implements ImageStoreProvider {
    /** The store type, as a configuration names it. */
    public static final String TYPE = "sharded-dir";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ImageStore create(String storeId, Map<String, String> options) throws IOException {
        Set<String> unknown = new HashSet<>(options.keySet());
        unknown.remove("directory");
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) for a " + TYPE + " store: " + unknown
                    + "; the only option is 'directory'");
        }
        String directory = options.get("directory");
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException("a " + TYPE + " store needs the option 'directory'");
        }
        return new ShardedDirectoryStore(storeId, Path.of(directory));
    }
}
