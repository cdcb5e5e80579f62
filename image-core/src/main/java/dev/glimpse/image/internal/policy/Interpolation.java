package dev.glimpse.image.internal.policy;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Python's {@code "%(key)s" % target}, restricted to what policy rules use. */
final class Interpolation {
    private Interpolation() {}

    /**
     * Substitutes every {@code %(key)s} from the target and turns {@code %%} into {@code %}.
     *
     * @return the interpolated text, or null when a key is missing from the target (oslo.policy's
     *     KeyError, which makes the check false)
     */
    static @Nullable String apply(String template, Map<String, String> target) {
        if (template.indexOf('%') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            if (template.startsWith("%%", i)) {
                out.append('%');
                i += 2;
                continue;
            }
            if (template.startsWith("%(", i)) {
                int close = template.indexOf(")s", i + 2);
                if (close >= 0) {
                    String value = target.get(template.substring(i + 2, close));
                    if (value == null) {
                        return null;
                    }
                    out.append(value);
                    i = close + 2;
                    continue;
                }
            }
            // A lone '%' that is not a substitution is kept as text; the parser has already
            // refused malformed substitutions, so this is only reached for literal text.
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /**
     * Returns the position (0-based) of the first malformed substitution in the template, or -1.
     * Malformed: {@code %(} without {@code )s}, or {@code %} followed by anything but {@code (} or {@code %}.
     */
    static int firstMalformed(String template) {
        int i = 0;
        while ((i = template.indexOf('%', i)) >= 0) {
            if (template.startsWith("%%", i)) {
                i += 2;
            } else if (template.startsWith("%(", i)) {
                int close = template.indexOf(")s", i + 2);
                if (close < 0 || close == i + 2) {
                    return i;
                }
                i = close + 2;
            } else {
                return i;
            }
        }
        return -1;
    }
}
