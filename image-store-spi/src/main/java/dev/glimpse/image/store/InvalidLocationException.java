package dev.glimpse.image.store;

/**
 * A location the store does not own or cannot accept: another store's id, a scheme it does not
 * serve, a path outside its data directories or with {@code ..} segments. The store refuses it
 * without touching the backend, so a crafted location can never read or delete foreign data.
 */
public class InvalidLocationException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that names the location and why it is refused. */
    public InvalidLocationException(String message) {
        super(message);
    }
}
