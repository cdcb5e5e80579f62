package dev.glimpse.image.format.internal.container;

import java.util.List;
import java.util.Optional;

/**
 * The compressed formats Glance's {@code compressed} container covers, recognised only by the
 * magic at offset 0. Nothing is ever decompressed: a compression bomb costs what its compressed
 * bytes cost.
 */
enum Compression {
    /** RFC 1952 member header: ID1 ID2, CM = 8 (deflate). */
    GZIP("gzip", List.of(bytes(0x1f, 0x8b, 0x08))),
    /** "BZh" and a block size digit 1-9. */
    BZIP2("bzip2", List.of(bytes('B', 'Z', 'h', '1'), bytes('B', 'Z', 'h', '2'), bytes('B', 'Z', 'h', '3'),
            bytes('B', 'Z', 'h', '4'), bytes('B', 'Z', 'h', '5'), bytes('B', 'Z', 'h', '6'), bytes('B', 'Z', 'h', '7'),
            bytes('B', 'Z', 'h', '8'), bytes('B', 'Z', 'h', '9'))),
    /** xz stream header magic. */
    XZ("xz", List.of(bytes(0xfd, '7', 'z', 'X', 'Z', 0x00))),
    /** RFC 8878 frame magic 0xFD2FB528, little-endian. */
    ZSTD("zstd", List.of(bytes(0x28, 0xb5, 0x2f, 0xfd))),
    /** Local file header, end of central directory (empty archive), spanned archive marker. */
    ZIP("zip", List.of(bytes('P', 'K', 3, 4), bytes('P', 'K', 5, 6), bytes('P', 'K', 7, 8))),
    /** LZ4 frame magic 0x184D2204 and the legacy frame magic 0x184C2102, little-endian. */
    LZ4("lz4", List.of(bytes(0x04, 0x22, 0x4d, 0x18), bytes(0x02, 0x21, 0x4c, 0x18)));

    private final String wireName;
    private final List<byte[]> magics;

    Compression(String wireName, List<byte[]> magics) {
        this.wireName = wireName;
        this.magics = magics;
    }

    String wireName() {
        return wireName;
    }

    /** The compression whose magic {@code head} (the first bytes of the data) starts with. */
    static Optional<Compression> detect(byte[] head, int length) {
        for (Compression compression : values()) {
            for (byte[] magic : compression.magics) {
                if (length >= magic.length && java.util.Arrays.equals(head, 0, magic.length, magic, 0, magic.length)) {
                    return Optional.of(compression);
                }
            }
        }
        return Optional.empty();
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }
}
