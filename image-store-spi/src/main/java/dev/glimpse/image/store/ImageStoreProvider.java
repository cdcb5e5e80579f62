package dev.glimpse.image.store;

import java.io.IOException;
import java.util.Map;

/**
 * Creates stores of one type from configuration: the driver entry point, found by
 * {@link java.util.ServiceLoader} (declare the implementation in
 * {@code META-INF/services/dev.glimpse.image.store.ImageStoreProvider}) or registered in code with
 * {@link ImageStoreRegistry.Builder#provider}.
 *
 * <p>Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface ImageStoreProvider {

    /**
     * The store type this provider creates, as named in Glance's {@code enabled_backends}
     * ({@code "file"}, {@code "http"}).
     */
    String type();

    /**
     * Creates a store.
     *
     * @param storeId the id the store will have
     * @param options the store's options, as in its configuration group (for the filesystem store
     *     {@code filesystem_store_datadir}, {@code filesystem_store_datadirs}, ...); an unknown or
     *     malformed option is an error
     * @throws IllegalArgumentException if an option is unknown or malformed
     * @throws IOException if the store cannot be set up (e.g. a data directory cannot be created)
     */
    ImageStore create(String storeId, Map<String, String> options) throws IOException;
}
