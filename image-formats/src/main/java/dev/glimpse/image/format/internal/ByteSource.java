package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;

/**
 * What a {@link FormatParser} reads an image through. The same parser code runs in both modes:
 *
 * <ul>
 *   <li>seekable: every read goes straight to the file, and {@link #length()} is known;
 *   <li>streaming: reads are served from regions captured as the bytes flow past. A read of data
 *       that has not arrived yet makes the driver remember the region and run the parser again,
 *       from the start, once it has; {@link #length()} is known only at the end of the stream, and
 *       reads near the end are served from an end buffer.
 * </ul>
 *
 * <p>So a parser must be a pure function of the bytes it reads: no state kept between runs, no
 * catching of {@code RuntimeException} (the driver's "not yet" signal is one), and reads in the
 * order the data appears in the file wherever the format allows, since a streaming inspection
 * cannot go back to bytes it was not asked to keep.
 */
public interface ByteSource {

    /**
     * Reads exactly {@code length} bytes at {@code offset}.
     *
     * @throws ImageFormatException if the image ends before {@code offset + length} (a truncated
     *     structure), if {@code length} exceeds the region limit, or if the read would exceed the
     *     inspection's byte budget
     */
    Bytes read(long offset, int length) throws ImageFormatException;

    /**
     * Reads up to {@code length} bytes at {@code offset}: fewer only where the image ends, none if it
     * ends before {@code offset}. For probing magics without treating a short file as truncated.
     */
    Bytes readUpTo(long offset, int length) throws ImageFormatException;

    /** The length of the image in bytes (in streaming mode, known once the stream has ended). */
    long length() throws ImageFormatException;

    /** The limits this inspection runs under, for parsers to bound their tables and descriptors. */
    dev.glimpse.image.format.InspectionLimits limits();
}
