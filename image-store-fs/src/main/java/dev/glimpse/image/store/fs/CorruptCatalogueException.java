package dev.glimpse.image.store.fs;

import java.io.IOException;

/**
 * A catalogue file is damaged in a way a crash cannot cause (a record in the middle fails its
 * checksum, a snapshot is cut short): opening it anyway would silently lose committed records, so
 * the catalogue refuses to open until it is restored.
 */
public final class CorruptCatalogueException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the file and the offset of the damage. */
    public CorruptCatalogueException(String message) {
        super(message);
    }
}
