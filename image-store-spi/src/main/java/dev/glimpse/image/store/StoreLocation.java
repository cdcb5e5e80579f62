package dev.glimpse.image.store;

import java.net.URI;
import java.util.Objects;

/**
 * Where the bytes of one image live: the id of the store that owns them and a URI in that store's
 * scheme ({@code file:///var/lib/glimpse/images/<id>}, {@code https://host/path},
 * {@code s3://bucket/key} for stores to come). The store id is what Glance multi-store keeps in a
 * location's {@code metadata.store}; recording it means a location is resolved by name, never by
 * guessing from the URI.
 *
 * @param storeId the id of the owning store, as registered in an {@link ImageStoreRegistry}
 * @param uri the absolute URI of the data within that store
 */
public record StoreLocation(String storeId, URI uri) {
    /** Validates the components. */
    public StoreLocation {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(uri, "uri");
        if (storeId.isBlank()) {
            throw new IllegalArgumentException("storeId must not be blank");
        }
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException("location URI must be absolute (have a scheme): " + uri);
        }
    }

    @Override
    public String toString() {
        return storeId + ":" + uri;
    }
}
