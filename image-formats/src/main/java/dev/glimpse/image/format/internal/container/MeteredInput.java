package dev.glimpse.image.format.internal.container;

import dev.glimpse.image.format.ImageFormatException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The stream under commons-compress's tar reader: counts the position (so a member's data offset
 * is known), marks failures of the source as {@link SourceIOException}, and enforces a budget on
 * the bytes the tar reader consumes on its own between members.
 *
 * <p>Why the budget: {@code getNextEntry()} reads PAX headers and GNU long names into memory
 * whole. The validator drains each member itself before asking for the next one, so anything the
 * reader consumes inside {@code getNextEntry()} is header data, and capping it caps that memory.
 */
final class MeteredInput extends InputStream {
    private final InputStream in;
    private long position;
    private long meterLimit = Long.MAX_VALUE;

    MeteredInput(InputStream in) {
        this.in = in;
    }

    /** Bytes consumed from the source so far. */
    long position() {
        return position;
    }

    /** From now on, fail once more than {@code budget} further bytes are consumed. */
    void meter(long budget) {
        meterLimit = position + budget;
    }

    /** Lifts the budget. */
    void unmeter() {
        meterLimit = Long.MAX_VALUE;
    }

    private void advance(long n) throws ImageFormatException {
        position += n;
        if (position > meterLimit) {
            throw new ImageFormatException("tar headers between two members exceed the limit of "
                    + "the descriptor size (PAX header or long name too large)");
        }
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            throw new SourceIOException(e);
        }
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException e) {
            throw new SourceIOException(e);
        }
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping through read() keeps the position exact whatever the source's skip() does.
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        try {
            return in.available();
        } catch (IOException e) {
            throw new SourceIOException(e);
        }
    }

    @Override
    public void close() {
        // The caller owns the source.
    }
}
