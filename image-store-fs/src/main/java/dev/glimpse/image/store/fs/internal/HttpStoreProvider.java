package dev.glimpse.image.store.fs.internal;

import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreProvider;
import dev.glimpse.image.store.http.HttpImageStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Creates read-only {@link HttpImageStore}s. Options: {@code http_timeout} (seconds, default 30);
 * {@code store_description} and {@code weight} are accepted.
 */
public final class HttpStoreProvider implements ImageStoreProvider {
    private static final Set<String> KNOWN = Set.of("http_timeout", "store_description", "weight");

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public HttpStoreProvider() {}

    @Override
    public String type() {
        return HttpImageStore.TYPE;
    }

    @Override
    public ImageStore create(String storeId, Map<String, String> options) {
        Options opts = new Options(storeId, options, KNOWN);
        int timeout = opts.integer("http_timeout", 30);
        if (timeout <= 0) {
            throw opts.bad("http_timeout", String.valueOf(timeout), "a positive number of seconds");
        }
        return HttpImageStore.builder(storeId).timeout(Duration.ofSeconds(timeout)).build();
    }
}
