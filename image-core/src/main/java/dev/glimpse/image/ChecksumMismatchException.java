package dev.glimpse.image;

import java.io.IOException;

/**
 * Downloaded image data does not match the image's recorded size or hash: the stored bytes were
 * damaged or replaced. Thrown by the stream of {@link ImageData} at the end of the data, instead of
 * a normal end, so that corrupt bytes are never taken for the image.
 */
public class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the image, the expected and the actual value. */
    public ChecksumMismatchException(String message) {
        super(message);
    }
}
