package dev.glimpse.image.store.fs;

import java.io.IOException;

/**
 * The catalogue is already open for writing, in this process or another: Glimpse's file-backed
 * catalogue has one writer at a time, enforced by a lock file, so two processes can never
 * interleave their writes.
 */
public final class CatalogueLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the catalogue and the holder of its lock. */
    public CatalogueLockedException(String message) {
        super(message);
    }
}
