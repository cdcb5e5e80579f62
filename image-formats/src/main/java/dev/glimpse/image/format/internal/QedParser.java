package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.SafetyViolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** QED (qemu {@code block/qed.h}): recognised so that it is never mistaken for raw, and always refused. */
final class QedParser implements FormatParser {
    @Override
    public String name() {
        return "qed";
    }

    @Override
    public ParseResult parse(ByteSource source) throws ImageFormatException {
        if (!source.readUpTo(0, 4).startsWith(0, new byte[] {'Q', 'E', 'D', 0})) {
            return ParseResult.noMatch();
        }
        Bytes h = source.read(0, 64);
        long size = h.u64le(48);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cluster_size", h.u32le(4));
        List<SafetyViolation> violations = new java.util.ArrayList<>();
        violations.add(new SafetyViolation("unsupported_format", "QED images are refused (deprecated, backing files)"));
        if (h.u32le(56) != 0) {
            violations.add(new SafetyViolation("backing_file", "QED image has a backing file"));
        }
        return ParseResult.match(name(), size < 0 ? -1 : size, details, violations);
    }
}
