package dev.glimpse.image;

/**
 * Root of the unchecked exceptions thrown by the catalogue, policy, quota and metadata-definition
 * services. Each subclass maps onto one of Glance's error classes, so a REST layer can translate
 * it to a status code without looking at messages.
 */
public class ImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message a user can act on. */
    public ImageException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the underlying cause. */
    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
