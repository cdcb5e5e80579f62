package dev.glimpse.image.metadef;

import dev.glimpse.image.InvalidRequestException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * A property definition: a JSON-schema fragment with a name and a title, as Glance's metadef
 * property schema has it ({@code glance/api/v2/metadef_namespaces.py:get_schema_definitions}).
 *
 * <p>Immutable. The builder checks the definition as a whole: a title and type are required,
 * {@code pattern} must compile, minimum/maximum and the length and item bounds must be ordered and
 * not negative, enum values must fit the type, and {@code items} is only for arrays. Invalid
 * definitions are refused with {@link InvalidRequestException}.
 */
public final class PropertyDefinition {
    private final String name;
    private final String title;
    private final @Nullable String description;
    private final PropertyType type;
    private final List<String> enumValues;
    private final @Nullable String pattern;
    private final @Nullable BigDecimal minimum;
    private final @Nullable BigDecimal maximum;
    private final @Nullable Integer minLength;
    private final @Nullable Integer maxLength;
    private final @Nullable Items items;
    private final @Nullable Integer minItems;
    private final @Nullable Integer maxItems;
    private final boolean uniqueItems;
    private final boolean readonly;
    private final @Nullable String defaultValue;
    private final List<String> operators;
    private final @Nullable Pattern compiledPattern;

    /**
     * The schema of array items.
     *
     * @param type the items' type (not array or object)
     * @param enumValues the allowed values, or empty for any
     */
    public record Items(PropertyType type, List<String> enumValues) {
        /** Validates. */
        public Items {
            Objects.requireNonNull(type, "items type");
            enumValues = List.copyOf(enumValues);
            if (type == PropertyType.ARRAY || type == PropertyType.OBJECT) {
                throw new InvalidRequestException("array items may not be of type " + type);
            }
        }
    }

    private PropertyDefinition(Builder b) {
        this.name = Names.check("property name", b.name, Names.MAX_NAME);
        if (b.title == null || b.title.isBlank()) {
            throw new InvalidRequestException("property '" + name + "': title is required");
        }
        this.title = b.title;
        this.description = b.description;
        if (b.type == null) {
            throw new InvalidRequestException("property '" + name + "': type is required");
        }
        this.type = b.type;
        this.enumValues = List.copyOf(b.enumValues);
        this.pattern = b.pattern;
        this.minimum = b.minimum;
        this.maximum = b.maximum;
        this.minLength = b.minLength;
        this.maxLength = b.maxLength;
        this.items = b.items;
        this.minItems = b.minItems;
        this.maxItems = b.maxItems;
        this.uniqueItems = b.uniqueItems;
        this.readonly = b.readonly;
        this.defaultValue = b.defaultValue;
        this.operators = List.copyOf(b.operators);
        try {
            this.compiledPattern = pattern == null ? null : Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new InvalidRequestException("property '" + name + "': pattern '" + pattern
                    + "' is not a valid regular expression: " + e.getDescription());
        }
        check();
    }

    private void check() {
        String where = "property '" + name + "': ";
        if (minimum != null && maximum != null && minimum.compareTo(maximum) > 0) {
            throw new InvalidRequestException(where + "minimum " + minimum + " is greater than maximum " + maximum);
        }
        checkBounds(where, "minLength", minLength, "maxLength", maxLength);
        checkBounds(where, "minItems", minItems, "maxItems", maxItems);
        if ((minimum != null || maximum != null) && type != PropertyType.INTEGER && type != PropertyType.NUMBER) {
            throw new InvalidRequestException(where + "minimum and maximum apply to integer and number properties only");
        }
        if ((minLength != null || maxLength != null || pattern != null) && type != PropertyType.STRING) {
            throw new InvalidRequestException(where + "pattern, minLength and maxLength apply to string properties only");
        }
        if ((items != null || minItems != null || maxItems != null || uniqueItems) && type != PropertyType.ARRAY) {
            throw new InvalidRequestException(where + "items, minItems, maxItems and uniqueItems apply to array properties only");
        }
        for (String value : enumValues) {
            String problem = PropertyValues.typeProblem(type == PropertyType.ARRAY && items != null ? items.type() : type, value);
            if (problem != null) {
                throw new InvalidRequestException(where + "enum value '" + value + "' " + problem);
            }
        }
        if (items != null) {
            for (String value : items.enumValues()) {
                String problem = PropertyValues.typeProblem(items.type(), value);
                if (problem != null) {
                    throw new InvalidRequestException(where + "items enum value '" + value + "' " + problem);
                }
            }
        }
    }

