package dev.glimpse.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreContractTest;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.InvalidLocationException;
import dev.glimpse.image.store.StoreLocation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example store passes the store contract kit, as any host's own store should. */
class ShardedDirectoryStoreTest extends ImageStoreContractTest {
    @TempDir Path root;

    @Override
    protected ImageStore newStore() throws Exception {
        // Through the ServiceLoader, as a host configuration would create it.
        return ImageStoreRegistry.builder()
                .load(getClass().getClassLoader(), "nas", "sharded-dir", Map.of("directory", root.toString()))
                .build().defaultStore();
    }

    @Override
    protected List<URI> foreignUris() {
        List<URI> uris = new ArrayList<>(super.foreignUris());
        uris.add(URI.create("shard://other-store/ab/abcdef"));
        uris.add(URI.create("shard://nas/../../etc/passwd"));
        uris.add(URI.create("shard://nas/ab/cd/abcdef"));
        return uris;
    }

    @Override
    protected void assertNothingStored(String imageId) throws Exception {
        super.assertNothingStored(imageId);
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile)).as("temp files left behind").isEmpty();
        }
    }

    @Test
    void foreignLocationsAreRefusedBeforeAnyRead() {
        for (URI uri : foreignUris()) {
            assertThatThrownBy(() -> store.read(new StoreLocation("nas", uri))).isInstanceOf(InvalidLocationException.class);
        }
    }

    @Test
    void unknownOptionsAreNamed() {
        assertThatThrownBy(() -> new ShardedDirectoryStoreProvider().create("x", Map.of("dir", "/tmp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dir").hasMessageContaining("directory");
    }
}
