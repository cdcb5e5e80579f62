package dev.glimpse.cli.internal;

import java.util.Locale;

/** The output formats of {@code -f/--format}, as OpenStackClient names them. */
public enum OutputFormat {
    /** Aligned boxes for people. */
    TABLE("table"),
    /** Glance's Images v2 wire format, for scripts and {@code jq}. */
    JSON("json"),
    /** Bare values separated by spaces, one record per line, for shell scripts. */
    VALUE("value");

    private final String wireName;

    OutputFormat(String wireName) {
        this.wireName = wireName;
    }

    /** The name given on the command line. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a format name.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code name} is unknown
     */
    public static OutputFormat fromWireName(String name) {
        for (OutputFormat format : values()) {
            if (format.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown output format '" + name + "'; choose table, json or value");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
