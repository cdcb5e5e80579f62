package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.Inspection;
import dev.glimpse.image.format.InspectionLimits;
import dev.glimpse.image.format.StreamingInspection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Runs every parser over an image and combines their answers: the precedence rules live here, not
 * in the parsers.
 */
public final class Inspectors {
    private Inspectors() {}

    /** Every disk-format parser, in reporting order. */
    static List<FormatParser> diskParsers() {
        return Parsers.DISK;
    }

    /** Inspects a seekable channel. */
    public static Inspection inspectSeekable(SeekableByteChannel channel, InspectionLimits limits) throws IOException {
        SeekableByteSource source = new SeekableByteSource(channel, limits);
        List<ParseResult> results = new ArrayList<>();
        try {
            for (FormatParser parser : diskParsers()) {
                results.add(parser.parse(source));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return combine(results, source.length());
    }

    /** Starts a streaming inspection. */
    public static StreamingInspection startStreaming(InspectionLimits limits) {
        throw new UnsupportedOperationException("streaming inspection is not implemented yet");
    }

    /**
     * Applies the precedence rules: no match is raw, one match is that format, two or more are a
     * polyglot and refused.
     */
    static Inspection combine(List<ParseResult> results, long length) throws ImageFormatException {
        List<ParseResult> matches = results.stream().filter(ParseResult::matched).toList();
        if (matches.size() > 1) {
            throw new ImageFormatException("multiple formats detected: "
                    + matches.stream().map(ParseResult::format).collect(Collectors.joining(", ")));
        }
        if (matches.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            return new Inspection(DiskFormat.RAW.wireName(), OptionalLong.of(length), length, details, List.of());
        }
        ParseResult match = matches.get(0);
        return new Inspection(match.format(), match.virtualSize(), length, match.details(), match.violations());
    }

    /** See {@link dev.glimpse.image.format.FormatInspector#requireDeclared}. */
    public static Inspection requireDeclared(Inspection inspection, DiskFormat declared) throws ImageFormatException {
        if (!inspection.format().equals(declared.wireName())) {
            throw new ImageFormatException("image declared as " + declared.wireName() + " but detected as "
                    + inspection.format());
        }
        if (!inspection.isSafe()) {
            throw new ImageFormatException("unsafe " + inspection.format() + " image: " + inspection.violations());
        }
        return inspection;
    }
}
