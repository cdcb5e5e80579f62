package dev.glimpse.image.metadef;

import dev.glimpse.image.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/** Length and content checks shared by the metadef types (limits from Glance's schemas). */
final class Names {
    static final int MAX_NAME = 80;
    static final int MAX_DESCRIPTION = 500;
    static final int MAX_OWNER = 255;

    private Names() {}

    static String check(String what, @Nullable String value, int max) {
        if (value == null) {
            throw new InvalidRequestException(what + " is required");
        }
        if (value.isBlank()) {
            throw new InvalidRequestException(what + " must not be blank");
        }
        checkLength(what, value, max);
        return value;
    }

    static @Nullable String checkOptional(String what, @Nullable String value, int max) {
        if (value != null) {
            checkLength(what, value, max);
        }
        return value;
    }

    private static void checkLength(String what, String value, int max) {
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw new InvalidRequestException(what + " is " + length + " characters long; at most " + max
                    + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i)) && !what.contains("description")) {
                throw new InvalidRequestException(what + " '" + value.replaceAll("\\p{Cntrl}", "?")
                        + "' contains a control character");
            }
        }
    }
}
