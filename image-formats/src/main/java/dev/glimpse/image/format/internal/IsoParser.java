package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ISO 9660 (ECMA-119 8.4, 8.5) with the UDF bridge (ECMA-167 2/9.1 volume recognition sequence):
 * volume descriptors from sector 16, 2048 bytes each. Descriptors are scanned to the end of the
 * recognition area rather than expecting the primary descriptor exactly at sector 16 (oslo Q10).
 *
 * <p>Virtual size is what qemu, which has no ISO driver and reads the file as raw, reports: the
 * file length rounded up to a sector. That is what the guest sees, including partitions appended
 * after the ISO volume in hybrid images (e.g. an EFI system partition). oslo and Glance report the
 * primary volume's size instead; it is kept as detail {@code volume_size}. For genisoimage and
 * xorriso output without appended partitions the two are equal.
 */
final class IsoParser implements FormatParser {
    private static final long FIRST = 16 * 2048;
    private static final int MAX_DESCRIPTORS = 64;
    private static final Set<String> IDS = Set.of("CD001", "BEA01", "NSR02", "NSR03", "TEA01", "BOOT2", "CDW02");

    @Override
    public String name() {
        return "iso";
    }

    @Override
    public ParseResult parse(ByteSource source) throws ImageFormatException {
        Bytes first = source.readUpTo(FIRST, 8);
        if (first.length() < 6 || !IDS.contains(first.latin1(1, 5))) {
            return ParseResult.noMatch();
        }
        long volumeSize = -1;
        long blockSize = 0;
        boolean udf = false;
        boolean elTorito = false;
        boolean terminated = false;
        String volumeId = null;
        for (int i = 0; i < MAX_DESCRIPTORS; i++) {
            long offset = FIRST + i * 2048L;
            Bytes d = source.readUpTo(offset, 2048);
            if (d.length() < 6 || !IDS.contains(d.latin1(1, 5))) {
                if (i == 0 || d.length() == 2048 || d.length() == 0) {
                    break;
                }
                throw new ImageFormatException("iso: volume descriptor at sector " + (16 + i) + " is truncated");
            }
            if (d.length() < 2048) {
                throw new ImageFormatException("iso: volume descriptor at sector " + (16 + i) + " is truncated");
            }
            String id = d.latin1(1, 5);
            int type = d.u8(0);
            if (id.startsWith("NSR")) {
                udf = true;
            }
            if (!id.equals("CD001")) {
                continue;
            }
            if (d.u8(6) != 1) {
                throw new ImageFormatException("iso: volume descriptor at sector " + (16 + i) + " has version " + d.u8(6));
            }
            if (type == 255) {
                terminated = true;
            } else if (type == 0 && d.startsWith(7, "EL TORITO SPECIFICATION")) {
                elTorito = true;
            } else if (type == 1 && volumeSize < 0) {
                long vssLe = d.u32le(80);
                long vssBe = d.u32be(84);
                int lbsLe = d.u16le(128);
                int lbsBe = d.u16be(130);
                if (vssLe != vssBe || lbsLe != lbsBe) {
                    throw new ImageFormatException("iso: primary volume descriptor's both-endian fields disagree");
                }
                if (lbsLe != 512 && lbsLe != 1024 && lbsLe != 2048) {
                    throw new ImageFormatException("iso: logical block size " + lbsLe + " is not 512, 1024 or 2048");
                }
                if (vssLe * lbsLe <= FIRST) {
                    throw new ImageFormatException("iso: volume of " + vssLe + " blocks ends inside the system area");
                }
                volumeSize = vssLe * lbsLe;
                blockSize = lbsLe;
                volumeId = LuksParser.cString(d, 40, 32).strip();
            }
        }
        if (volumeSize < 0 && !udf) {
            throw new ImageFormatException("iso: volume descriptors but no primary volume descriptor");
        }
        if (volumeSize >= 0 && !terminated) {
            throw new ImageFormatException("iso: no volume descriptor set terminator");
        }
        long length = source.length();
        if (volumeSize > length) {
            throw new ImageFormatException("iso: volume of " + volumeSize + " bytes but the image holds only " + length);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("volume_size", volumeSize >= 0 ? volumeSize : length);
        if (blockSize > 0) {
            details.put("logical_block_size", blockSize);
        }
        if (volumeId != null) {
            details.put("volume_id", Qcow2Parser.printable(volumeId));
        }
        details.put("udf", udf);
        details.put("el_torito", elTorito);
        return ParseResult.match(name(), (length + 511) / 512 * 512, details, List.of());
    }
}
