package dev.glimpse.image;

/**
 * A compare-and-set write lost: the record changed since it was read. The catalogue retries
 * read-modify-write operations on this exception, so callers see it only when contention does not
 * settle; repositories throw it from {@code update} when the expected version is stale.
 */
public class VersionConflictException extends ConflictException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the record and versions. */
    public VersionConflictException(String message) {
        super(message);
    }
}