    private static void checkBounds(String where, String lowName, @Nullable Integer low, String highName,
            @Nullable Integer high) {
        if (low != null && low < 0) {
            throw new InvalidRequestException(where + lowName + " must not be negative, was " + low);
        }
        if (high != null && high < 0) {
            throw new InvalidRequestException(where + highName + " must not be negative, was " + high);
        }
        if (low != null && high != null && low > high) {
            throw new InvalidRequestException(where + lowName + " " + low + " is greater than " + highName + " " + high);
        }
    }

    /** Returns a builder for a property with this name. */
    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    /** Returns a builder initialised with this definition. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.title = title;
        b.description = description;
        b.type = type;
        b.enumValues = enumValues;
        b.pattern = pattern;
        b.minimum = minimum;
        b.maximum = maximum;
        b.minLength = minLength;
        b.maxLength = maxLength;
        b.items = items;
        b.minItems = minItems;
        b.maxItems = maxItems;
        b.uniqueItems = uniqueItems;
        b.readonly = readonly;
        b.defaultValue = defaultValue;
        b.operators = operators;
        return b;
    }

    /** The property's name (without any resource-type prefix). */
    public String name() {
        return name;
    }

    /** A human-readable title; required. */
    public String title() {
        return title;
    }

    /** What the property means. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** The JSON-schema type. */
    public PropertyType type() {
        return type;
    }

    /** The allowed values (as text), or empty for any. */
    public List<String> enumValues() {
        return enumValues;
    }

    /** A regular expression a string value must contain a match of (JSON-schema semantics: not anchored). */
    public Optional<String> pattern() {
        return Optional.ofNullable(pattern);
    }

    /** The compiled {@link #pattern()}. */
    Optional<Pattern> compiledPattern() {
        return Optional.ofNullable(compiledPattern);
    }

    /** The smallest allowed number, inclusive. */
    public Optional<BigDecimal> minimum() {
        return Optional.ofNullable(minimum);
    }

    /** The largest allowed number, inclusive. */
    public Optional<BigDecimal> maximum() {
        return Optional.ofNullable(maximum);
    }

    /** The shortest allowed string, in characters. */
    public Optional<Integer> minLength() {
        return Optional.ofNullable(minLength);
    }

    /** The longest allowed string, in characters. */
    public Optional<Integer> maxLength() {
        return Optional.ofNullable(maxLength);
    }

    /** The schema of array items. */
    public Optional<Items> items() {
        return Optional.ofNullable(items);
    }

    /** The fewest array items. */
    public Optional<Integer> minItems() {
        return Optional.ofNullable(minItems);
    }

    /** The most array items. */
    public Optional<Integer> maxItems() {
        return Optional.ofNullable(maxItems);
    }

    /** Whether array items must be distinct. */
    public boolean uniqueItems() {
        return uniqueItems;
    }

    /** Whether users may not set the property. */
    public boolean readonly() {
        return readonly;
    }

    /** The default value, as text. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Operators for matching (e.g. {@code <or>}, {@code <all-in>}), as Nova's filters use them. */
    public List<String> operators() {
        return operators;
    }

