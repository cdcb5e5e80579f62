package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * MBR and GPT (UEFI 2.10 section 5): reported as detail {@code partition_table} of a raw disk (or
 * of the ISO or fixed VHD that hosts it), never as a format. Stricter than oslo's {@code gpt}
 * inspector so that boot sectors which are not partition tables (a FAT volume boot record, an x86
 * kernel's setup sector) are not mistaken for one: every entry's boot flag must be 0x00 or 0x80.
 * A GPT header whose CRC does not match is a refusal.
 */
final class PartitionTableProbe implements DetailProbe {
    @Override
    public String name() {
        return "partition_table";
    }

    @Override
    public Map<String, Object> probe(ByteSource source) throws ImageFormatException {
        Bytes mbr = source.readUpTo(0, 0x210);
        if (mbr.length() < 512 || mbr.u16le(510) != 0xAA55) {
            return Map.of();
        }
        // FAT volume boot record (two FATs, fixed-disk media descriptor) and x86 kernel setup header.
        if ((mbr.u8(16) == 2 && mbr.u8(21) == 0xF8) || mbr.startsWith(0x202, "HdrS")) {
            return Map.of();
        }
        int partitions = 0;
        boolean protective = false;
        for (int i = 0; i < 4; i++) {
            int at = 446 + 16 * i;
            int boot = mbr.u8(at);
            if (boot != 0 && boot != 0x80) {
                return Map.of();
            }
            int type = mbr.u8(at + 4);
            if (type != 0) {
                partitions++;
                protective |= type == 0xEE;
            }
        }
        if (partitions == 0) {
            return Map.of();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (!protective) {
            details.put("partition_table", "mbr");
            details.put("partitions", (long) partitions);
            return details;
        }
        details.put("partition_table", "gpt");
        for (int sector : new int[] {512, 4096}) {
            Bytes header = source.readUpTo(sector, 512);
            if (header.length() < 92 || !header.startsWith(0, "EFI PART")) {
                continue;
            }
            long size = header.u32le(12);
            if (size < 92 || size > header.length()) {
                throw new ImageFormatException("gpt: header size " + size + " is out of range");
            }
            byte[] copy = header.copy(0, (int) size);
            long stored = header.u32le(16);
            copy[16] = copy[17] = copy[18] = copy[19] = 0;
            CRC32 crc = new CRC32();
            crc.update(copy);
            if (crc.getValue() != stored) {
                throw new ImageFormatException("gpt: primary header CRC mismatch (stored 0x" + Long.toHexString(stored)
                        + ", computed 0x" + Long.toHexString(crc.getValue()) + ")");
            }
            long entries = header.u32le(80);
            long entrySize = header.u32le(84);
            if (entries > source.limits().maxTableEntries() || entrySize < 128 || entrySize > 1024
                    || entrySize % 8 != 0) {
                throw new ImageFormatException("gpt: partition array of " + entries + " entries of " + entrySize
                        + " bytes is out of range");
            }
            long lba = header.u64le(72);
            long arrayOffset = lba * sector;
            long arrayBytes = entries * entrySize;
            if (lba < 2 || lba > Long.MAX_VALUE / sector || arrayBytes > source.limits().maxRegionSize()) {
                throw new ImageFormatException("gpt: partition array at LBA " + Long.toUnsignedString(lba)
                        + " is out of range");
            }
            Bytes array = source.read(arrayOffset, (int) arrayBytes);
            CRC32 arrayCrc = new CRC32();
            arrayCrc.update(array.copy(0, (int) arrayBytes));
            if (arrayCrc.getValue() != header.u32le(88)) {
                throw new ImageFormatException("gpt: partition entry array CRC mismatch");
            }
            long used = 0;
            for (int i = 0; i < entries; i++) {
                if (!array.slice((int) (i * entrySize), 16).isAllZero()) {
                    used++;
                }
            }
            details.put("partitions", used);
            details.put("sector_size", (long) sector);
            break;
        }
        return details;
    }
}
