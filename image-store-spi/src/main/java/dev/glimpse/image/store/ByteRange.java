package dev.glimpse.image.store;

import java.io.EOFException;

/**
 * A contiguous range of an image's bytes to read: {@code length} bytes from {@code offset}, or
 * everything from {@code offset} to the end when the length is {@link #TO_END}.
 *
 * <p>As in HTTP range requests, a range that runs past the end of the image is cut at the end, and
 * a range that starts at or after the end is an error ({@link #resolve(long)}), except that
 * {@code from(0)}, the whole image, is valid even for an empty one.
 *
 * @param offset the first byte to read, zero-based
 * @param length the number of bytes to read, or {@link #TO_END}
 */
public record ByteRange(long offset, long length) {
    /** The length of a range that runs to the end of the image. */
    public static final long TO_END = -1;

    /** Validates the components. */
    public ByteRange {
        if (offset < 0) {
            throw new IllegalArgumentException("range offset must not be negative: " + offset);
        }
        if (length < 0 && length != TO_END) {
            throw new IllegalArgumentException("range length must not be negative: " + length);
        }
    }

    /** Returns the range of {@code length} bytes from {@code offset}. */
    public static ByteRange of(long offset, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("range length must not be negative: " + length);
        }
        return new ByteRange(offset, length);
    }

    /** Returns the range from {@code offset} to the end of the image. */
    public static ByteRange from(long offset) {
        return new ByteRange(offset, TO_END);
    }

    /** Whether this range runs to the end of the image. */
    public boolean toEnd() {
        return length == TO_END;
    }

    /**
     * Returns how many bytes this range covers in an image of {@code size} bytes.
     *
     * @throws EOFException if the range starts at or after the end of the image (HTTP's 416), or
     *     asks for zero bytes; the whole-image range {@code from(0)} is always satisfiable
     */
    public long resolve(long size) throws EOFException {
        if (offset == 0 && toEnd()) {
            return size; // the whole image, which may be empty
        }
        if (offset >= size) {
            throw new EOFException("range starts at byte " + offset + ", at or after the end of the "
                    + size + "-byte image");
        }
        if (length == 0) {
            throw new EOFException("range of zero bytes at offset " + offset);
        }
        long available = size - offset;
        return toEnd() ? available : Math.min(length, available);
    }

    @Override
    public String toString() {
        return toEnd() ? "bytes " + offset + "-" : "bytes " + offset + "-" + (offset + length - 1);
    }
}
