package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.SafetyViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * qcow2 (versions 2 and 3) and the old qcow v1, which shares the magic and is refused. Layout:
 * qemu {@code docs/interop/qcow2.txt} ("Header", "Header extensions"), checked as
 * {@code block/qcow2.c qcow2_do_open} does.
 */
final class Qcow2Parser implements FormatParser {
    private static final byte[] MAGIC = {'Q', 'F', 'I', (byte) 0xFB};
    /** Incompatible feature bits qemu 7.2 knows: dirty, corrupt, data file, compression type, extended L2. */
    private static final long KNOWN_INCOMPATIBLE = 0x1F;
    private static final long EXT_END = 0;
    private static final long EXT_BACKING_FORMAT = 0xE2792ACAL;
    private static final long EXT_FEATURE_TABLE = 0x6803F857L;
    private static final long EXT_CRYPTO = 0x0537BE77L;
    private static final long EXT_BITMAPS = 0x23852875L;
    private static final long EXT_DATA_FILE = 0x44415441L;
    /** qemu's QCOW_MAX_L1_SIZE (32 MiB of 8-byte entries). */
    private static final long MAX_L1_ENTRIES = 32L * 1024 * 1024 / 8;
    /** qemu's QCOW_MAX_REFTABLE_SIZE. */
    private static final long MAX_REFCOUNT_TABLE_BYTES = 8L * 1024 * 1024;
    /** qemu's QCOW_MAX_SNAPSHOTS, and the size of the fixed part of a snapshot header. */
    private static final long MAX_SNAPSHOTS = 65536;
    private static final long SNAPSHOT_HEADER_BYTES = 40;

    @Override
    public String name() {
        return "qcow2";
    }

