package dev.glimpse.cli.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reports every byte read through it to a {@link ProgressBar}. Closing it ends the bar's line and
 * closes the wrapped stream.
 */
public final class ProgressInputStream extends FilterInputStream {
    private final ProgressBar bar;

    /** Wraps {@code in}, advancing {@code bar} as bytes are read. */
    public ProgressInputStream(InputStream in, ProgressBar bar) {
        super(Objects.requireNonNull(in, "in"));
        this.bar = Objects.requireNonNull(bar, "bar");
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            bar.advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            bar.advance(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        bar.advance(skipped);
        return skipped;
    }

    @Override
    public void close() throws IOException {
        try {
            bar.finish();
        } finally {
            super.close();
        }
    }
}
