package dev.glimpse.image.internal;

import dev.glimpse.image.ForbiddenException;
import java.util.Set;

/**
 * Glance's attribute vocabulary and which names a caller may write
 * ({@code glance/api/v2/images.py}: {@code _readonly_properties}, {@code _reserved_properties},
 * {@code _disallowed_properties}; {@code GLANCE_RESERVED_NS}).
 */
public final class AttributeNames {
    /** Every base attribute of an image (including the API-only {@code self}, {@code file}, {@code schema}). */
    public static final Set<String> BASE = Set.of("id", "name", "status", "visibility", "protected", "os_hidden",
            "owner", "disk_format", "container_format", "size", "virtual_size", "checksum", "os_hash_algo",
            "os_hash_value", "min_disk", "min_ram", "created_at", "updated_at", "tags", "locations", "direct_url",
            "stores", "self", "file", "schema");

    /** Attributes that only the catalogue sets. */
    public static final Set<String> READ_ONLY = Set.of("id", "status", "size", "virtual_size", "checksum",
            "os_hash_algo", "os_hash_value", "created_at", "updated_at", "direct_url", "stores", "self", "file", "schema");

    /** Names reserved by Glance that are neither attributes nor allowed as extra properties. */
    public static final Set<String> RESERVED = Set.of("location", "deleted", "deleted_at");

    /** Prefix of Glance's internal properties ({@code os_glance_import_task}, ...). */
    public static final String RESERVED_PREFIX = "os_glance";

    private AttributeNames() {}

    /** Whether the name is reserved: {@code location}, {@code deleted}, {@code deleted_at} or {@code os_glance*}. */
    public static boolean isReserved(String name) {
        return RESERVED.contains(name) || name.startsWith(RESERVED_PREFIX);
    }

    /**
     * Refuses an extra-property name a caller may not set: a reserved name, or the name of a base
     * attribute (which would shadow it on the wire).
     *
     * @throws ForbiddenException naming the property and why
     */
    public static void checkWritableProperty(String name) {
        if (isReserved(name)) {
            throw new ForbiddenException("attribute '" + name + "' is reserved");
        }
        if (READ_ONLY.contains(name)) {
            throw new ForbiddenException("attribute '" + name + "' is read-only");
        }
        if (BASE.contains(name)) {
            throw new ForbiddenException("'" + name + "' is an image attribute and cannot be an extra property");
        }
    }
}
