package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.SafetyViolation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * VHD (qemu's {@code vpc}), dynamic and fixed. Microsoft "Virtual Hard Disk Image Format
 * Specification" 1.0: a 512-byte footer at the end of the file, copied to offset 0 in dynamic and
 * differencing disks, whose dynamic header follows at {@code data offset}.
 *
 * <p>Virtual size follows qemu's {@code vpc_open} (qemu 10, "vpc: Read images exported from Azure
 * correctly"): cylinders × heads × sectors for images written by Virtual PC ({@code "vpc "}) and
 * qemu ({@code "qemu"}), {@code current_size} for every other creator and whenever the geometry is
 * the maximum 65535/16/255. qemu 7.2 also used the geometry for unknown creators; Glimpse follows
 * the newer rule, which reads Azure images correctly.
 */
final class VhdParser implements FormatParser {
    private static final byte[] COOKIE = "conectix".getBytes(StandardCharsets.ISO_8859_1);
    private static final Set<String> CHS_CREATORS = Set.of("vpc ", "qemu");
    /** qemu's VHD_MAX_SECTORS: 0xff000000 sectors (2040 GiB). */
    private static final long MAX_SECTORS = 0xff000000L;

    @Override
    public String name() {
        return "vhd";
    }

    @Override
    public ParseResult parse(ByteSource source) throws ImageFormatException {
        Bytes start = source.readUpTo(0, 512);
        if (start.startsWith(0, COOKIE)) {
            return dynamic(source, source.read(0, 512));
        }
        long length = source.length();
        if (length < 512) {
            return ParseResult.noMatch();
        }
        Bytes footer = source.read(length - 512, 512);
        if (!footer.startsWith(0, COOKIE)) {
            return ParseResult.noMatch();
        }
        Footer f = parseFooter(footer);
        if (f.diskType != 2) {
            throw new ImageFormatException("vhd: the footer at the end of the file has disk type " + f.diskType
                    + " but no copy at offset 0; only fixed disks (type 2) keep the footer at the end alone");
        }
        if (f.currentSize != length - 512) {
            throw new ImageFormatException("vhd: fixed disk footer says " + f.currentSize
                    + " bytes of data but the file holds " + (length - 512)
                    + "; a footer inconsistent with the file is refused (VHD/raw polyglot)");
        }
        Map<String, Object> details = f.details("fixed");
        return ParseResult.match(name(), f.virtualSize, details, List.of());
    }

    private ParseResult dynamic(ByteSource source, Bytes footer) throws ImageFormatException {
        Footer f = parseFooter(footer);
        if (f.diskType != 3 && f.diskType != 4) {
            throw new ImageFormatException("vhd: footer at offset 0 has disk type " + f.diskType
                    + "; only dynamic (3) and differencing (4) disks carry it there");
        }
        if (f.dataOffset < 512 || f.dataOffset > Long.MAX_VALUE - 1024) {
            throw new ImageFormatException("vhd: dynamic header offset " + Long.toUnsignedString(f.dataOffset)
                    + " is out of range");
        }
        Bytes dyn = source.read(f.dataOffset, 1024);
        if (!dyn.startsWith(0, "cxsparse")) {
            throw new ImageFormatException("vhd: no 'cxsparse' dynamic disk header at offset " + f.dataOffset);
        }
        long batOffset = dyn.u64be(16);
        long maxEntries = dyn.u32be(28);
        long blockSize = dyn.u32be(32);
        if (blockSize < 512 || Long.bitCount(blockSize) != 1) {
            throw new ImageFormatException("vhd: block size " + blockSize + " is not a power of two of at least 512");
        }
        if (maxEntries * blockSize < f.virtualSize) {
            throw new ImageFormatException("vhd: block table of " + maxEntries + " blocks of " + blockSize
                    + " bytes cannot hold the virtual size " + f.virtualSize);
        }
        List<SafetyViolation> violations = new ArrayList<>();
        String type = "dynamic";
        if (f.diskType == 4) {
            type = "differencing";
            String parent = new String(dyn.copy(64, 512), StandardCharsets.UTF_16BE);
            int nul = parent.indexOf('\0');
            violations.add(new SafetyViolation("backing_file", "vhd differencing disk with parent '"
                    + Qcow2Parser.printable(nul < 0 ? parent : parent.substring(0, nul)) + "'"));
        }
        long length = source.length();
        if (batOffset < 0 || batOffset > length || maxEntries * 4 > length - batOffset) {
            throw new ImageFormatException("vhd: block allocation table (" + maxEntries + " entries at offset "
                    + Long.toUnsignedString(batOffset) + ") lies outside the " + length + "-byte file");
        }
        Bytes end = source.read(length - 512, 512);
        if (!Arrays.equals(end.copy(0, 512), footer.copy(0, 512))) {
            throw new ImageFormatException("vhd: the footer at the end of the file differs from its copy at offset 0");
        }
        Map<String, Object> details = f.details(type);
        details.put("block_size", blockSize);
        return ParseResult.match(name(), f.virtualSize, details, violations);
    }

    private record Footer(String creator, long diskType, long dataOffset, long currentSize, long virtualSize,
            String sizeRule) {
        Map<String, Object> details(String type) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("vhd_type", type);
            details.put("creator_app", Qcow2Parser.printable(creator.replace('\0', ' ').strip()));
            details.put("size_rule", sizeRule);
            return details;
        }
    }

    private static Footer parseFooter(Bytes footer) throws ImageFormatException {
        long stored = footer.u32be(64);
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            if (i < 64 || i >= 68) {
                sum += footer.u8(i);
            }
        }
        long expected = ~sum & 0xFFFFFFFFL;
        if (stored != expected) {
            throw new ImageFormatException("vhd: footer checksum 0x" + Long.toHexString(stored) + " should be 0x"
                    + Long.toHexString(expected));
        }
        String creator = footer.latin1(28, 4);
        long currentSize = footer.u64be(48);
        long cylinders = footer.u16be(56);
        long heads = footer.u8(58);
        long sectors = footer.u8(59);
        long diskType = footer.u32be(60);
        long chsSectors = cylinders * heads * sectors;
        boolean maxGeometry = cylinders == 65535 && heads == 16 && sectors == 255;
        long totalSectors;
        String rule;
        if (CHS_CREATORS.contains(creator) && !maxGeometry) {
            totalSectors = chsSectors;
            rule = "chs";
        } else {
            if (currentSize < 0) {
                throw new ImageFormatException("vhd: current size " + Long.toUnsignedString(currentSize) + " is out of range");
            }
            totalSectors = currentSize / 512;
            rule = "current_size";
        }
        if (totalSectors >= MAX_SECTORS) {
            throw new ImageFormatException("vhd: " + totalSectors + " sectors exceed the VHD limit of 2040 GiB");
        }
        return new Footer(creator, diskType, footer.u64be(16), currentSize, totalSectors * 512, rule);
    }
}
