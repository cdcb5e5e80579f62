package dev.glimpse.cli.internal;

/**
 * A mistake on the command line found after parsing (an unknown {@code -c} column, a malformed
 * {@code --property}); reported like picocli's own usage errors, with exit status 2.
 */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what to type instead. */
    public UsageException(String message) {
        super(message);
    }
}
