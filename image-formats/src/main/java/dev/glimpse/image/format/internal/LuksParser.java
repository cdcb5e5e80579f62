package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.SafetyViolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LUKS (cryptsetup's on-disk format 1.2.3, qemu {@code crypto/block-luks.c}): the payload starts
 * {@code payload_offset} sectors in, so the disk is the rest of the file. qemu opens version 1 only.
 */
final class LuksParser implements FormatParser {
    private static final byte[] MAGIC = {'L', 'U', 'K', 'S', (byte) 0xBA, (byte) 0xBE};

    @Override
    public String name() {
        return "luks";
    }

    @Override
    public ParseResult parse(ByteSource source) throws ImageFormatException {
        if (!source.readUpTo(0, 6).startsWith(0, MAGIC)) {
            return ParseResult.noMatch();
        }
        int version = source.read(0, 8).u16be(6);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", (long) version);
        if (version != 1) {
            return ParseResult.match(name(), -1, details, List.of(new SafetyViolation("unsupported_format",
                    "LUKS version " + version + " cannot be opened by qemu (version 1 only)")));
        }
        Bytes h = source.read(0, 592);
        details.put("cipher_name", Qcow2Parser.printable(cString(h, 8, 32)));
        details.put("cipher_mode", Qcow2Parser.printable(cString(h, 40, 32)));
        details.put("hash_spec", Qcow2Parser.printable(cString(h, 72, 32)));
        long payloadOffset = h.u32be(104);
        details.put("payload_offset", payloadOffset * 512);
        long length = source.length();
        if (payloadOffset * 512 > length) {
            throw new ImageFormatException("luks: payload offset " + payloadOffset * 512
                    + " lies beyond the end of the " + length + "-byte image");
        }
        // qemu counts whole sectors, rounding a partial last sector up.
        long payload = length - payloadOffset * 512;
        return ParseResult.match(name(), (payload + 511) / 512 * 512, details, List.of());
    }

    static String cString(Bytes bytes, int index, int max) throws ImageFormatException {
        String text = bytes.latin1(index, max);
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }
}
