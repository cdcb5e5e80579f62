package dev.glimpse.image.store.fs.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Checked access to a store's string options: unknown keys and malformed values are errors. */
final class Options {
    private final String storeId;
    private final Map<String, String> options;

    Options(String storeId, Map<String, String> options, Set<String> known) {
        this.storeId = storeId;
        this.options = options;
        Set<String> unknown = new HashSet<>(options.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options for store '" + storeId + "': " + unknown
                    + "; known options: " + known);
        }
    }

    @Nullable String get(String key) {
        String value = options.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    boolean bool(String key, boolean fallback) {
        String value = get(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw bad(key, value, "a boolean");
        };
    }

    int integer(String key, int fallback) {
        String value = get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw bad(key, value, "an integer");
        }
    }

    IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException("option " + key + " of store '" + storeId + "' must be " + expected
                + ", not '" + value + "'");
    }
}
