package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.SafetyViolation;
import java.util.List;
import java.util.Map;

/**
 * Formats qemu can probe that Glimpse recognises only to refuse: parallels/ploop, bochs, cloop and
 * DMG (qemu {@code block/parallels.c}, {@code bochs.c}, {@code cloop.c}, {@code dmg.c}). Without
 * them such a file would pass as raw while a probing qemu opened it as something richer.
 */
final class ProbedFormatsParser implements FormatParser {
    private static final String CLOOP = "#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$0 && mount -r -t iso9660 /dev/cloop $1\n";

    @Override
    public String name() {
        return "probed";
    }

    @Override
    public ParseResult parse(ByteSource source) throws ImageFormatException {
        Bytes start = source.readUpTo(0, 128);
        if (start.startsWith(0, "WithoutFreeSpace") || start.startsWith(0, "WithouFreSpacExt")) {
            Bytes h = source.read(0, 64);
            long sectors = h.u64le(36);
            return refused("parallels", sectors >= 0 && sectors < Long.MAX_VALUE / 512 ? sectors * 512 : -1);
        }
        if (start.startsWith(0, "Bochs Virtual HD Image")) {
            return refused("bochs", -1);
        }
        if (start.startsWith(0, CLOOP)) {
            return refused("cloop", -1);
        }
        // DMG: the "koly" trailer is the last 512 bytes.
        long length = source.length();
        if (length >= 512 && source.read(length - 512, 4).startsWith(0, "koly")) {
            return refused("dmg", -1);
        }
        return ParseResult.noMatch();
    }

    private static ParseResult refused(String format, long virtualSize) {
        return ParseResult.match(format, virtualSize, Map.of(),
                List.of(new SafetyViolation("unsupported_format", format + " images are refused")));
    }
}
