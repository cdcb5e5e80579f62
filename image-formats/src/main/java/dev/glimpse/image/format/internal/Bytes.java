package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable window on bytes read from an image, with bounds-checked little- and big-endian
 * accessors. Every accessor checks its range and throws {@link ImageFormatException}, never an
 * {@code IndexOutOfBoundsException}, so a parser that trusts an offset it read cannot crash.
 *
 * <p>{@code offset} is where the window starts in the image; it appears in error messages only.
 */
public final class Bytes {
    private final byte[] data;
    private final long offset;

    private Bytes(byte[] data, long offset) {
        this.data = data;
        this.offset = offset;
    }

    /** Wraps {@code data} (not copied: the caller must not change it) read at {@code offset}. */
    public static Bytes wrap(byte[] data, long offset) {
        return new Bytes(data, offset);
    }

    /** The number of bytes in the window. */
    public int length() {
        return data.length;
    }

    /** Where the window starts in the image. */
    public long offset() {
        return offset;
    }

    private void check(int index, int count) throws ImageFormatException {
        if (index < 0 || count < 0 || index > data.length - count) {
            throw new ImageFormatException("read of " + count + " bytes at offset " + (offset + index)
                    + " falls outside the " + data.length + " bytes read at offset " + offset);
        }
    }

    /** The unsigned byte at {@code index}. */
    public int u8(int index) throws ImageFormatException {
        check(index, 1);
        return data[index] & 0xff;
    }

    /** The unsigned little-endian 16-bit value at {@code index}. */
    public int u16le(int index) throws ImageFormatException {
        check(index, 2);
        return (data[index] & 0xff) | (data[index + 1] & 0xff) << 8;
    }

    /** The unsigned big-endian 16-bit value at {@code index}. */
    public int u16be(int index) throws ImageFormatException {
        check(index, 2);
        return (data[index] & 0xff) << 8 | (data[index + 1] & 0xff);
    }

    /** The unsigned little-endian 32-bit value at {@code index}. */
    public long u32le(int index) throws ImageFormatException {
        check(index, 4);
        return (data[index] & 0xffL) | (data[index + 1] & 0xffL) << 8 | (data[index + 2] & 0xffL) << 16
                | (data[index + 3] & 0xffL) << 24;
    }

    /** The unsigned big-endian 32-bit value at {@code index}. */
    public long u32be(int index) throws ImageFormatException {
        check(index, 4);
        return (data[index] & 0xffL) << 24 | (data[index + 1] & 0xffL) << 16 | (data[index + 2] & 0xffL) << 8
                | (data[index + 3] & 0xffL);
    }

    /** The little-endian 64-bit value at {@code index} (may be negative: callers range-check it). */
    public long u64le(int index) throws ImageFormatException {
        check(index, 8);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (data[index + i] & 0xffL);
        }
        return value;
    }

    /** The big-endian 64-bit value at {@code index} (may be negative: callers range-check it). */
    public long u64be(int index) throws ImageFormatException {
        check(index, 8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (data[index + i] & 0xffL);
        }
        return value;
    }

    /** Whether the window holds {@code expected} at {@code index}; false (not an error) when it is too short. */
    public boolean startsWith(int index, byte[] expected) {
        if (index < 0 || index > data.length - expected.length) {
            return false;
        }
        return Arrays.equals(data, index, index + expected.length, expected, 0, expected.length);
    }

    /** Whether the window holds the ASCII text {@code expected} at {@code index}. */
    public boolean startsWith(int index, String expected) {
        return startsWith(index, expected.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code count} bytes at {@code index} as ISO-8859-1 text (one char per byte, never fails to decode). */
    public String latin1(int index, int count) throws ImageFormatException {
        check(index, count);
        return new String(data, index, count, StandardCharsets.ISO_8859_1);
    }

    /** A copy of {@code count} bytes at {@code index}. */
    public byte[] copy(int index, int count) throws ImageFormatException {
        check(index, count);
        return Arrays.copyOfRange(data, index, index + count);
    }

    /** A sub-window (a copy) of {@code count} bytes at {@code index}. */
    public Bytes slice(int index, int count) throws ImageFormatException {
        check(index, count);
        return new Bytes(Arrays.copyOfRange(data, index, index + count), offset + index);
    }

    /** Whether every byte of the window is zero. */
    public boolean isAllZero() {
        for (byte b : data) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The on-disk bytes of a GUID written in its usual text form: the first three groups
     * little-endian, the rest as written (MS-VHDX 2.2; GPT uses the same layout).
     */
    public static byte[] guid(String text) {
        String hex = text.replace("-", "");
        byte[] be = new byte[16];
        for (int i = 0; i < 16; i++) {
            be[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        byte[] out = be.clone();
        out[0] = be[3];
        out[1] = be[2];
        out[2] = be[1];
        out[3] = be[0];
        out[4] = be[5];
        out[5] = be[4];
        out[6] = be[7];
        out[7] = be[6];
        return out;
    }
}
