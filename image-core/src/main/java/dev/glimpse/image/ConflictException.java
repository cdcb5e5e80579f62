package dev.glimpse.image;

/**
 * The request conflicts with the current state (Glance's 409): an illegal status transition, a
 * duplicate id or member, a concurrent update that lost its compare-and-set, a second upload.
 */
public class ConflictException extends ImageException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was refused and why. */
    public ConflictException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying cause. */
    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
