package dev.glimpse.image;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Who may see an image, with Glance's wire names and rules: {@link #PUBLIC} everyone;
 * {@link #COMMUNITY} everyone, but listed by default only for its owner; {@link #SHARED} the owner
 * and the projects it was shared with; {@link #PRIVATE} the owner only.
 */
public enum Visibility {
    /** Visible to and listed for every project. */
    PUBLIC("public"),
    /** Visible to every project that knows its id; listed only for the owner unless asked for. */
    COMMUNITY("community"),
    /** Visible to the owner and to member projects. Glance's default for new images. */
    SHARED("shared"),
    /** Visible to the owner only. */
    PRIVATE("private");

    private final String wireName;

    Visibility(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the name Glance uses, e.g. {@code "community"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the visibility with the given wire name.
     *
     * @throws IllegalArgumentException if no visibility has that name
     */
    public static Visibility fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        for (Visibility v : values()) {
            if (v.wireName.equals(wireName)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown visibility '" + wireName + "'; expected one of "
                + Arrays.stream(values()).map(Visibility::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
