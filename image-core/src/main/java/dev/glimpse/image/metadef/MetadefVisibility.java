package dev.glimpse.image.metadef;

import java.util.Locale;
import java.util.Objects;

/** Who may see a namespace: everybody, or its owner (and admins). */
public enum MetadefVisibility {
    /** Visible to every project. */
    PUBLIC("public"),
    /** Visible to the owning project and admins only (Glance's default). */
    PRIVATE("private");

    private final String wireName;

    MetadefVisibility(String wireName) {
        this.wireName = wireName;
    }

    /** The wire name, {@code public} or {@code private}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the visibility with this wire name (case-insensitive).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static MetadefVisibility fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        for (MetadefVisibility v : values()) {
            if (v.wireName.equals(wireName.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown namespace visibility '" + wireName + "'; expected public or private");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
