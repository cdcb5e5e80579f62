package dev.glimpse.image.store;

/**
 * The data written was not the size declared for it (Glance's {@code Invalid}, HTTP 400): more bytes
 * arrived than declared (the write stops as soon as they do), or fewer by the end of the stream.
 * Nothing of the image is left behind.
 */
public class SizeMismatchException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final long expected;
    private final long actual;

    /**
     * Creates the exception.
     *
     * @param expected the declared size
     * @param actual the bytes seen: the full count when the stream ended short, or the count at
     *     which the write stopped when it ran over
     */
    public SizeMismatchException(long expected, long actual) {
        super(actual > expected
                ? "image data exceeds its declared size of " + expected + " bytes"
                : "image data is " + actual + " bytes, but " + expected + " were declared");
        this.expected = expected;
        this.actual = actual;
    }

    /** The declared size. */
    public long expected() {
        return expected;
    }

    /** The bytes seen when the mismatch was found. */
    public long actual() {
        return actual;
    }
}
