package dev.glimpse.image;

/**
 * The thing asked for does not exist, or the caller may not see it (Glance's 404). An image the caller
 * may not see is reported with this exception, never with {@link ForbiddenException}, so that its
 * existence does not leak.
 */
public class NotFoundException extends ImageException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was refused and why. */
    public NotFoundException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying cause. */
    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
