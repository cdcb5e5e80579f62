package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreContractTest;
import dev.glimpse.image.store.StoreLocation;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the real disk. */
class FilesystemImageStoreDiskTest extends ImageStoreContractTest {
    @TempDir
    Path root;

    @Override
    protected ImageStore newStore() throws IOException {
        return FilesystemImageStore.builder("disk").dataDirectory(root.resolve("images")).build();
    }

    @Override
    protected void assertNothingStored(String imageId) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("images"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(imageId));
        }
        super.assertNothingStored(imageId);
    }

    @Override
    protected List<URI> foreignUris() {
        List<URI> uris = new ArrayList<>(super.foreignUris());
        uris.add(URI.create(root.resolve("images").toUri() + "../../../etc/passwd"));
        uris.add(URI.create(root.resolve("images").toUri() + "/%2e%2e/x"));
        uris.add(URI.create("file://otherhost" + root.resolve("images/x").toUri().getPath()));
        uris.add(root.resolve("x").toUri());
        return uris;
    }

    @Test
    void symlinkPlantedInDataDirectoryIsNotFollowed() throws Exception {
        Path secret = Files.writeString(root.resolve("secret"), "top secret");
        Path link = root.resolve("images").resolve("planted");
        Files.createSymbolicLink(link, secret);
        StoreLocation location = store.location(link.toUri());
        assertThatThrownBy(() -> store.read(location)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.size(location)).isInstanceOf(IOException.class);
    }
}
