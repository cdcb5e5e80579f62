package dev.glimpse.image.metadef;

import dev.glimpse.image.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A named group of property definitions within a namespace (e.g. a database's settings), some of
 * them required. Immutable.
 */
public final class MetadefObject {
    private final String name;
    private final @Nullable String description;
    private final List<String> required;
    private final Map<String, PropertyDefinition> properties;
    private final @Nullable Instant createdAt;
    private final @Nullable Instant updatedAt;

    private MetadefObject(Builder b) {
        this.name = Names.check("object name", b.name, Names.MAX_NAME);
        this.description = b.description;
        this.required = List.copyOf(b.required);
        this.properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.createdAt = b.createdAt;
        this.updatedAt = b.updatedAt;
        for (String property : required) {
            if (!properties.containsKey(property)) {
                throw new InvalidRequestException("object '" + name + "': required property '" + property
                        + "' is not one of its properties " + properties.keySet());
            }
        }
    }

    /** Returns a builder for an object with this name. */
    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    /** Returns a builder initialised with this object. */
    public Builder toBuilder() {
        Builder b = new Builder().name(name).description(description).required(required).createdAt(createdAt)
                .updatedAt(updatedAt);
        b.properties = new LinkedHashMap<>(properties);
        return b;
    }

    /** The name, unique within the namespace. */
    public String name() {
        return name;
    }

    /** What the object describes. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** The names of the properties that must be set. */
    public List<String> required() {
        return required;
    }

    /** The property definitions, by name, in definition order. */
    public Map<String, PropertyDefinition> properties() {
        return properties;
    }

    /** When it was created; set by the service. */
    public Optional<Instant> createdAt() {
        return Optional.ofNullable(createdAt);
    }

    /** When it was last changed; set by the service. */
    public Optional<Instant> updatedAt() {
        return Optional.ofNullable(updatedAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadefObject m && name.equals(m.name) && Objects.equals(description, m.description)
                && required.equals(m.required) && properties.equals(m.properties)
                && Objects.equals(createdAt, m.createdAt) && Objects.equals(updatedAt, m.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, required, properties);
    }

    @Override
    public String toString() {
        return "MetadefObject{" + name + ", properties=" + properties.keySet() + "}";
    }

    /** Builds a {@link MetadefObject}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String name;
        private @Nullable String description;
        private List<String> required = List.of();
        private Map<String, PropertyDefinition> properties = new LinkedHashMap<>();
        private @Nullable Instant createdAt;
        private @Nullable Instant updatedAt;

        private Builder() {}

        /** Sets the name (required, at most 80 characters). */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** Sets the description. */
        public Builder description(@Nullable String value) {
            this.description = value;
            return this;
        }

        /** Sets the names of required properties. */
        public Builder required(List<String> value) {
            this.required = new ArrayList<>(value);
            return this;
        }

        /**
         * Adds a property definition.
         *
         * @throws InvalidRequestException if a property of that name was already added
         */
        public Builder property(PropertyDefinition property) {
            if (properties.putIfAbsent(property.name(), property) != null) {
                throw new InvalidRequestException("object '" + name + "' defines property '" + property.name() + "' twice");
            }
            return this;
        }

        /** Replaces all property definitions. */
        public Builder properties(List<PropertyDefinition> value) {
            this.properties = new LinkedHashMap<>();
            value.forEach(this::property);
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
         * Builds the object.
         *
         * @throws InvalidRequestException if the name is missing or too long, or a required property is not defined
         */
        public MetadefObject build() {
            return new MetadefObject(this);
        }
    }
}
