package dev.glimpse.image.internal;

import dev.glimpse.image.Image;

/**
 * Removes an image's bytes from the store(s) that hold them, called by the service after the
 * image's record has become {@code deleted}. The store integration supplies the real one; until
 * then {@link #NONE} deletes nothing.
 */
@FunctionalInterface
public interface ImageDataDeleter {
    /** Deletes nothing: for a catalogue without stores. */
    ImageDataDeleter NONE = image -> { };

    /**
     * Deletes the data at every location of the image.
     *
     * @param image the image as just stored with status {@code deleted}, locations intact
     * @throws RuntimeException if the data could not be removed; the caller reports it
     */
    void deleteData(Image image);
}