    @Override
    public ParseResult parse(ByteSource source) throws ImageFormatException {
        Bytes magic = source.readUpTo(0, 4);
        if (!magic.startsWith(0, MAGIC)) {
            return ParseResult.noMatch();
        }
        long version = source.read(0, 8).u32be(4);
        if (version == 1) {
            return parseQcow1(source);
        }
        if (version != 2 && version != 3) {
            throw new ImageFormatException("qcow2: unsupported version " + version + " (qemu reads 2 and 3)");
        }
        Bytes h = source.read(0, version == 2 ? 72 : 104);
        long headerLength = version == 2 ? 72 : h.u32be(100);
        long clusterBits = h.u32be(20);
        if (clusterBits < 9 || clusterBits > 21) {
            throw new ImageFormatException("qcow2: cluster_bits " + clusterBits + " outside 9..21");
        }
        long clusterSize = 1L << clusterBits;
        if (version == 3 && (headerLength < 104 || headerLength % 8 != 0 || headerLength > clusterSize)) {
            throw new ImageFormatException("qcow2: header length " + headerLength
                    + " must be a multiple of 8 between 104 and the cluster size " + clusterSize);
        }
        if (headerLength > 104) {
            h = source.read(0, (int) headerLength);
        }
        long size = h.u64be(24);
        if (size < 0) {
            throw new ImageFormatException("qcow2: virtual size " + Long.toUnsignedString(size) + " is out of range");
        }
        long cryptMethod = h.u32be(32);
        if (cryptMethod > 2) {
            throw new ImageFormatException("qcow2: unknown encryption method " + cryptMethod);
        }
        long l1Size = h.u32be(36);
        if (l1Size > MAX_L1_ENTRIES) {
            throw new ImageFormatException("qcow2: L1 table of " + l1Size + " entries exceeds qemu's limit");
        }
        if (h.u32be(56) == 0) {
            throw new ImageFormatException("qcow2: refcount table has no clusters");
        }
        // The three tables qemu validates on open (qcow2_validate_table): a header qemu refuses must
        // not pass as a safe qcow2, whatever the tables' contents.
        validateTable(h.u64be(40), l1Size, 8, MAX_L1_ENTRIES * 8, clusterSize, "active L1 table");
        validateTable(h.u64be(48), h.u32be(56), clusterSize, MAX_REFCOUNT_TABLE_BYTES, clusterSize, "refcount table");
        validateTable(h.u64be(64), h.u32be(60), SNAPSHOT_HEADER_BYTES, SNAPSHOT_HEADER_BYTES * MAX_SNAPSHOTS,
                clusterSize, "snapshot table");
        long incompatible = version == 3 ? h.u64be(72) : 0;
        long compatible = version == 3 ? h.u64be(80) : 0;
        long autoclear = version == 3 ? h.u64be(88) : 0;
        long refcountOrder = version == 3 ? h.u32be(96) : 4;
        if (refcountOrder > 6) {
            throw new ImageFormatException("qcow2: refcount order " + refcountOrder + " exceeds 6");
        }
        boolean extendedL2 = (incompatible & 0x10) != 0;
        long l2Entries = clusterSize / (extendedL2 ? 16 : 8);
        // qemu: the L1 table must cover the virtual size.
        long bytesPerL1 = clusterSize * l2Entries;
        long neededL1 = size / bytesPerL1 + (size % bytesPerL1 == 0 ? 0 : 1);
        if (l1Size < neededL1) {
            throw new ImageFormatException("qcow2: L1 table of " + l1Size + " entries cannot map the virtual size "
                    + size + " (needs " + neededL1 + ")");
        }
        int compressionType = 0;
        if (headerLength > 104) {
            compressionType = h.u8(104);
            if (compressionType > 1) {
                throw new ImageFormatException("qcow2: unknown compression type " + compressionType);
            }
            if ((compressionType == 1) != ((incompatible & 0x08) != 0)) {
                throw new ImageFormatException(
                        "qcow2: compression type " + compressionType + " disagrees with incompatible feature bit 3");
            }
        } else if ((incompatible & 0x08) != 0) {
            throw new ImageFormatException("qcow2: compression type bit set but the header has no compression type");
        }

        List<SafetyViolation> violations = new ArrayList<>();
        long backingOffset = h.u64be(8);
        long backingSize = h.u32be(16);
        String backingName = null;
        if (backingOffset != 0) {
            if (backingOffset < 0 || backingOffset > clusterSize || backingSize > 1023
                    || backingSize > clusterSize - backingOffset) {
                throw new ImageFormatException("qcow2: backing file name (offset " + Long.toUnsignedString(backingOffset)
                        + ", " + backingSize + " bytes) lies outside the first cluster");
            }
            backingName = source.read(backingOffset, (int) backingSize).latin1(0, (int) backingSize);
        }

        // Header extensions run from the end of the header to the backing file name or the end of cluster 0.
        long extensionsEnd = backingOffset != 0 ? backingOffset : clusterSize;
        Map<Long, String> extensions = readExtensions(source, headerLength, extensionsEnd);

        if (backingName != null) {
            violations.add(new SafetyViolation("backing_file", "qcow2 backing file '" + printable(backingName) + "'"));
        }
        if ((incompatible & 0x04) != 0) {
            String name = extensions.get(EXT_DATA_FILE);
            violations.add(new SafetyViolation("data_file", "qcow2 external data file"
                    + (name == null ? "" : " '" + printable(name) + "'")));
        }
        long unknown = incompatible & ~KNOWN_INCOMPATIBLE;
        if (unknown != 0) {
            violations.add(new SafetyViolation("unknown_features",
                    "qcow2 unknown incompatible feature bits 0x" + Long.toHexString(unknown)));
        }
        if (cryptMethod == 1) {
            violations.add(new SafetyViolation("encryption", "qcow2 legacy AES encryption, refused by qemu"));
        }

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", version);
        details.put("compat", version == 2 ? "0.10" : "1.1");
        details.put("cluster_size", clusterSize);
        details.put("refcount_bits", 1L << refcountOrder);
        details.put("lazy_refcounts", (compatible & 1) != 0);
        details.put("extended_l2", extendedL2);
        details.put("compression_type", compressionType == 1 ? "zstd" : "zlib");
        details.put("dirty", (incompatible & 1) != 0);
        details.put("corrupt", (incompatible & 2) != 0);
        details.put("encrypted", cryptMethod != 0);
        details.put("bitmaps", (autoclear & 1) != 0);
        if (extensions.containsKey(EXT_BACKING_FORMAT)) {
            details.put("backing_format", printable(extensions.get(EXT_BACKING_FORMAT)));
        }
        // qemu floors the size to whole sectors.
        return ParseResult.match(name(), size / 512 * 512, details, violations);
    }

