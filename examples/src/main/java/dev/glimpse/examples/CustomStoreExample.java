package dev.glimpse.examples;

import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.StoredImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Example: a host application's own image store, plugged in by type name. The registry finds
 * {@link ShardedDirectoryStoreProvider} through {@link java.util.ServiceLoader} (see
 * {@code META-INF/services}), exactly as Glance finds a driver named in {@code enabled_backends}.
 * Its test runs the store through {@code ImageStoreContractTest}, the kit every store must pass.
 *
 * <p>Run: {@code java dev.glimpse.examples.CustomStoreExample [DIRECTORY]}.
 */
public final class CustomStoreExample {
    private CustomStoreExample() {}

    /** Stores an image in a sharded directory store loaded by type name, then reads part of it back. */
    public static void main(String[] args) throws Exception {
        Path directory = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("glimpse-shards");
        try (ImageStoreRegistry stores = ImageStoreRegistry.builder()
                .load(CustomStoreExample.class.getClassLoader(), "nas", "sharded-dir",
                        Map.of("directory", directory.toString()))
                .build()) {
            ImageStore store = stores.defaultStore();
            byte[] data = "a tiny disk image, for the example".getBytes(StandardCharsets.UTF_8);
            String imageId = UUID.randomUUID().toString();

            StoredImage stored = store.write(imageId, new ByteArrayInputStream(data), data.length);
            System.out.println("stored " + stored.size() + " bytes at " + stored.location().uri());

            try (InputStream in = store.read(stored.location(), ByteRange.of(2, 4))) {
                System.out.println("bytes 2-5: " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            // The registry maps any location back to the store that owns it, as the catalogue does.
            System.out.println("owned by store '" + stores.storeFor(stored.location()).id() + "', "
                    + store.size(stored.location()) + " bytes");
            store.delete(stored.location());
        }
    }
}
