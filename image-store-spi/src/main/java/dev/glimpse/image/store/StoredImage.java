package dev.glimpse.image.store;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link ImageStore#write} stored: where, how many bytes, and any facts the store wants kept
 * with the location (Glance's location {@code metadata}; values are plain strings).
 *
 * @param location the location of the new data; owned by the store that wrote it
 * @param size the number of bytes written
 * @param metadata store-specific facts about the data, never {@code null}
 */
public record StoredImage(StoreLocation location, long size, Map<String, String> metadata) {
    /** Validates and copies the components. */
    public StoredImage {
        Objects.requireNonNull(location, "location");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        metadata = Map.copyOf(metadata);
    }
}
