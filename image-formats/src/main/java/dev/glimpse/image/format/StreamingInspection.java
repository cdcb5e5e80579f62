package dev.glimpse.image.format;

import java.nio.ByteBuffer;

/**
 * An inspection fed the bytes of an image as they arrive, the way an upload sees them: call
 * {@link #update} with each chunk in order, then {@link #finish()} once at the end of the stream.
 * Memory stays bounded whatever the image size, and the result is the same for any chunking.
 *
 * <p>Not thread-safe: feed it from one thread at a time. Obtain one from
 * {@link FormatInspector#startStreaming()}.
 */
public interface StreamingInspection {

    /** Feeds the next {@code length} bytes of the image from {@code chunk} at {@code offset}. */
    void update(byte[] chunk, int offset, int length);

    /** Feeds the remaining bytes of {@code chunk}, advancing its position to its limit. */
    void update(ByteBuffer chunk);

    /**
     * Ends the stream and returns what was found.
     *
     * @throws ImageFormatException if the image claims a format and breaks its rules, or holds two
     *     formats at once
     * @throws IllegalStateException if called twice
     */
    Inspection finish() throws ImageFormatException;
}
