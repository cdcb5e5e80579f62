package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.InspectionLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * A {@link ByteSource} over a seekable channel: reads go straight to the channel, so inspection
 * costs the regions the parsers ask for, whatever the image size. Counts every byte read against
 * {@link InspectionLimits#maxBytesRead()}. Not thread-safe: one per inspection.
 */
public final class SeekableByteSource implements ByteSource {
    private final SeekableByteChannel channel;
    private final long length;
    private final InspectionLimits limits;
    private long bytesRead;

    /** Reads from {@code channel}, whose size is taken once, now. The caller keeps ownership of the channel. */
    public SeekableByteSource(SeekableByteChannel channel, InspectionLimits limits) throws IOException {
        this.channel = channel;
        this.length = channel.size();
        this.limits = limits;
    }

    /** The total number of bytes read so far, for measurements. */
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public Bytes read(long offset, int length) throws ImageFormatException {
        Bytes bytes = readUpTo(offset, length);
        if (bytes.length() < length) {
            throw new ImageFormatException("truncated: needed " + length + " bytes at offset " + offset
                    + " but the image is only " + this.length + " bytes long");
        }
        return bytes;
    }

    @Override
    public Bytes readUpTo(long offset, int length) throws ImageFormatException {
        if (offset < 0 || length < 0) {
            throw new ImageFormatException("invalid read of " + length + " bytes at offset " + offset);
        }
        if (length > limits.maxRegionSize()) {
            throw new ImageFormatException("a read of " + length + " bytes at offset " + offset
                    + " exceeds the region limit of " + limits.maxRegionSize() + " bytes");
        }
        int count = (int) Math.max(0, Math.min(length, this.length - Math.min(offset, this.length)));
        if (bytesRead + count > limits.maxBytesRead()) {
            throw new ImageFormatException("inspection would read more than the limit of "
                    + limits.maxBytesRead() + " bytes");
        }
        bytesRead += count;
        ByteBuffer buffer = ByteBuffer.allocate(count);
        try {
            channel.position(offset);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // An I/O failure is not a format problem: surface it unchanged to the caller of inspect().
            throw new UncheckedIOException(e);
        }
        byte[] data = buffer.position() == count ? buffer.array() : java.util.Arrays.copyOf(buffer.array(), buffer.position());
        return Bytes.wrap(data, offset);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public InspectionLimits limits() {
        return limits;
    }
}
