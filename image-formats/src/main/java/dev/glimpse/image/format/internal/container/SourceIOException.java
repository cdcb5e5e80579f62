package dev.glimpse.image.format.internal.container;

import java.io.IOException;

/**
 * Carries an I/O failure of the underlying file or stream through commons-compress, so that the
 * validator can tell "the disk failed" (rethrown unchanged) from "the archive is corrupt" (an
 * {@link dev.glimpse.image.format.ImageFormatException}).
 */
final class SourceIOException extends IOException {
    private static final long serialVersionUID = 1L;

    SourceIOException(IOException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
