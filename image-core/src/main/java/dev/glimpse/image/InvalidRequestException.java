package dev.glimpse.image;

/**
 * The request itself is malformed (Glance's 400): a bad attribute value, an over-long name, an
 * unknown format, a malformed patch, a data upload that failed format validation.
 */
public class InvalidRequestException extends ImageException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was refused and why. */
    public InvalidRequestException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying cause. */
    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