    /** This definition under another name. */
    public PropertyDefinition withName(String newName) {
        return toBuilder().name(newName).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PropertyDefinition p && name.equals(p.name) && title.equals(p.title)
                && Objects.equals(description, p.description) && type == p.type && enumValues.equals(p.enumValues)
                && Objects.equals(pattern, p.pattern) && Objects.equals(minimum, p.minimum)
                && Objects.equals(maximum, p.maximum) && Objects.equals(minLength, p.minLength)
                && Objects.equals(maxLength, p.maxLength) && Objects.equals(items, p.items)
                && Objects.equals(minItems, p.minItems) && Objects.equals(maxItems, p.maxItems)
                && uniqueItems == p.uniqueItems && readonly == p.readonly
                && Objects.equals(defaultValue, p.defaultValue) && operators.equals(p.operators);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, title, type, enumValues, pattern, minimum, maximum);
    }

    @Override
    public String toString() {
        return "PropertyDefinition{" + name + ": " + type + (enumValues.isEmpty() ? "" : " " + enumValues) + "}";
    }

    /** Builds a {@link PropertyDefinition}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String name;
        private @Nullable String title;
        private @Nullable String description;
        private @Nullable PropertyType type;
        private List<String> enumValues = List.of();
        private @Nullable String pattern;
        private @Nullable BigDecimal minimum;
        private @Nullable BigDecimal maximum;
        private @Nullable Integer minLength;
        private @Nullable Integer maxLength;
        private @Nullable Items items;
        private @Nullable Integer minItems;
        private @Nullable Integer maxItems;
        private boolean uniqueItems;
        private boolean readonly;
        private @Nullable String defaultValue;
        private List<String> operators = List.of();

        private Builder() {}

        /** Sets the name (required, at most 80 characters). */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** Sets the title (required). */
        public Builder title(String value) {
            this.title = value;
            return this;
        }

        /** Sets the description. */
        public Builder description(@Nullable String value) {
            this.description = value;
            return this;
        }

        /** Sets the type (required). */
        public Builder type(PropertyType value) {
            this.type = value;
            return this;
        }

        /** Sets the allowed values. */
        public Builder enumValues(List<String> values) {
            this.enumValues = new ArrayList<>(values);
            return this;
        }

        /** Sets the allowed values. */
        public Builder enumValues(String... values) {
            return enumValues(List.of(values));
        }

        /** Sets the pattern a string must contain a match of. */
        public Builder pattern(@Nullable String value) {
            this.pattern = value;
            return this;
        }

        /** Sets the inclusive minimum of a number. */
        public Builder minimum(@Nullable BigDecimal value) {
            this.minimum = value;
            return this;
        }

        /** Sets the inclusive maximum of a number. */
        public Builder maximum(@Nullable BigDecimal value) {
            this.maximum = value;
            return this;
        }

        /** Sets the inclusive minimum of a number. */
        public Builder minimum(long value) {
            return minimum(BigDecimal.valueOf(value));
        }

        /** Sets the inclusive maximum of a number. */
        public Builder maximum(long value) {
            return maximum(BigDecimal.valueOf(value));
        }

        /** Sets the minimum string length. */
        public Builder minLength(@Nullable Integer value) {
            this.minLength = value;
            return this;
        }

        /** Sets the maximum string length. */
        public Builder maxLength(@Nullable Integer value) {
            this.maxLength = value;
            return this;
        }

        /** Sets the schema of array items. */
        public Builder items(@Nullable Items value) {
            this.items = value;
            return this;
        }

        /** Sets the minimum number of array items. */
        public Builder minItems(@Nullable Integer value) {
            this.minItems = value;
            return this;
        }

        /** Sets the maximum number of array items. */
        public Builder maxItems(@Nullable Integer value) {
            this.maxItems = value;
            return this;
        }

        /** Sets whether array items must be distinct. */
        public Builder uniqueItems(boolean value) {
            this.uniqueItems = value;
            return this;
        }

        /** Sets whether the property is read-only. */
        public Builder readonly(boolean value) {
            this.readonly = value;
            return this;
        }

        /** Sets the default value, as text. */
        public Builder defaultValue(@Nullable String value) {
            this.defaultValue = value;
            return this;
        }

        /** Sets the operators. */
        public Builder operators(List<String> values) {
            this.operators = new ArrayList<>(values);
            return this;
        }

        /**
         * Builds the definition.
         *
         * @throws InvalidRequestException if it is incomplete or inconsistent
         */
        public PropertyDefinition build() {
            return new PropertyDefinition(this);
        }
    }
}
