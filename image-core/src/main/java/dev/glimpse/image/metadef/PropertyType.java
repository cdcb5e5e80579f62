package dev.glimpse.image.metadef;

import java.util.Objects;

/** The JSON-schema type of a metadata-definition property. */
public enum PropertyType {
    /** A list of items. */
    ARRAY("array"),
    /** true or false. */
    BOOLEAN("boolean"),
    /** A whole number. */
    INTEGER("integer"),
    /** Any number. */
    NUMBER("number"),
    /** A JSON object. */
    OBJECT("object"),
    /** Text. */
    STRING("string"),
    /** No value. */
    NULL("null");

    private final String wireName;

    PropertyType(String wireName) {
        this.wireName = wireName;
    }

    /** The JSON-schema name, e.g. {@code integer}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the type with this wire name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static PropertyType fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        for (PropertyType t : values()) {
            if (t.wireName.equals(wireName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown property type '" + wireName
                + "'; expected array, boolean, integer, number, object, string or null");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
