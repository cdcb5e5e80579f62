package dev.glimpse.image;

/**
 * The caller may see the thing but may not do this to it (Glance's 403): a policy denial, a
 * protected image, a read-only or base attribute.
 */
public class ForbiddenException extends ImageException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was refused and why. */
    public ForbiddenException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying cause. */
    public ForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }
}
