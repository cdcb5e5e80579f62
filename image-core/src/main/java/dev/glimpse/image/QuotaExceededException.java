package dev.glimpse.image;

/**
 * A quota or size limit would be exceeded (Glance's 413): image_size_cap, storage quota, property,
 * tag, member or location quotas, per-project limits.
 */
public class QuotaExceededException extends ImageException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was refused and why. */
    public QuotaExceededException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying cause. */
    public QuotaExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
