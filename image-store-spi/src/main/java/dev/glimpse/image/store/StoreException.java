package dev.glimpse.image.store;

import java.io.IOException;

/**
 * A store failure that no JDK exception names. Where one does, stores throw it instead:
 * {@link java.nio.file.NoSuchFileException} for missing data,
 * {@link java.nio.file.FileAlreadyExistsException} when an image's data already exists,
 * {@link java.nio.file.AccessDeniedException} when the backend refuses access.
 */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that says what failed and where. */
    public StoreException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the underlying cause. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
