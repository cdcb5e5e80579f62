package dev.glimpse.image.format.internal.container;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Names the format inside a compressed file when that is cheap and bounded: at most
 * {@link #MAX_COMPRESSED} compressed bytes are read and at most {@link #MAX_OUTPUT} bytes
 * decompressed, then the output's first bytes are matched against a few signatures. So a
 * compression bomb costs no more than any other file: its expansion stops at 64 KiB.
 *
 * <p>Only the decompressors Glimpse can run without native code are used (gzip from the JDK;
 * bzip2, lz4 and zip from commons-compress); for xz and zstd nothing is said. A stream that
 * cannot be decoded this far yields no answer rather than a refusal: the container format only
 * promises recognition by magic.
 */
final class CompressedPeek {
    /** Compressed bytes looked at, at most. */
    static final int MAX_COMPRESSED = 1024 * 1024;
    /** Decompressed bytes produced, at most: enough for an ISO 9660 volume descriptor at 32 KiB. */
    static final int MAX_OUTPUT = 64 * 1024;

    private CompressedPeek() {}

    /** The format found at the start of the decompressed data, if any. */
    static Optional<String> innerFormat(Compression compression, byte[] head, int length) {
        byte[] output = new byte[MAX_OUTPUT];
        int produced;
        try (InputStream in = open(compression, new ByteArrayInputStream(head, 0, Math.min(length, MAX_COMPRESSED)))) {
            if (in == null) {
                return Optional.empty();
            }
            produced = fill(in, output);
        } catch (IOException | RuntimeException e) {
            // Truncated at our 1 MiB window, or corrupt: either way there is nothing cheap to say.
            return Optional.empty();
        }
        return signature(output, produced);
    }

    private static @Nullable InputStream open(Compression compression, InputStream compressed) throws IOException {
        return switch (compression) {
            case GZIP -> new GZIPInputStream(compressed);
            case BZIP2 -> new BZip2CompressorInputStream(compressed);
            case LZ4 -> new FramedLZ4CompressorInputStream(compressed);
            case ZIP -> {
                ZipArchiveInputStream zip = new ZipArchiveInputStream(compressed);
                ZipArchiveEntry entry = zip.getNextEntry();
                yield entry == null ? null : zip;
            }
            case XZ, ZSTD -> null;
        };
    }

    /** Reads until {@code output} is full or the stream ends; a failure after some output keeps what was read. */
    private static int fill(InputStream in, byte[] output) throws IOException {
        int filled = 0;
        while (filled < output.length) {
            int n;
            try {
                n = in.read(output, filled, output.length - filled);
            } catch (IOException e) {
                if (filled == 0) {
                    throw e;
                }
                break;
            }
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    private static boolean at(byte[] data, int length, int offset, String magic) {
        if (offset + magic.length() > length) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (data[offset + i] != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The format whose signature {@code data} carries, among those worth naming inside a compressed file. */
    static Optional<String> signature(byte[] data, int length) {
        if (at(data, length, 0, "QFI\u00fb") && length >= 8) {
            return Optional.of(data[7] == 1 ? "qcow" : "qcow2");
        }
        if (at(data, length, 0, "KDMV") || at(data, length, 0, "# Disk DescriptorFile")) {
            return Optional.of("vmdk");
        }
        if (at(data, length, 0, "vhdxfile")) {
            return Optional.of("vhdx");
        }
        if (at(data, length, 0, "conectix")) {
            return Optional.of("vhd");
        }
        if (at(data, length, 64, "\u007f\u0010\u00da\u00be")) {
            return Optional.of("vdi");
        }
        if (at(data, length, 0, "QED\0")) {
            return Optional.of("qed");
        }
        if (at(data, length, 0, "LUKS\u00ba\u00be")) {
            return Optional.of("luks");
        }
        if (at(data, length, 257, "ustar")) {
            return Optional.of("tar");
        }
        if (at(data, length, 32769, "CD001")) {
            return Optional.of("iso");
        }
        return Compression.detect(data, length).map(Compression::wireName);
    }
}
