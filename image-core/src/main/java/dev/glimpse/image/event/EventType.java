package dev.glimpse.image.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The notifications Glance sends (glance/notifier.py, doc/source/admin/notifications.rst), with
 * their wire names. The payload of each is described on the constant.
 */
public enum EventType {
    /** An image was created. Payload: the image payload (no locations). */
    IMAGE_CREATE("image.create"),
    /** An upload is about to start. Payload: the image payload. */
    IMAGE_PREPARE("image.prepare"),
    /** An upload finished (INFO, image payload) or failed (ERROR, payload {@code message}). */
    IMAGE_UPLOAD("image.upload"),
    /** An upload made the image active. Payload: the image payload. */
    IMAGE_ACTIVATE("image.activate"),
    /** An image was saved: attribute, property, tag or status change. Payload: the image payload. */
    IMAGE_UPDATE("image.update"),
    /** An image was deleted. Payload: the image payload with {@code deleted=true} and {@code deleted_at}. */
    IMAGE_DELETE("image.delete"),
    /**
     * Image data was sent to a reader. INFO when every requested byte was sent, else ERROR.
     * Payload: {@code bytes_sent, image_id, owner_id, receiver_tenant_id, receiver_user_id}.
     */
    IMAGE_SEND("image.send"),
    /** A member was added. Payload: {@code image_id, member_id, status, created_at, updated_at, deleted, deleted_at}. */
    IMAGE_MEMBER_CREATE("image.member.create"),
    /** A member's status changed. Payload: as {@link #IMAGE_MEMBER_CREATE}. */
    IMAGE_MEMBER_UPDATE("image.member.update"),
    /** A member was removed. Payload: as {@link #IMAGE_MEMBER_CREATE} with {@code deleted=true}. */
    IMAGE_MEMBER_DELETE("image.member.delete"),
    /** A namespace was created. Payload: the namespace fields. */
    METADEF_NAMESPACE_CREATE("metadef_namespace.create"),
    /** A namespace was updated. Payload: the namespace fields plus {@code namespace_old}. */
    METADEF_NAMESPACE_UPDATE("metadef_namespace.update"),
    /** A namespace was deleted with its contents. Payload: the namespace fields. */
    METADEF_NAMESPACE_DELETE("metadef_namespace.delete"),
    /** All objects of a namespace were deleted. Payload: the namespace fields. */
    METADEF_NAMESPACE_DELETE_OBJECTS("metadef_namespace.delete_objects"),
    /** All properties of a namespace were deleted. Payload: the namespace fields. */
    METADEF_NAMESPACE_DELETE_PROPERTIES("metadef_namespace.delete_properties"),
    /** All tags of a namespace were deleted. Payload: the namespace fields. */
    METADEF_NAMESPACE_DELETE_TAGS("metadef_namespace.delete_tags"),
    /** An object was created. Payload: {@code namespace, name, description, required, properties, ...}. */
    METADEF_OBJECT_CREATE("metadef_object.create"),
    /** An object was updated. Payload: as create plus {@code name_old}. */
    METADEF_OBJECT_UPDATE("metadef_object.update"),
    /** An object was deleted. Payload: as create. */
    METADEF_OBJECT_DELETE("metadef_object.delete"),
    /** A property was created. Payload: {@code namespace, name, type, title, ...}. */
    METADEF_PROPERTY_CREATE("metadef_property.create"),
    /** A property was updated. Payload: as create plus {@code name_old}. */
    METADEF_PROPERTY_UPDATE("metadef_property.update"),
    /** A property was deleted. Payload: as create. */
    METADEF_PROPERTY_DELETE("metadef_property.delete"),
    /** A resource type was associated with a namespace. Payload: {@code namespace, name, prefix, properties_target}. */
    METADEF_RESOURCE_TYPE_CREATE("metadef_resource_type.create"),
    /** A resource type association was removed. Payload: as create. */
    METADEF_RESOURCE_TYPE_DELETE("metadef_resource_type.delete"),
    /** A tag was created. Payload: {@code namespace, name, created_at, updated_at}. */
    METADEF_TAG_CREATE("metadef_tag.create"),
    /** A tag was renamed. Payload: as create plus {@code name_old}. */
    METADEF_TAG_UPDATE("metadef_tag.update"),
    /** A tag was deleted. Payload: as create. */
    METADEF_TAG_DELETE("metadef_tag.delete");

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The notification's name on the wire, e.g. {@code image.member.create}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the type with this wire name.
     *
     * @throws IllegalArgumentException if no type has that name
     */
    public static EventType fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        EventType type = BY_WIRE_NAME.get(wireName);
        if (type == null) {
            throw new IllegalArgumentException("unknown event type '" + wireName + "'");
        }
        return type;
    }

    /**
     * Whether a {@code disabled_notifications} entry names this type: the exact wire name, or a
     * group prefix that ends at a dot ({@code image} covers {@code image.create} and
     * {@code image.member.create}; {@code image.member} covers only the member events).
     */
    public boolean matches(String nameOrGroup) {
        return wireName.equals(nameOrGroup) || wireName.startsWith(nameOrGroup + ".");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
