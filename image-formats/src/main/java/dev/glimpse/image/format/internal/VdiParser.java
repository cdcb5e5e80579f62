package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.SafetyViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** VirtualBox VDI, checked as qemu {@code block/vdi.c vdi_open} does (header 1.1, 512-byte sectors, 1 MiB blocks). */
final class VdiParser implements FormatParser {
    private static final long SIGNATURE = 0xBEDA107FL;

    @Override
    public String name() {
        return "vdi";
    }

    @Override
    public ParseResult parse(ByteSource source) throws ImageFormatException {
        Bytes probe = source.readUpTo(0, 68);
        if (probe.length() < 68 || probe.u32le(64) != SIGNATURE) {
            return ParseResult.noMatch();
        }
        Bytes h = source.read(0, 512);
        long version = h.u32le(0x44);
        if (version != 0x00010001L) {
            throw new ImageFormatException("vdi: unsupported version 0x" + Long.toHexString(version) + " (qemu reads 1.1)");
        }
        long headerSize = h.u32le(0x48);
        if (headerSize < 0x180 || headerSize > 512) {
            throw new ImageFormatException("vdi: header size " + headerSize + " outside 384..512");
        }
        long type = h.u32le(0x4C);
        if (type < 1 || type > 4) {
            throw new ImageFormatException("vdi: unknown image type " + type);
        }
        long bmapOffset = h.u32le(0x154);
        long dataOffset = h.u32le(0x158);
        if (bmapOffset % 512 != 0 || dataOffset % 512 != 0) {
            throw new ImageFormatException("vdi: block map offset " + bmapOffset + " and data offset " + dataOffset
                    + " must be sector aligned");
        }
        long sectorSize = h.u32le(0x168);
        if (sectorSize != 512) {
            throw new ImageFormatException("vdi: sector size " + sectorSize + " is not 512");
        }
        long diskSize = h.u64le(0x170);
        long blockSize = h.u32le(0x178);
        if (blockSize != 1024 * 1024) {
            throw new ImageFormatException("vdi: block size " + blockSize + " is not 1 MiB");
        }
        long blocks = h.u32le(0x180);
        long allocated = h.u32le(0x184);
        if (diskSize < 0 || diskSize > blocks * blockSize) {
            throw new ImageFormatException("vdi: disk size " + Long.toUnsignedString(diskSize) + " exceeds its "
                    + blocks + " blocks of " + blockSize + " bytes");
        }
        if (allocated > blocks) {
            throw new ImageFormatException("vdi: " + allocated + " blocks allocated of " + blocks);
        }
        List<SafetyViolation> violations = new ArrayList<>();
        if (!h.slice(0x1A8, 16).isAllZero() || !h.slice(0x1B8, 16).isAllZero() || type == 4 || type == 3) {
            violations.add(new SafetyViolation("backing_file",
                    "vdi differencing image (non-null link or parent UUID, or undo/diff type)"));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("vdi_type", type == 1 ? "dynamic" : type == 2 ? "static" : type == 3 ? "undo" : "diff");
        details.put("block_size", blockSize);
        // qemu rounds the disk size up to whole sectors.
        return ParseResult.match(name(), (diskSize + 511) / 512 * 512, details, violations);
    }
}
