package dev.glimpse.image.store;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Runs the contract suite over {@link MemoryImageStore}. */
class MemoryImageStoreTest extends ImageStoreContractTest {
    @Override
    protected ImageStore newStore() {
        return new MemoryImageStore("mem");
    }

    @Override
    protected List<URI> foreignUris() {
        List<URI> uris = new ArrayList<>(super.foreignUris());
        uris.add(URI.create("memory://other/abc"));
        uris.add(URI.create("memory://mem/../abc"));
        return uris;
    }
}