    /**
     * qemu's {@code qcow2_validate_table}: at most {@code maxBytes} of entries, and an offset that is
     * cluster aligned and leaves room for the table below 2^63.
     */
    private static void validateTable(long offset, long entries, long entryBytes, long maxBytes, long clusterSize,
            String table) throws ImageFormatException {
        if (entries > maxBytes / entryBytes) {
            throw new ImageFormatException("qcow2: " + table + " of " + entries + " entries exceeds qemu's limit of "
                    + maxBytes + " bytes");
        }
        if (offset < 0 || Long.MAX_VALUE - entries * entryBytes < offset || offset % clusterSize != 0) {
            throw new ImageFormatException("qcow2: " + table + " offset " + Long.toUnsignedString(offset)
                    + " is not cluster aligned or leaves no room for its " + entries + " entries");
        }
    }

    /** Walks the header extensions; returns the text of the ones reported (backing format, data file). */
    private static Map<Long, String> readExtensions(ByteSource source, long start, long end) throws ImageFormatException {
        Map<Long, String> found = new LinkedHashMap<>();
        long offset = start;
        int limit = source.limits().maxTableEntries();
        for (int count = 0; ; count++) {
            if (count >= limit) {
                throw new ImageFormatException("qcow2: more than " + limit + " header extensions (maxTableEntries)");
            }
            if (offset + 8 > end) {
                // No room for another record: qemu stops here too.
                return found;
            }
            Bytes record = source.read(offset, 8);
            long type = record.u32be(0);
            long length = record.u32be(4);
            if (type == EXT_END) {
                return found;
            }
            long padded = (length + 7) / 8 * 8;
            if (padded > end - offset - 8) {
                throw new ImageFormatException("qcow2: header extension 0x" + Long.toHexString(type) + " of " + length
                        + " bytes at offset " + offset + " runs past the first cluster");
            }
            if (type == EXT_BACKING_FORMAT || type == EXT_DATA_FILE) {
                if (length > 1023) {
                    throw new ImageFormatException("qcow2: header extension 0x" + Long.toHexString(type)
                            + " of " + length + " bytes is too long for a name");
                }
                found.put(type, source.read(offset + 8, (int) length).latin1(0, (int) length));
            } else if (type == EXT_CRYPTO && length != 16) {
                throw new ImageFormatException("qcow2: crypto header extension must be 16 bytes, not " + length);
            } else if (type == EXT_FEATURE_TABLE && length % 48 != 0) {
                throw new ImageFormatException("qcow2: feature name table length " + length + " is not a multiple of 48");
            } else if (type == EXT_BITMAPS && length < 24) {
                throw new ImageFormatException("qcow2: bitmaps extension of " + length + " bytes is too short");
            }
            offset += 8 + padded;
        }
    }

    private ParseResult parseQcow1(ByteSource source) throws ImageFormatException {
        // block/qcow.c QCowHeader: 48 bytes, backing file offset u64 @8, size u64 @24.
        Bytes h = source.read(0, 48);
        long size = h.u64be(24);
        List<SafetyViolation> violations = new ArrayList<>();
        violations.add(new SafetyViolation("unsupported_format",
                "qcow version 1 is not supported (obsolete format with backing files)"));
        if (h.u64be(8) != 0) {
            violations.add(new SafetyViolation("backing_file", "qcow v1 image has a backing file"));
        }
        return ParseResult.match("qcow", size < 0 ? -1 : size, Map.of("version", 1L), violations);
    }

    /** Names read from an image are shown to people: keep them short and free of control characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 256; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
