package dev.glimpse.image.internal.data;

import dev.glimpse.image.ChecksumMismatchException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Hashes and counts the bytes read through it and, at the end of the stream, throws
 * {@link ChecksumMismatchException} instead of returning -1 if they are not the expected ones.
 * Skipped bytes are read and hashed too.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final String imageId;
    private final MessageDigest digest;
    private final String algorithm;
    private final String expectedHash;
    private final long expectedSize;
    private long count;
    private boolean checked;
    private @Nullable ChecksumMismatchException failure;

    VerifyingInputStream(InputStream in, String imageId, String algorithm, String expectedHash, long expectedSize) {
        super(in);
        this.imageId = imageId;
        this.algorithm = algorithm;
        this.digest = HashAlgorithms.digest(algorithm);
        this.expectedHash = expectedHash.toLowerCase(Locale.ROOT);
        this.expectedSize = expectedSize;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            verify();
            return -1;
        }
        digest.update(b, off, n);
        count += n;
        if (count > expectedSize) {
            fail("image " + imageId + " data is longer than its recorded size of " + expectedSize + " bytes");
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be hashed too, or the check would prove nothing.
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 64 * 1024)];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {}

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void verify() throws ChecksumMismatchException {
        if (checked) {
            return;
        }
        if (count != expectedSize) {
            fail("image " + imageId + " data is " + count + " bytes, but its recorded size is " + expectedSize);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expectedHash)) {
            fail("image " + imageId + " data does not match its recorded " + algorithm + " hash (expected "
                    + expectedHash + ", got " + actual + "): the stored data is damaged");
        }
        checked = true;
    }

    private void fail(String message) throws ChecksumMismatchException {
        failure = new ChecksumMismatchException(message);
        throw failure;
    }
}
