package dev.glimpse.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/** A read-only channel that counts the bytes read through it: how the benchmarks report I/O per inspection. */
final class CountingChannel implements SeekableByteChannel {
    private final SeekableByteChannel channel;
    private long bytesRead;
    private long reads;

    CountingChannel(SeekableByteChannel channel) {
        this.channel = channel;
    }

    long bytesRead() {
        return bytesRead;
    }

    long reads() {
        return reads;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = channel.read(dst);
        if (n > 0) {
            bytesRead += n;
        }
        reads++;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public long position() throws IOException {
        return channel.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        channel.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
