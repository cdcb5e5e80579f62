package dev.glimpse.image.store;

/**
 * The store has no room for the image (Glance's {@code StorageFull}, HTTP 413): no data directory
 * has the declared size free, or the device filled up during the write. Nothing of the image is
 * left behind.
 */
public class StorageFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that says which store is full and how much was needed. */
    public StorageFullException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the underlying cause. */
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
