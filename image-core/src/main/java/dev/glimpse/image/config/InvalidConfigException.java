package dev.glimpse.image.config;

import dev.glimpse.image.ImageException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A configuration value is invalid, so the service must not start. The message and the accessors
 * name the file, section and option concerned and say why, e.g. {@code glance-api.conf [DEFAULT]
 * image_size_cap: "12X" is not a size}.
 */
public class InvalidConfigException extends ImageException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String file;
    private final @Nullable String section;
    private final @Nullable String option;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param file the file the value came from, or null when it was set in code
     * @param section the section, or null
     * @param option the option, or null when the problem concerns the file as a whole
     * @param reason why the value is refused
     */
    public InvalidConfigException(@Nullable String file, @Nullable String section, @Nullable String option,
            String reason) {
        super(format(file, section, option, reason));
        this.file = file;
        this.section = section;
        this.option = option;
        this.reason = reason;
    }

    private static String format(@Nullable String file, @Nullable String section, @Nullable String option,
            String reason) {
        StringBuilder where = new StringBuilder();
        if (file != null) {
            where.append(file).append(' ');
        }
        if (section != null) {
            where.append('[').append(section).append("] ");
        }
        if (option != null) {
            where.append(option).append(' ');
        }
        return where.length() == 0 ? reason : where.toString().stripTrailing() + ": " + reason;
    }

    /** The file the value came from, if it came from a file. */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /** The section, if known. */
    public Optional<String> section() {
        return Optional.ofNullable(section);
    }

    /** The option, if the problem concerns one option. */
    public Optional<String> option() {
        return Optional.ofNullable(option);
    }

    /** Why the value is refused, without the location. */
    public String reason() {
        return reason;
    }
}
