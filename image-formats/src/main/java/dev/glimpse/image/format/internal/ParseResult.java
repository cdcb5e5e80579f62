package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.SafetyViolation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link FormatParser} concluded: either no match, or a match with the format's virtual
 * size, details and safety violations. A parser that matched but found the structure broken throws
 * {@link dev.glimpse.image.format.ImageFormatException} instead of returning.
 *
 * @param format the wire name of the matched format; {@code null} for no match
 */
public record ParseResult(
        @Nullable String format,
        OptionalLong virtualSize,
        Map<String, Object> details,
        List<SafetyViolation> violations) {

    private static final ParseResult NO_MATCH = new ParseResult(null, OptionalLong.empty(), Map.of(), List.of());

    /** Copies the components; details keep their insertion order. */
    public ParseResult {
        Objects.requireNonNull(virtualSize, "virtualSize");
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        violations = List.copyOf(violations);
    }

    /** The result of a parser that does not recognise the data. */
    public static ParseResult noMatch() {
        return NO_MATCH;
    }

    /** A match of {@code format} with the given virtual size (negative for none), details and violations. */
    public static ParseResult match(
            String format, long virtualSize, Map<String, Object> details, List<SafetyViolation> violations) {
        return new ParseResult(
                Objects.requireNonNull(format, "format"),
                virtualSize < 0 ? OptionalLong.empty() : OptionalLong.of(virtualSize),
                details,
                violations);
    }

    /** Whether the parser recognised the data. */
    public boolean matched() {
        return format != null;
    }
}
