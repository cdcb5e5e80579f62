package dev.glimpse.image.internal.policy;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The Python literals oslo.policy accepts on the left of a generic check, and Python's str(). */
final class Literals {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private Literals() {}

    /**
     * Returns the string form of {@code kind} when it is a literal (quoted string, True, False,
     * None or a number), else null, in which case {@code kind} names a credential.
     */
    static @Nullable String literalValue(String kind) {
        if (kind.length() >= 2) {
            char first = kind.charAt(0);
            if ((first == '\'' || first == '"') && kind.charAt(kind.length() - 1) == first) {
                return kind.substring(1, kind.length() - 1);
            }
        }
        switch (kind) {
            case "True":
            case "False":
            case "None":
                return kind;
            default:
                break;
        }
        if (NUMBER.matcher(kind).matches()) {
            // Python's str(ast.literal_eval("042")) is an error and str(1.50) is "1.5"; an exact
            // mapping is not worth its cost, so integers are normalised and others kept verbatim.
            if (kind.matches("[-+]?\\d+")) {
                return new java.math.BigInteger(kind).toString();
            }
            return kind;
        }
        return null;
    }

    /** Python's {@code str()} of a credential value: booleans print as True/False. */
    static String pythonString(Object value) {
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(value);
    }
}
