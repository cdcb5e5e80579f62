package dev.glimpse.cli.internal;

import java.util.Objects;

/**
 * One column of a listing: the key of the value in the JSON wire object and the heading a person
 * reads ({@code disk_format} / {@code Disk Format}). {@code -c} accepts either.
 *
 * @param key the wire key, e.g. {@code disk_format}
 * @param label the table heading, e.g. {@code Disk Format}
 */
public record Column(String key, String label) {

    /** Validates the components. */
    public Column {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
    }

    /** A column whose heading is its key, as in {@code image show}. */
    public static Column of(String key) {
        return new Column(key, key);
    }

    /** Whether {@code name} (from {@code -c}) names this column: its key or label, ignoring case. */
    public boolean matches(String name) {
        return key.equalsIgnoreCase(name) || label.equalsIgnoreCase(name);
    }
}
