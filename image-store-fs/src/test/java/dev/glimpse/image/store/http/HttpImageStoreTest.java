package dev.glimpse.image.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreContractTest;
import dev.glimpse.image.store.StoreLocation;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store contract, and http specifics, against a real HTTP server on loopback. */
class HttpImageStoreTest extends ImageStoreContractTest {
    private TestHttpServer server;

    @Override
    protected ImageStore newStore() throws IOException {
        server = new TestHttpServer();
        return HttpImageStore.create("web");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected StoreLocation put(String imageId, byte[] data) throws Exception {
        server.files.put(imageId, data);
        return store.location(server.uri("/images/" + imageId));
    }

    @Override
    protected List<URI> foreignUris() {
        List<URI> uris = new ArrayList<>(super.foreignUris());
        uris.add(URI.create("ftp://127.0.0.1/x"));
        uris.add(URI.create("http://user:secret@127.0.0.1/x"));
        uris.add(URI.create("http:opaque"));
        uris.add(URI.create("https:///nohost"));
        return uris;
    }

    private byte[] read(StoreLocation location, ByteRange range) throws IOException {
        try (InputStream in = store.read(location, range)) {
            return in.readAllBytes();
        }
    }

    @Test
    void serverIgnoringRangesIsHandledBySkipping() throws Exception {
        byte[] data = bytes(100_000, 1);
        server.files.put("img", data);
        StoreLocation location = store.location(server.uri("/norange/img"));
        assertThat(read(location, ByteRange.of(70_000, 10))).isEqualTo(Arrays.copyOfRange(data, 70_000, 70_010));
        assertThat(read(location, ByteRange.from(99_990))).isEqualTo(Arrays.copyOfRange(data, 99_990, 100_000));
        assertThatThrownBy(() -> store.read(location, ByteRange.from(100_000))).isInstanceOf(EOFException.class);
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        byte[] data = bytes(1000, 2);
        server.files.put("img", data);
        StoreLocation location = store.location(server.uri("/redirect/img"));
        assertThat(read(location, ByteRange.from(0))).isEqualTo(data);
        assertThat(store.size(location)).isEqualTo(1000);
    }

    @Test
    void forbiddenIsAccessDenied() throws Exception {
        server.files.put("img", new byte[10]);
        StoreLocation location = store.location(server.uri("/forbidden/img"));
        assertThatThrownBy(() -> store.read(location)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> store.size(location)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void connectionCutMidBodyFailsTheRead() throws Exception {
        server.files.put("img", bytes(200_000, 3));
        StoreLocation location = store.location(server.uri("/broken/img"));
        assertThatThrownBy(() -> {
            try (InputStream in = store.read(location)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void unreachableServerIsAnIoError() throws Exception {
        URI uri = server.uri("/images/x");
        server.close();
        StoreLocation location = store.location(uri);
        assertThatThrownBy(() -> store.size(location)).isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class);
    }
}
