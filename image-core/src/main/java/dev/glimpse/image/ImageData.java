package dev.glimpse.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of an image, or of a range of them, being downloaded
 * ({@code GET /v2/images/{id}/file}), with what an HTTP layer needs for its headers
 * ({@code Content-Length}, {@code Content-Range}, {@code Content-MD5}).
 *
 * <p>The stream of a whole-image download checks, as it is read, that the data has the image's
 * size and multihash ({@code os_hash_value}, else its MD5 {@code checksum}), and throws an
 * {@link IOException} at the end instead of ending normally if it does not: corrupt data never
 * passes for the image. A range cannot be checked without reading the whole image, so a ranged
 * stream checks only its length. The caller closes this object (which closes the stream).
 */
public final class ImageData implements Closeable {
    private final InputStream stream;
    private final long offset;
    private final long length;
    private final long imageSize;
    private final @Nullable String checksum;
    private final boolean verified;

    /**
     * Creates the value; for the service and tests.
     *
     * @param stream the bytes, positioned at {@code offset}
     * @param offset the first byte's offset in the image
     * @param length the number of bytes the stream yields
     * @param imageSize the size of the whole image
     * @param checksum the image's MD5 checksum, if known
     * @param verified whether the stream checks a hash of the whole image
     */
    public ImageData(InputStream stream, long offset, long length, long imageSize, @Nullable String checksum,
            boolean verified) {
        this.stream = Objects.requireNonNull(stream, "stream");
        if (offset < 0 || length < 0 || offset + length > imageSize) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + imageSize + " bytes");
        }
        this.offset = offset;
        this.length = length;
        this.imageSize = imageSize;
        this.checksum = checksum;
        this.verified = verified;
    }

    /** The bytes; read it to its end to have them checked. */
    public InputStream stream() {
        return stream;
    }

    /** The offset of the first byte in the image (0 for a whole-image download). */
    public long offset() {
        return offset;
    }

    /** The number of bytes {@link #stream()} yields. */
    public long length() {
        return length;
    }

    /** The size of the whole image. */
    public long imageSize() {
        return imageSize;
    }

    /** Whether this is part of the image rather than all of it (HTTP 206). */
    public boolean isRange() {
        return offset != 0 || length != imageSize;
    }

    /** The image's MD5 checksum (for {@code Content-MD5}), if known. */
    public Optional<String> checksum() {
        return Optional.ofNullable(checksum);
    }

    /** Whether the stream checks the data against the image's recorded hash. */
    public boolean isVerified() {
        return verified;
    }

    /** Closes the stream. */
    @Override
    public void close() throws IOException {
        stream.close();
    }
}
