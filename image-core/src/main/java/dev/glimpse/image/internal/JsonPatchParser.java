package dev.glimpse.image.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.image.ImagePatch;
import dev.glimpse.image.InvalidRequestException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses Glance's JSON-patch documents into {@link ImagePatch} ({@code images.py:RequestDeserializer.update}).
 */
public final class JsonPatchParser {
    /** The media type dialects. */
    public enum Dialect {
        /** {@code application/openstack-images-v2.1-json-patch}: RFC 6902 style {@code {"op", "path", "value"}}. */
        V2_1
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonPatchParser() {}

    /**
     * Parses a document.
     *
     * @throws InvalidRequestException if it is not a JSON array of well-formed operations
     */
    public static ImagePatch parse(String json, Dialect dialect) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("patch is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new InvalidRequestException("patch must be a JSON array of operations");
        }
        List<ImagePatch.Operation> ops = new ArrayList<>();
        int index = 0;
        for (JsonNode node : root) {
            ops.add(operation(node, index++));
        }
        return ImagePatch.of(ops);
    }

    private static ImagePatch.Operation operation(JsonNode node, int index) {
        String where = "patch operation " + index;
        if (!node.isObject()) {
            throw new InvalidRequestException(where + " must be a JSON object");
        }
        JsonNode opNode = node.get("op");
        if (opNode == null || !opNode.isTextual()) {
            throw new InvalidRequestException(where + " needs an \"op\" string (add, replace or remove)");
        }
        ImagePatch.Op op;
        switch (opNode.asText()) {
            case "add": op = ImagePatch.Op.ADD; break;
            case "replace": op = ImagePatch.Op.REPLACE; break;
            case "remove": op = ImagePatch.Op.REMOVE; break;
            default:
                throw new InvalidRequestException(where + ": unsupported op '" + opNode.asText()
                        + "'; Glance accepts add, replace and remove");
        }
        JsonNode pathNode = node.get("path");
        if (pathNode == null || !pathNode.isTextual()) {
            throw new InvalidRequestException(where + " needs a \"path\" string");
        }
        String name = decodePath(pathNode.asText(), where);
        Object value = null;
        if (op != ImagePatch.Op.REMOVE) {
            if (!node.has("value")) {
                throw new InvalidRequestException(where + " (" + op.wireName() + " " + pathNode.asText() + ") needs a \"value\"");
            }
            value = toJava(node.get("value"));
        }
        return new ImagePatch.Operation(op, name, value);
    }

    /** Decodes a depth-1 JSON pointer ({@code /name}); {@code /locations/N} is kept whole for the applier to refuse. */
    static String decodePath(String path, String where) {
        if (!path.startsWith("/")) {
            throw new InvalidRequestException(where + ": path '" + path + "' must start with '/'");
        }
        String[] parts = path.substring(1).split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new InvalidRequestException(where + ": path '" + path + "' has an empty segment");
            }
        }
        if (parts.length > 1 && !(parts.length == 2 && parts[0].equals("locations"))) {
            throw new InvalidRequestException(where + ": path '" + path + "' is too deep; image attributes are one level");
        }
        if (parts.length == 2) {
            return "locations";
        }
        String seg = parts[0];
        // RFC 6901: ~1 is '/', ~0 is '~', decoded in that order; any other '~' escape is malformed.
        for (int i = seg.indexOf('~'); i >= 0; i = seg.indexOf('~', i + 1)) {
            if (i + 1 >= seg.length() || (seg.charAt(i + 1) != '0' && seg.charAt(i + 1) != '1')) {
                throw new InvalidRequestException(where + ": path '" + path + "' has a bad '~' escape");
            }
        }
        return seg.replace("~1", "/").replace("~0", "~");
    }

    /** Maps a JSON value to the Java values {@link ImagePatch.Operation} documents. */
    public static @Nullable Object toJava(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isArray()) {
            List<@Nullable Object> list = new ArrayList<>();
            for (JsonNode element : node) {
                list.add(toJava(element));
            }
            return java.util.Collections.unmodifiableList(list);
        }
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), toJava(e.getValue()));
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
