package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreContractTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/** The store contract on Jimfs, with two data directories. */
class FilesystemImageStoreJimfsTest extends ImageStoreContractTest {
    private FileSystem fs;
    private FileSystem otherFs;

    @Override
    protected ImageStore newStore() throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix());
        otherFs = Jimfs.newFileSystem(Configuration.unix());
        return FilesystemImageStore.builder("fs").dataDirectory(fs.getPath("/images/a"), 10)
                .dataDirectory(fs.getPath("/images/b"), 5).build();
    }

    @AfterEach
    void closeFs() throws IOException {
        fs.close();
        otherFs.close();
    }

    @Override
    protected void assertNothingStored(String imageId) throws Exception {
        try (Stream<Path> files = Stream.concat(Files.list(fs.getPath("/images/a")), Files.list(fs.getPath("/images/b")))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(imageId));
        }
        super.assertNothingStored(imageId);
    }

    @Override
    protected List<URI> foreignUris() {
        List<URI> uris = new ArrayList<>(super.foreignUris());
        uris.add(fs.getPath("/images/a/../secret").toUri());
        uris.add(URI.create(fs.getPath("/images/a").toUri() + "/..%2Fsecret"));
        uris.add(fs.getPath("/images").resolve("x").toUri());
        uris.add(fs.getPath("/images/a/sub/x").toUri());
        uris.add(fs.getPath("/images/a/.x.1234.tmp").toUri());
        uris.add(fs.getPath("/images/a/x").toUri().resolve("?q=1"));
        uris.add(otherFs.getPath("/images/a/x").toUri());
        return uris;
    }
}
