package dev.glimpse.image.internal.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.image.policy.InvalidPolicyException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a policy file: a JSON object or a YAML mapping of rule names to rule strings. The format
 * is chosen by content, not by extension, because operators rename files freely: a document whose
 * first significant character is '{' is JSON, anything else is YAML.
 */
public final class PolicyFiles {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final long MAX_FILE_SIZE = 4L * 1024 * 1024;

    private PolicyFiles() {}

    /**
     * Reads the rules of a policy file.
     *
     * @throws InvalidPolicyException if the file cannot be read or is not a map of strings
     */
    public static Map<String, String> read(Path file) {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new InvalidPolicyException("policy file " + file + " is " + size
                        + " bytes; a policy file larger than " + MAX_FILE_SIZE + " bytes is refused", null, -1);
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidPolicyException("policy file " + file + " is not valid UTF-8", e);
        } catch (IOException e) {
            throw new InvalidPolicyException("cannot read policy file " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** Parses policy-file text; {@code source} names it in messages. */
    public static Map<String, String> parse(String text, String source) {
        String stripped = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (stripped.stripLeading().startsWith("{")) {
            return parseJson(stripped, source);
        }
        return new YamlSubset(stripped, source).parse();
    }

    private static Map<String, String> parseJson(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidPolicyException("policy file " + source + " is not valid JSON: "
                    + e.getOriginalMessage() + locationOf(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPolicyException("policy file " + source + " must hold a JSON object of rule names to rule strings",
                    null, -1);
        }
        Map<String, String> rules = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (!value.isTextual()) {
                throw new InvalidPolicyException("policy file " + source + ": rule '" + field.getKey()
                        + "' must be a string, found " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT),
                        field.getKey(), -1);
            }
            rules.put(field.getKey(), value.asText());
        }
        return rules;
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
