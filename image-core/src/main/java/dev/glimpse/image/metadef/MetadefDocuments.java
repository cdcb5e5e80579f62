package dev.glimpse.image.metadef;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.image.ConflictException;
import dev.glimpse.image.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes namespaces as Glance's namespace documents: the JSON of
 * {@code etc/metadefs/*.json} and of {@code GET /v2/metadefs/namespaces/{ns}} (snake_case fields,
 * {@code properties} as an object keyed by name, {@code objects} and {@code tags} as arrays,
 * timestamps as ISO-8601 in UTC).
 *
 * <p>Reading is strict: an unknown field, a value of the wrong JSON type or a duplicate key is an
 * {@link InvalidRequestException} that names the field's path, so that a typo in a definition file
 * ({@code "maxLenght"}) is not silently dropped. Thread-safe.
 */
public final class MetadefDocuments {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> NAMESPACE_FIELDS = Set.of("namespace", "display_name", "description",
            "visibility", "protected", "owner", "created_at", "updated_at", "resource_type_associations",
            "properties", "objects", "tags", "self", "schema");
    private static final Set<String> PROPERTY_FIELDS = Set.of("name", "title", "description", "type", "enum",
            "pattern", "minimum", "maximum", "minLength", "maxLength", "items", "minItems", "maxItems",
            "uniqueItems", "additionalItems", "readonly", "default", "operators");
    private static final Set<String> OBJECT_FIELDS = Set.of("name", "description", "required", "properties",
            "created_at", "updated_at", "self", "schema");
    private static final Set<String> ASSOCIATION_FIELDS = Set.of("name", "prefix", "properties_target",
            "created_at", "updated_at");
    private static final Set<String> TAG_FIELDS = Set.of("name", "created_at", "updated_at");

    private MetadefDocuments() {}

    /**
     * Parses one namespace document.
     *
     * @throws InvalidRequestException if it is not valid JSON or not a valid namespace
     */
    public static MetadefNamespace read(String json) {
        try {
            return fromJsonTree(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("not a valid namespace document: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses one namespace document from a stream; the caller closes the stream.
     *
     * @throws InvalidRequestException if it is not valid JSON or not a valid namespace
     * @throws IOException if reading fails
     */
    public static MetadefNamespace read(InputStream in) throws IOException {
        try {
            return fromJsonTree(JSON.readTree(in));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("not a valid namespace document: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes one namespace document as indented JSON. */
    public static String write(MetadefNamespace namespace) {
        try {
            return JSON.writeValueAsString(toJsonTree(namespace));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + namespace.namespace(), e);
        }
    }

    /** Writes one namespace document to a stream; the caller closes the stream. */
    public static void write(MetadefNamespace namespace, OutputStream out) throws IOException {
        JSON.writeValue(new NonClosingOutputStream(out), toJsonTree(namespace));
    }

    /** The namespace as a Jackson tree, for embedding in larger documents. */
    public static ObjectNode toJsonTree(MetadefNamespace ns) {
        ObjectNode node = NODES.objectNode();
        node.put("namespace", ns.namespace());
        ns.displayName().ifPresent(v -> node.put("display_name", v));
        ns.description().ifPresent(v -> node.put("description", v));
        node.put("visibility", ns.visibility().wireName());
        node.put("protected", ns.isProtected());
        ns.owner().ifPresent(v -> node.put("owner", v));
        ns.createdAt().ifPresent(v -> node.put("created_at", v.toString()));
        ns.updatedAt().ifPresent(v -> node.put("updated_at", v.toString()));
        if (!ns.resourceTypeAssociations().isEmpty()) {
            ArrayNode array = node.putArray("resource_type_associations");
            for (ResourceTypeAssociation a : ns.resourceTypeAssociations().values()) {
                ObjectNode an = array.addObject();
                an.put("name", a.name());
                if (a.prefix() != null) {
                    an.put("prefix", a.prefix());
                }
                if (a.propertiesTarget() != null) {
                    an.put("properties_target", a.propertiesTarget());
                }
                putTime(an, "created_at", a.createdAt());
                putTime(an, "updated_at", a.updatedAt());
            }
        }
        if (!ns.properties().isEmpty()) {
            node.set("properties", propertiesNode(ns.properties()));
        }
        if (!ns.objects().isEmpty()) {
            ArrayNode array = node.putArray("objects");
            for (MetadefObject o : ns.objects().values()) {
                array.add(objectNode(o));
            }
        }
        if (!ns.tags().isEmpty()) {
            ArrayNode array = node.putArray("tags");
            for (MetadefTag t : ns.tags().values()) {
                ObjectNode tn = array.addObject();
                tn.put("name", t.name());
                putTime(tn, "created_at", t.createdAt());
                putTime(tn, "updated_at", t.updatedAt());
            }
        }
        return node;
    }

    /** An object as a Jackson tree. */
    public static ObjectNode objectNode(MetadefObject o) {
        ObjectNode on = NODES.objectNode();
        on.put("name", o.name());
        o.description().ifPresent(v -> on.put("description", v));
        if (!o.required().isEmpty()) {
            ArrayNode required = on.putArray("required");
            o.required().forEach(required::add);
        }
        on.set("properties", propertiesNode(o.properties()));
        o.createdAt().ifPresent(v -> on.put("created_at", v.toString()));
        o.updatedAt().ifPresent(v -> on.put("updated_at", v.toString()));
        return on;
    }

    /** A property definition as a Jackson tree (JSON-schema keywords), including its name. */
    public static ObjectNode propertyNode(PropertyDefinition p) {
        ObjectNode pn = NODES.objectNode();
        pn.put("name", p.name());
        pn.put("title", p.title());
        p.description().ifPresent(v -> pn.put("description", v));
        pn.put("type", p.type().wireName());
        if (!p.enumValues().isEmpty()) {
            ArrayNode values = pn.putArray("enum");
            p.enumValues().forEach(v -> values.add(typedValue(p.type(), v)));
        }
        p.pattern().ifPresent(v -> pn.put("pattern", v));
        p.minimum().ifPresent(v -> pn.put("minimum", v));
        p.maximum().ifPresent(v -> pn.put("maximum", v));
        p.minLength().ifPresent(v -> pn.put("minLength", v));
        p.maxLength().ifPresent(v -> pn.put("maxLength", v));
        p.items().ifPresent(items -> {
            ObjectNode in = pn.putObject("items");
            in.put("type", items.type().wireName());
            if (!items.enumValues().isEmpty()) {
                ArrayNode values = in.putArray("enum");
                items.enumValues().forEach(v -> values.add(typedValue(items.type(), v)));
            }
        });
        p.minItems().ifPresent(v -> pn.put("minItems", v));
        p.maxItems().ifPresent(v -> pn.put("maxItems", v));
        if (p.uniqueItems()) {
            pn.put("uniqueItems", true);
        }
        if (p.readonly()) {
            pn.put("readonly", true);
        }
        p.defaultValue().ifPresent(v -> pn.set("default", typedValue(p.type(), v)));
        if (!p.operators().isEmpty()) {
            ArrayNode ops = pn.putArray("operators");
            p.operators().forEach(ops::add);
        }
        return pn;
    }

    private static ObjectNode propertiesNode(Map<String, PropertyDefinition> properties) {
        ObjectNode node = NODES.objectNode();
        for (PropertyDefinition p : properties.values()) {
            ObjectNode pn = propertyNode(p);
            pn.remove("name");
            node.set(p.name(), pn);
        }
        return node;
    }

    private static JsonNode typedValue(PropertyType type, String value) {
        switch (type) {
            case INTEGER:
            case NUMBER:
                try {
                    return NODES.numberNode(new BigDecimal(value.strip()));
                } catch (NumberFormatException e) {
                    return NODES.textNode(value);
                }
            case BOOLEAN:
                return NODES.booleanNode(Boolean.parseBoolean(value.strip()));
            default:
                return NODES.textNode(value);
        }
    }

    private static void putTime(ObjectNode node, String field, @Nullable Instant time) {
        if (time != null) {
            node.put(field, time.toString());
        }
    }

    /**
     * Builds a namespace from a Jackson tree.
     *
     * @throws InvalidRequestException if the tree is not a valid namespace document
     */
    public static MetadefNamespace fromJsonTree(@Nullable JsonNode node) {
        JsonNode root = requireObject(node, "namespace document");
        checkFields(root, NAMESPACE_FIELDS, "");
        String name = text(root, "namespace", "", true);
        MetadefNamespace.Builder b = MetadefNamespace.builder(name)
                .displayName(text(root, "display_name", "", false))
                .description(text(root, "description", "", false))
                .isProtected(bool(root, "protected", ""))
                .owner(text(root, "owner", "", false))
                .createdAt(time(root, "created_at", ""))
                .updatedAt(time(root, "updated_at", ""));
        String visibility = text(root, "visibility", "", false);
        if (visibility != null) {
            try {
                b.visibility(MetadefVisibility.fromWireName(visibility));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("visibility: " + e.getMessage());
            }
        }
        try {
            for (JsonNode a : array(root, "resource_type_associations", "")) {
                String path = "resource_type_associations[]";
                requireObject(a, path);
                checkFields(a, ASSOCIATION_FIELDS, path + ".");
                b.association(new ResourceTypeAssociation(text(a, "name", path + ".", true),
                        text(a, "prefix", path + ".", false), text(a, "properties_target", path + ".", false),
                        time(a, "created_at", path + "."), time(a, "updated_at", path + ".")));
            }
            for (PropertyDefinition p : properties(root.get("properties"), "properties")) {
                b.property(p);
            }
            for (JsonNode o : array(root, "objects", "")) {
                b.object(objectFromTree(o));
            }
            for (JsonNode t : array(root, "tags", "")) {
                String path = "tags[]";
                requireObject(t, path);
                checkFields(t, TAG_FIELDS, path + ".");
                b.tag(new MetadefTag(text(t, "name", path + ".", true), time(t, "created_at", path + "."),
                        time(t, "updated_at", path + ".")));
            }
        } catch (ConflictException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        return b.build();
    }

    /**
     * Builds an object from a Jackson tree ({@code name}, {@code description}, {@code required},
     * {@code properties}).
     *
     * @throws InvalidRequestException if the tree is not a valid object
     */
    public static MetadefObject objectFromTree(@Nullable JsonNode node) {
        String path = "objects[]";
        JsonNode o = requireObject(node, path);
        checkFields(o, OBJECT_FIELDS, path + ".");
        String name = text(o, "name", path + ".", true);
        List<String> required = new ArrayList<>();
        for (JsonNode r : array(o, "required", path + ".")) {
            if (!r.isTextual()) {
                throw new InvalidRequestException(path + ".required: entries must be strings");
            }
            required.add(r.asText());
        }
        return MetadefObject.builder(name).description(text(o, "description", path + ".", false))
                .properties(properties(o.get("properties"), "objects[" + name + "].properties"))
                .required(required)
                .createdAt(time(o, "created_at", path + "."))
                .updatedAt(time(o, "updated_at", path + "."))
                .build();
    }

    /**
     * Builds a property definition from a Jackson tree of JSON-schema keywords.
     *
     * @param name the property's name when the tree does not carry one (the key in a
     *     {@code properties} object), or null to require a {@code name} field
     * @throws InvalidRequestException if the tree is not a valid property definition
     */
    public static PropertyDefinition propertyFromTree(@Nullable String name, @Nullable JsonNode node) {
        String path = "properties." + (name == null ? "?" : name);
        JsonNode p = requireObject(node, path);
        checkFields(p, PROPERTY_FIELDS, path + ".");
        String own = text(p, "name", path + ".", name == null);
        String type = text(p, "type", path + ".", false);
        PropertyDefinition.Builder b = PropertyDefinition.builder(own != null ? own : name)
                .title(text(p, "title", path + ".", false))
                .description(text(p, "description", path + ".", false))
                .pattern(text(p, "pattern", path + ".", false))
                .minimum(decimal(p, "minimum", path))
                .maximum(decimal(p, "maximum", path))
                .minLength(integer(p, "minLength", path))
                .maxLength(integer(p, "maxLength", path))
                .minItems(integer(p, "minItems", path))
                .maxItems(integer(p, "maxItems", path))
                .uniqueItems(bool(p, "uniqueItems", path + "."))
                .readonly(bool(p, "readonly", path + "."))
                .enumValues(scalars(p.get("enum"), path + ".enum"))
                .operators(scalars(p.get("operators"), path + ".operators"));
        if (type == null) {
            throw new InvalidRequestException(path + ".type is required");
        }
        try {
            b.type(PropertyType.fromWireName(type));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(path + ".type: " + e.getMessage());
        }
        JsonNode def = p.get("default");
        if (def != null && !def.isNull()) {
            if (!def.isValueNode()) {
                throw new InvalidRequestException(path + ".default must be a string, number or boolean");
            }
            b.defaultValue(def.asText());
        }
        JsonNode items = p.get("items");
        if (items != null && !items.isNull()) {
            requireObject(items, path + ".items");
            checkFields(items, Set.of("type", "enum"), path + ".items.");
            String itemType = text(items, "type", path + ".items.", true);
            try {
                b.items(new PropertyDefinition.Items(PropertyType.fromWireName(itemType),
                        scalars(items.get("enum"), path + ".items.enum")));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(path + ".items.type: " + e.getMessage());
            }
        }
        return b.build();
    }

    private static List<PropertyDefinition> properties(@Nullable JsonNode node, String path) {
        List<PropertyDefinition> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        requireObject(node, path);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            PropertyDefinition p = propertyFromTree(field.getKey(), field.getValue());
            if (!p.name().equals(field.getKey())) {
                throw new InvalidRequestException(path + "." + field.getKey() + ": name '" + p.name()
                        + "' differs from its key");
            }
            out.add(p);
        }
        return out;
    }

    private static JsonNode requireObject(@Nullable JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException(path + " must be a JSON object");
        }
        return node;
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String path) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                throw new InvalidRequestException(path + field + ": unknown field");
            }
        }
    }

    private static @Nullable String text(JsonNode node, String field, String path, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidRequestException(path + field + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(path + field + " must be a string");
        }
        return value.asText();
    }

    private static boolean bool(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidRequestException(path + field + " must be true or false");
        }
        return value.asBoolean();
    }

    private static @Nullable Integer integer(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidRequestException(path + "." + field + " must be an integer");
        }
        return value.asInt();
    }

    private static @Nullable BigDecimal decimal(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidRequestException(path + "." + field + " must be a number");
        }
        return value.decimalValue();
    }

    private static @Nullable Instant time(JsonNode node, String field, String path) {
        String text = text(node, field, path, false);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(path + field + ": '" + text + "' is not an ISO-8601 UTC time");
        }
    }

    private static List<JsonNode> array(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw new InvalidRequestException(path + field + " must be an array");
        }
        value.forEach(out::add);
        return out;
    }

    private static List<String> scalars(@Nullable JsonNode node, String path) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new InvalidRequestException(path + " must be an array");
        }
        for (JsonNode element : node) {
            if (!element.isValueNode() || element.isNull()) {
                throw new InvalidRequestException(path + " entries must be strings, numbers or booleans");
            }
            out.add(element.isNumber() ? element.decimalValue().stripTrailingZeros().toPlainString() : element.asText());
        }
        return out;
    }

    /** Truncates to seconds, the precision of Glance's timestamps. */
    static Instant seconds(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Keeps Jackson from closing a stream the caller owns. */
    private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
