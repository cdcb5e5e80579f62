package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.SafetyViolation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * VHDX, checked as qemu {@code block/vhdx.c vhdx_open} does. Microsoft [MS-VHDX] v20160714: file
 * identifier at 0, headers at 64 and 128 KiB (CRC-32C), region table at 192 KiB (CRC-32C), then
 * the metadata region (1 MiB aligned, so always after the header section: streaming-friendly) with
 * its table and items. Any failure after the identifier matched is a refusal, never a "safe" VHDX of
 * size 0 (oslo's gap).
 */
final class VhdxParser implements FormatParser {
    private static final long HEADER1 = 64 * 1024;
    private static final long HEADER2 = 128 * 1024;
    private static final long REGION_TABLE = 192 * 1024;
    private static final int TABLE_SIZE = 64 * 1024;
    private static final int MAX_ENTRIES = 2047;

    private static final byte[] BAT = Bytes.guid("2DC27766-F623-4200-9D64-115E9BFD4A08");
    private static final byte[] METADATA = Bytes.guid("8B7CA206-4790-4B9A-B8FE-575F050F886E");
    private static final byte[] FILE_PARAMETERS = Bytes.guid("CAA16737-FA36-4D43-B3B6-33F0AA44E76B");
    private static final byte[] VIRTUAL_DISK_SIZE = Bytes.guid("2FA54224-CD1B-4876-B211-5DBED83BF4B8");
    private static final byte[] PAGE83 = Bytes.guid("BECA12AB-B2E6-4523-93EF-C309E000C746");
    private static final byte[] LOGICAL_SECTOR = Bytes.guid("8141BF1D-A96F-4709-BA47-F233A8FAAB5F");
    private static final byte[] PHYSICAL_SECTOR = Bytes.guid("CDA348C7-445D-4471-9CC9-E9885251C556");
    private static final byte[] PARENT_LOCATOR = Bytes.guid("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C");

    @Override
    public String name() {
        return "vhdx";
    }

    @Override
    public ParseResult parse(ByteSource source) throws ImageFormatException {
        if (!source.readUpTo(0, 8).startsWith(0, "vhdxfile")) {
            return ParseResult.noMatch();
        }
        Bytes ident = source.read(0, 8 + 512);
        String creator = new String(ident.copy(8, 512), StandardCharsets.UTF_16LE);
        int nul = creator.indexOf('\0');
        creator = nul < 0 ? creator : creator.substring(0, nul);

        Header h1 = header(source.read(HEADER1, 4096));
        Header h2 = header(source.read(HEADER2, 4096));
        Header current;
        if (h1 == null && h2 == null) {
            throw new ImageFormatException("vhdx: neither header at 64 KiB nor at 128 KiB is valid");
        } else if (h1 == null || h2 == null) {
            current = h1 == null ? h2 : h1;
        } else if (h1.sequence == h2.sequence) {
            if (!h1.equals(h2)) {
                throw new ImageFormatException("vhdx: both headers have sequence " + h1.sequence + " but differ");
            }
            current = h1;
        } else {
            current = Long.compareUnsigned(h1.sequence, h2.sequence) > 0 ? h1 : h2;
        }
        if (current.logPending) {
            throw new ImageFormatException("vhdx: the log must be replayed (non-zero log GUID); refused");
        }

        Bytes table = source.read(REGION_TABLE, TABLE_SIZE);
        if (!table.startsWith(0, "regi")) {
            throw new ImageFormatException("vhdx: no region table signature at 192 KiB");
        }
        checkCrc(table, "region table");
        long count = table.u32le(8);
        if (count > Math.min(MAX_ENTRIES, source.limits().maxTableEntries())) {
            throw new ImageFormatException("vhdx: region table lists " + count + " entries");
        }
        long metadataOffset = -1;
        long metadataLength = 0;
        boolean batSeen = false;
        long batLength = 0;
        List<long[]> spans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = 16 + i * 32;
            byte[] id = table.copy(at, 16);
            long offset = table.u64le(at + 16);
            long length = table.u32le(at + 24);
            long flags = table.u32le(at + 28);
            if (offset < 1024 * 1024 || offset % (1024 * 1024) != 0 || length == 0 || length % (1024 * 1024) != 0) {
                throw new ImageFormatException("vhdx: region " + i + " at offset " + Long.toUnsignedString(offset)
                        + " of " + length + " bytes is not 1 MiB aligned after the header section");
            }
            for (long[] span : spans) {
                if (offset < span[1] && span[0] < offset + length) {
                    throw new ImageFormatException("vhdx: regions overlap at offset " + offset);
                }
            }
            spans.add(new long[] {offset, offset + length});
            if (java.util.Arrays.equals(id, BAT)) {
                if (batSeen) {
                    throw new ImageFormatException("vhdx: region table lists the BAT twice");
                }
                batSeen = true;
                batLength = length;
            } else if (java.util.Arrays.equals(id, METADATA)) {
                if (metadataOffset >= 0) {
                    throw new ImageFormatException("vhdx: region table lists the metadata region twice");
                }
                metadataOffset = offset;
                metadataLength = length;
            } else if ((flags & 1) != 0) {
                throw new ImageFormatException("vhdx: unknown required region " + i);
            }
        }
        if (!batSeen || metadataOffset < 0) {
            throw new ImageFormatException("vhdx: region table lacks the " + (batSeen ? "metadata region" : "BAT"));
        }

        Bytes metadata = source.read(metadataOffset, TABLE_SIZE);
        if (!metadata.startsWith(0, "metadata")) {
            throw new ImageFormatException("vhdx: no metadata table signature at offset " + metadataOffset);
        }
        int entries = metadata.u16le(10);
        if (entries > MAX_ENTRIES || entries > source.limits().maxTableEntries()) {
            throw new ImageFormatException("vhdx: metadata table lists " + entries + " entries");
        }
        Map<String, long[]> items = new HashMap<>();
        List<SafetyViolation> violations = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            int at = 32 + i * 32;
            byte[] id = metadata.copy(at, 16);
            long offset = metadata.u32le(at + 16);
            long length = metadata.u32le(at + 20);
            long flags = metadata.u32le(at + 24);
            String known = known(id);
            if (known == null) {
                if ((flags & 4) != 0) {
                    throw new ImageFormatException("vhdx: unknown required metadata item " + i);
                }
                continue;
            }
            if (items.containsKey(known)) {
                throw new ImageFormatException("vhdx: metadata item " + known + " appears twice");
            }
            if (known.equals("parent_locator")) {
                violations.add(new SafetyViolation("backing_file", "vhdx differencing disk (parent locator)"));
                items.put(known, new long[] {offset, 0});
                continue;
            }
            if (offset < TABLE_SIZE || length > 4096 || offset + length > metadataLength) {
                throw new ImageFormatException("vhdx: metadata item " + known + " (" + length + " bytes at "
                        + offset + ") lies outside the metadata region");
            }
            int minimum = switch (known) {
                case "file_parameters", "virtual_disk_size" -> 8;
                case "page83" -> 16;
                default -> 4;
            };
            if (length < minimum) {
                throw new ImageFormatException("vhdx: metadata item " + known + " is " + length
                        + " bytes long, less than its " + minimum + " bytes");
            }
            items.put(known, new long[] {offset, length});
        }
        for (String required : List.of("file_parameters", "virtual_disk_size", "page83", "logical_sector_size",
                "physical_sector_size")) {
            if (!items.containsKey(required)) {
                throw new ImageFormatException("vhdx: required metadata item " + required + " is missing");
            }
        }
        // Read the items in file order, as a stream delivers them.
        Map<String, Bytes> values = new HashMap<>();
        List<Map.Entry<String, long[]>> ordered = new ArrayList<>(items.entrySet());
        ordered.removeIf(e -> e.getKey().equals("parent_locator"));
        ordered.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).thenComparing(Map.Entry::getKey));
        for (Map.Entry<String, long[]> item : ordered) {
            values.put(item.getKey(), source.read(metadataOffset + item.getValue()[0], (int) item.getValue()[1]));
        }
        Bytes parameters = values.get("file_parameters");
        long blockSize = parameters.u32le(0);
        long parameterFlags = parameters.u32le(4);
        if (blockSize < 1024 * 1024 || blockSize > 256L * 1024 * 1024 || Long.bitCount(blockSize) != 1) {
            throw new ImageFormatException("vhdx: block size " + blockSize + " is not a power of two of 1..256 MiB");
        }
        if ((parameterFlags & 2) != 0 && violations.isEmpty()) {
            violations.add(new SafetyViolation("backing_file", "vhdx differencing disk (has-parent flag)"));
        }
        long size = values.get("virtual_disk_size").u64le(0);
        if (size < 0 || size > 64L << 40) {
            throw new ImageFormatException("vhdx: virtual disk size " + Long.toUnsignedString(size) + " exceeds 64 TiB");
        }
        long logical = values.get("logical_sector_size").u32le(0);
        long physical = values.get("physical_sector_size").u32le(0);
        if (logical != 512) {
            throw new ImageFormatException("vhdx: logical sector size " + logical + " is not supported by qemu (512 only)");
        }
        if (physical != 512 && physical != 4096) {
            throw new ImageFormatException("vhdx: physical sector size " + physical + " is not 512 or 4096");
        }
        if (violations.isEmpty()) {
            // qemu's vhdx_calc_bat_entries (uint32 arithmetic) and its "Invalid BAT entry count" refusal:
            // a BAT region too small for the virtual size is an image qemu cannot open.
            long chunkRatio = (1L << 23) * logical / blockSize;
            long dataBlocks = (size + blockSize - 1) / blockSize;
            long batEntries = dataBlocks + (((dataBlocks - 1) & 0xFFFFFFFFL) >>> Long.numberOfTrailingZeros(chunkRatio));
            if (batEntries > batLength / 8) {
                throw new ImageFormatException("vhdx: BAT region of " + batLength + " bytes cannot hold the " + batEntries
                        + " entries a virtual size of " + size + " needs");
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("vhdx_type", (parameterFlags & 2) != 0 ? "differencing" : (parameterFlags & 1) != 0 ? "fixed" : "dynamic");
        details.put("block_size", blockSize);
        details.put("logical_sector_size", logical);
        details.put("physical_sector_size", physical);
        details.put("creator", Qcow2Parser.printable(creator));
        return ParseResult.match(name(), size / 512 * 512, details, violations);
    }

    private static String known(byte[] id) {
        if (java.util.Arrays.equals(id, FILE_PARAMETERS)) {
            return "file_parameters";
        } else if (java.util.Arrays.equals(id, VIRTUAL_DISK_SIZE)) {
            return "virtual_disk_size";
        } else if (java.util.Arrays.equals(id, PAGE83)) {
            return "page83";
        } else if (java.util.Arrays.equals(id, LOGICAL_SECTOR)) {
            return "logical_sector_size";
        } else if (java.util.Arrays.equals(id, PHYSICAL_SECTOR)) {
            return "physical_sector_size";
        } else if (java.util.Arrays.equals(id, PARENT_LOCATOR)) {
            return "parent_locator";
        }
        return null;
    }

    private record Header(long sequence, boolean logPending, List<Byte> content) {}

    /** A valid header ([MS-VHDX] 2.2.2: "head", CRC-32C over 4 KiB, version 1), or null. */
    private static Header header(Bytes bytes) throws ImageFormatException {
        if (!bytes.startsWith(0, "head") || bytes.u16le(66) != 1) {
            return null;
        }
        byte[] copy = bytes.copy(0, 4096);
        long stored = bytes.u32le(4);
        copy[4] = copy[5] = copy[6] = copy[7] = 0;
        CRC32C crc = new CRC32C();
        crc.update(copy);
        if (crc.getValue() != stored) {
            return null;
        }
        boolean log = !bytes.slice(48, 16).isAllZero();
        List<Byte> content = new ArrayList<>(4096);
        for (byte b : copy) {
            content.add(b);
        }
        return new Header(bytes.u64le(8), log, content);
    }

    private static void checkCrc(Bytes bytes, String what) throws ImageFormatException {
        byte[] copy = bytes.copy(0, bytes.length());
        long stored = bytes.u32le(4);
        copy[4] = copy[5] = copy[6] = copy[7] = 0;
        CRC32C crc = new CRC32C();
        crc.update(copy);
        if (crc.getValue() != stored) {
            throw new ImageFormatException("vhdx: " + what + " checksum mismatch");
        }
    }
}
