package dev.glimpse.image.metadef;

import dev.glimpse.image.InvalidRequestException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A metadata-definition namespace with everything in it: its own fields, resource type
 * associations, property definitions, objects and tags. This is the document Glance's
 * {@code etc/metadefs/*.json} files hold and {@code GET /v2/metadefs/namespaces/{ns}} returns.
 *
 * <p>Immutable; changes go through {@link #toBuilder()}. Names of associations, properties,
 * objects and tags are unique within the namespace (the builder refuses duplicates).
 */
public final class MetadefNamespace {
    private final String namespace;
    private final @Nullable String displayName;
    private final @Nullable String description;
    private final MetadefVisibility visibility;
    private final boolean isProtected;
    private final @Nullable String owner;
    private final @Nullable Instant createdAt;
    private final @Nullable Instant updatedAt;
    private final Map<String, ResourceTypeAssociation> associations;
    private final Map<String, PropertyDefinition> properties;
    private final Map<String, MetadefObject> objects;
    private final Map<String, MetadefTag> tags;

    private MetadefNamespace(Builder b) {
        this.namespace = Names.check("namespace", b.namespace, Names.MAX_NAME);
        this.displayName = Names.checkOptional("display_name", b.displayName, Names.MAX_NAME);
        this.description = Names.checkOptional("description", b.description, Names.MAX_DESCRIPTION);
        this.visibility = b.visibility;
        this.isProtected = b.isProtected;
        this.owner = Names.checkOptional("owner", b.owner, Names.MAX_OWNER);
        this.createdAt = b.createdAt;
        this.updatedAt = b.updatedAt;
        this.associations = Collections.unmodifiableMap(new LinkedHashMap<>(b.associations));
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.objects = Collections.unmodifiableMap(new LinkedHashMap<>(b.objects));
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
    }

    /** Returns a builder for a namespace with this name (private, not protected, no owner). */
    public static Builder builder(String namespace) {
        return new Builder().namespace(namespace);
    }

    /** Returns a builder initialised with this namespace and its contents. */
    public Builder toBuilder() {
        Builder b = new Builder().namespace(namespace).displayName(displayName).description(description)
                .visibility(visibility).isProtected(isProtected).owner(owner).createdAt(createdAt).updatedAt(updatedAt);
        b.associations = new LinkedHashMap<>(associations);
        b.properties = new LinkedHashMap<>(properties);
        b.objects = new LinkedHashMap<>(objects);
        b.tags = new LinkedHashMap<>(tags);
        return b;
    }

    /** The namespace's name, e.g. {@code OS::Compute::Hypervisor}; unique, at most 80 characters. */
    public String namespace() {
        return namespace;
    }

    /** A human-readable name. */
    public Optional<String> displayName() {
        return Optional.ofNullable(displayName);
    }

    /** What the namespace is for; at most 500 characters. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** Who may see it. */
    public MetadefVisibility visibility() {
        return visibility;
    }

    /** Whether it and its contents are protected from deletion. */
    public boolean isProtected() {
        return isProtected;
    }

    /** The owning project; set by the service to the creator's project when absent. */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /** When it was created; set by the service. */
    public Optional<Instant> createdAt() {
        return Optional.ofNullable(createdAt);
    }

    /** When its own fields last changed; set by the service. */
    public Optional<Instant> updatedAt() {
        return Optional.ofNullable(updatedAt);
    }

    /** The resource types it applies to, by resource type name. */
    public Map<String, ResourceTypeAssociation> resourceTypeAssociations() {
        return associations;
    }

    /** The property definitions, by name. */
    public Map<String, PropertyDefinition> properties() {
        return properties;
    }

    /** The objects, by name. */
    public Map<String, MetadefObject> objects() {
        return objects;
    }

    /** The tags, by name. */
    public Map<String, MetadefTag> tags() {
        return tags;
    }

    /** This namespace's fields without contents: what a namespace list shows. */
    public MetadefNamespace withoutContents() {
        return toBuilder().clearContents().build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadefNamespace n && namespace.equals(n.namespace)
                && Objects.equals(displayName, n.displayName) && Objects.equals(description, n.description)
                && visibility == n.visibility && isProtected == n.isProtected && Objects.equals(owner, n.owner)
                && Objects.equals(createdAt, n.createdAt) && Objects.equals(updatedAt, n.updatedAt)
                && associations.equals(n.associations) && properties.equals(n.properties)
                && objects.equals(n.objects) && tags.equals(n.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, visibility, isProtected, owner, properties.keySet(), objects.keySet(),
                tags.keySet());
    }

    @Override
    public String toString() {
        return "MetadefNamespace{" + namespace + ", " + visibility + (isProtected ? ", protected" : "") + ", owner="
                + owner + ", " + properties.size() + " properties, " + objects.size() + " objects, " + tags.size()
                + " tags, resource types " + associations.keySet() + "}";
    }

    /** Builds a {@link MetadefNamespace}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String namespace;
        private @Nullable String displayName;
        private @Nullable String description;
        private MetadefVisibility visibility = MetadefVisibility.PRIVATE;
        private boolean isProtected;
        private @Nullable String owner;
        private @Nullable Instant createdAt;
        private @Nullable Instant updatedAt;
        private Map<String, ResourceTypeAssociation> associations = new LinkedHashMap<>();
        private Map<String, PropertyDefinition> properties = new LinkedHashMap<>();
        private Map<String, MetadefObject> objects = new LinkedHashMap<>();
        private Map<String, MetadefTag> tags = new LinkedHashMap<>();

        private Builder() {}

        /** Sets the name (required). */
        public Builder namespace(String value) {
            this.namespace = value;
            return this;
        }

        /** Sets the display name. */
        public Builder displayName(@Nullable String value) {
            this.displayName = value;
            return this;
        }

        /** Sets the description. */
        public Builder description(@Nullable String value) {
            this.description = value;
            return this;
        }

        /** Sets the visibility (default private). */
        public Builder visibility(MetadefVisibility value) {
            this.visibility = Objects.requireNonNull(value, "visibility");
            return this;
        }

        /** Sets whether it is protected (default false). */
        public Builder isProtected(boolean value) {
            this.isProtected = value;
            return this;
        }

        /** Sets the owning project. */
        public Builder owner(@Nullable String value) {
            this.owner = value;
            return this;
        }

        /** Sets the creation time. */
        public Builder createdAt(@Nullable Instant value) {
            this.createdAt = value;
            return this;
        }

        /** Sets the update time. */
        public Builder updatedAt(@Nullable Instant value) {
            this.updatedAt = value;
            return this;
        }

        /**
         * Adds a resource type association.
         *
         * @throws dev.glimpse.image.ConflictException if the resource type is already associated
         */
        public Builder association(ResourceTypeAssociation value) {
            put(associations, value.name(), value, "resource type association");
            return this;
        }

        /**
         * Adds a property definition.
         *
         * @throws dev.glimpse.image.ConflictException if a property of that name exists
         */
        public Builder property(PropertyDefinition value) {
            put(properties, value.name(), value, "property");
            return this;
        }

        /**
         * Adds an object.
         *
         * @throws dev.glimpse.image.ConflictException if an object of that name exists
         */
        public Builder object(MetadefObject value) {
            put(objects, value.name(), value, "object");
            return this;
        }

        /**
         * Adds a tag.
         *
         * @throws dev.glimpse.image.ConflictException if a tag of that name exists
         */
        public Builder tag(MetadefTag value) {
            put(tags, value.name(), value, "tag");
            return this;
        }

        /** Replaces the resource type associations. */
        public Builder associations(List<ResourceTypeAssociation> values) {
            associations = new LinkedHashMap<>();
            values.forEach(this::association);
            return this;
        }

        /** Replaces the property definitions. */
        public Builder properties(List<PropertyDefinition> values) {
            properties = new LinkedHashMap<>();
            values.forEach(this::property);
            return this;
        }

        /** Replaces the objects. */
        public Builder objects(List<MetadefObject> values) {
            objects = new LinkedHashMap<>();
            values.forEach(this::object);
            return this;
        }

        /** Replaces the tags. */
        public Builder tags(List<MetadefTag> values) {
            tags = new LinkedHashMap<>();
            values.forEach(this::tag);
            return this;
        }

        /** Removes the association with a resource type, if any. */
        public Builder removeAssociation(String resourceType) {
            associations.remove(resourceType);
            return this;
        }

        /** Removes a property, if present. */
        public Builder removeProperty(String name) {
            properties.remove(name);
            return this;
        }

        /** Removes an object, if present. */
        public Builder removeObject(String name) {
            objects.remove(name);
            return this;
        }

        /** Removes a tag, if present. */
        public Builder removeTag(String name) {
            tags.remove(name);
            return this;
        }

        /** Removes every association, property, object and tag. */
        public Builder clearContents() {
            associations = new LinkedHashMap<>();
            properties = new LinkedHashMap<>();
            objects = new LinkedHashMap<>();
            tags = new LinkedHashMap<>();
            return this;
        }

        /** Replaces a property in place, keeping its position when the name is unchanged. */
        Builder replaceProperty(String oldName, PropertyDefinition value) {
            properties = replaced(properties, oldName, value.name(), value, "property");
            return this;
        }

        /** Replaces an object in place. */
        Builder replaceObject(String oldName, MetadefObject value) {
            objects = replaced(objects, oldName, value.name(), value, "object");
            return this;
        }

        /** Replaces a tag in place. */
        Builder replaceTag(String oldName, MetadefTag value) {
            tags = replaced(tags, oldName, value.name(), value, "tag");
            return this;
        }

        /**
         * Builds the namespace.
         *
         * @throws InvalidRequestException if a field is missing or too long
         */
        public MetadefNamespace build() {
            return new MetadefNamespace(this);
        }

        private <T> void put(Map<String, T> map, String key, T value, String what) {
            if (map.putIfAbsent(key, value) != null) {
                throw new dev.glimpse.image.ConflictException("namespace '" + namespace + "' already has a " + what
                        + " named '" + key + "'");
            }
        }

        private <T> Map<String, T> replaced(Map<String, T> map, String oldKey, String newKey, T value, String what) {
            if (!oldKey.equals(newKey) && map.containsKey(newKey)) {
                throw new dev.glimpse.image.ConflictException("namespace '" + namespace + "' already has a " + what
                        + " named '" + newKey + "'");
            }
            Map<String, T> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (k.equals(oldKey)) {
                    copy.put(newKey, value);
                } else {
                    copy.put(k, v);
                }
            });
            return copy;
        }
    }
}
