package dev.glimpse.image;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Collections;
import org.jspecify.annotations.Nullable;

/**
 * Where an image's bytes are kept: a store URL, the store's metadata about it, and the id of the
 * store that holds it (Glance puts the store id in {@code metadata.store}; it is a field here).
 *
 * @param url the location URI understood by the store, e.g. {@code file:///var/lib/glimpse/images/<id>}
 * @param metadata store-specific string metadata; never null, immutable, sorted by key
 * @param storeId the id of the store holding the data, or null with a single unnamed store
 * @param status whether the data is live or queued for the scrubber
 */
public record ImageLocation(String url, Map<String, String> metadata, @Nullable String storeId, Status status) {

    /** The lifecycle of one location (hidden from the API, as in Glance). */
    public enum Status {
        /** The data is live. */
        ACTIVE("active"),
        /** The image was deleted with delayed delete; the scrubber will remove the data. */
        PENDING_DELETE("pending_delete"),
        /** The data was removed. */
        DELETED("deleted");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        /** Returns Glance's name for the status. */
        public String wireName() {
            return wireName;
        }
    }

    /**
     * Validates and copies the location.
     *
     * @throws InvalidRequestException if the url is blank
     */
    public ImageLocation {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(status, "status");
        if (url.isBlank()) {
            throw new InvalidRequestException("location url must not be blank");
        }
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** Returns an active location in the given store with no metadata. */
    public static ImageLocation of(String url, @Nullable String storeId) {
        return new ImageLocation(url, Map.of(), storeId, Status.ACTIVE);
    }

    /** Returns a copy with the given status. */
    public ImageLocation withStatus(Status newStatus) {
        return new ImageLocation(url, metadata, storeId, newStatus);
    }
}
