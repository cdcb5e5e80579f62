package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import java.util.Map;

/**
 * Recognises kernels and ramdisks (detail {@code payload}), for the {@code aki} and {@code ari}
 * disk formats, which have no container of their own. Signatures: Linux boot protocol
 * ({@code Documentation/x86/boot.rst}, {@code arm64/booting.rst}, {@code arm/booting}), ELF, U-Boot
 * legacy images, and the magic numbers of the compressors and cpio formats an initramfs uses.
 */
final class PayloadProbe implements DetailProbe {
    @Override
    public String name() {
        return "payload";
    }

    @Override
    public Map<String, Object> probe(ByteSource source) throws ImageFormatException {
        Bytes b = source.readUpTo(0, 0x210);
        String kind = kind(b);
        return kind == null ? Map.of() : Map.of("payload", kind);
    }

    private static String kind(Bytes b) throws ImageFormatException {
        int n = b.length();
        if (n >= 0x206 && b.u16le(0x1FE) == 0xAA55 && b.startsWith(0x202, "HdrS")) {
            return "bzimage";
        }
        if (b.startsWith(0, new byte[] {0x7F, 'E', 'L', 'F'}) && n >= 20) {
            int cls = b.u8(4);
            int type = b.u16le(16);
            if ((cls == 1 || cls == 2) && (type == 2 || type == 3)) {
                return "elf";
            }
        }
        if (n >= 0x40 && b.u32le(0x38) == 0x644D5241L) {
            return "arm64_image";
        }
        if (n >= 0x40 && b.startsWith(0x30, "RISCV\0\0\0") && b.startsWith(0x38, "RSC\u0005")) {
            return "riscv_image";
        }
        if (n >= 0x28 && b.u32le(0x24) == 0x016F2818L) {
            return "arm_zimage";
        }
        if (n >= 4 && b.u32be(0) == 0x27051956L) {
            return "uimage";
        }
        if (b.startsWith(0, new byte[] {0x1F, (byte) 0x8B, 0x08})) {
            return "gzip";
        }
        if (b.startsWith(0, new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0})) {
            return "xz";
        }
        if (b.startsWith(0, new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD})) {
            return "zstd";
        }
        if (b.startsWith(0, new byte[] {0x02, 0x21, 0x4C, 0x18}) || b.startsWith(0, new byte[] {0x04, 0x22, 0x4D, 0x18})) {
            return "lz4";
        }
        if (n >= 4 && b.startsWith(0, "BZh") && b.u8(3) >= '1' && b.u8(3) <= '9') {
            return "bzip2";
        }
        if (b.startsWith(0, new byte[] {(byte) 0x89, 'L', 'Z', 'O', 0, 0x0D, 0x0A, 0x1A, 0x0A})) {
            return "lzop";
        }
        if (b.startsWith(0, new byte[] {0x5D, 0, 0})) {
            return "lzma";
        }
        if (b.startsWith(0, "070701") || b.startsWith(0, "070702") || b.startsWith(0, "070707")
                || (n >= 2 && (b.u16le(0) == 0x71C7 || b.u16be(0) == 0x71C7))) {
            return "cpio";
        }
        return null;
    }
}
