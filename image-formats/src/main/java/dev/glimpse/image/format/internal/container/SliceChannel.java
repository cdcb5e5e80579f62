package dev.glimpse.image.format.internal.container;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only window {@code [start, start + size)} of another channel, seen as a channel of its
 * own: how the disk member of an OVA on disk is inspected in place, reading only its headers,
 * without copying it out of the archive. Closing the slice leaves the underlying channel open.
 */
final class SliceChannel implements SeekableByteChannel {
    private final SeekableByteChannel channel;
    private final long start;
    private final long size;
    private long position;
    private boolean open = true;

    SliceChannel(SeekableByteChannel channel, long start, long size) {
        this.channel = channel;
        this.start = start;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (position >= size) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), size - position);
        ByteBuffer view = dst.slice();
        view.limit(want);
        channel.position(start + position);
        int n = channel.read(view);
        if (n > 0) {
            dst.position(dst.position() + n);
            position += n;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
