package dev.glimpse.image.metadef;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks a property value given as text (image properties are strings in Glance) against a
 * definition. Booleans accept what Nova accepts for image properties (oslo strutils
 * {@code bool_from_string}: true/false, yes/no, on/off, 1/0, t/f, y/n); arrays are comma-separated
 * lists of items; objects are JSON objects.
 */
final class PropertyValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

    private PropertyValues() {}

    /** Why {@code value} is not of {@code type}, or null when it is. */
    static @Nullable String typeProblem(PropertyType type, String value) {
        switch (type) {
            case INTEGER:
                return INTEGER.matcher(value.strip()).matches() ? null : "is not an integer";
            case NUMBER:
                return number(value) != null ? null : "is not a number";
            case BOOLEAN: {
                String v = value.strip().toLowerCase(Locale.ROOT);
                return TRUE.contains(v) || FALSE.contains(v) ? null : "is not a boolean (true or false)";
            }
            case OBJECT:
                try {
                    JsonNode node = JSON.readTree(value);
                    return node != null && node.isObject() ? null : "is not a JSON object";
                } catch (JsonProcessingException e) {
                    return "is not a JSON object";
                }
            case NULL:
                return value.isEmpty() ? null : "must be empty (type null)";
            default:
                return null;
        }
    }

    /** Every rule of the definition that {@code value} breaks, as phrases; empty when it is valid. */
    static List<String> problems(PropertyDefinition definition, String value) {
        List<String> problems = new ArrayList<>();
        PropertyType type = definition.type();
        if (type == PropertyType.ARRAY) {
            checkArray(definition, value, problems);
            return problems;
        }
        String typeProblem = typeProblem(type, value);
        if (typeProblem != null) {
            problems.add(typeProblem);
            return problems;
        }
        if (!definition.enumValues().isEmpty() && !inEnum(type, definition.enumValues(), value)) {
            problems.add("is not one of " + definition.enumValues());
        }
        if (type == PropertyType.INTEGER || type == PropertyType.NUMBER) {
            BigDecimal number = number(value);
            definition.minimum().filter(min -> number.compareTo(min) < 0)
                    .ifPresent(min -> problems.add("is less than the minimum " + min.toPlainString()));
            definition.maximum().filter(max -> number.compareTo(max) > 0)
                    .ifPresent(max -> problems.add("is greater than the maximum " + max.toPlainString()));
        }
        if (type == PropertyType.STRING) {
            int length = value.codePointCount(0, value.length());
            definition.minLength().filter(min -> length < min)
                    .ifPresent(min -> problems.add("is shorter than " + min + " characters"));
            definition.maxLength().filter(max -> length > max)
                    .ifPresent(max -> problems.add("is longer than " + max + " characters"));
            definition.compiledPattern().filter(p -> !p.matcher(value).find())
                    .ifPresent(p -> problems.add("does not match the pattern " + p.pattern()));
        }
        return problems;
    }

    private static void checkArray(PropertyDefinition definition, String value, List<String> problems) {
        List<String> items = new ArrayList<>();
        if (!value.isBlank()) {
            for (String item : value.split(",", -1)) {
                items.add(item.strip());
            }
        }
        definition.minItems().filter(min -> items.size() < min)
                .ifPresent(min -> problems.add("has fewer than " + min + " items"));
        definition.maxItems().filter(max -> items.size() > max)
                .ifPresent(max -> problems.add("has more than " + max + " items"));
        if (definition.uniqueItems() && new HashSet<>(items).size() != items.size()) {
            problems.add("has repeated items");
        }
        PropertyType itemType = definition.items().map(PropertyDefinition.Items::type).orElse(PropertyType.STRING);
        List<String> allowed = definition.items().map(PropertyDefinition.Items::enumValues)
                .filter(e -> !e.isEmpty()).orElse(definition.enumValues());
        for (String item : items) {
            String typeProblem = typeProblem(itemType, item);
            if (typeProblem != null) {
                problems.add("has item '" + item + "' that " + typeProblem);
            } else if (!allowed.isEmpty() && !inEnum(itemType, allowed, item)) {
                problems.add("has item '" + item + "' that is not one of " + allowed);
            }
        }
    }

    private static boolean inEnum(PropertyType type, List<String> allowed, String value) {
        for (String candidate : allowed) {
            if (equal(type, candidate, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equal(PropertyType type, String a, String b) {
        switch (type) {
            case INTEGER:
                return new BigInteger(a.strip().replace("+", "")).equals(new BigInteger(b.strip().replace("+", "")));
            case NUMBER: {
                BigDecimal x = number(a);
                BigDecimal y = number(b);
                return x != null && y != null && x.compareTo(y) == 0;
            }
            case BOOLEAN:
                return TRUE.contains(a.strip().toLowerCase(Locale.ROOT)) == TRUE.contains(b.strip().toLowerCase(Locale.ROOT));
            default:
                return a.equals(b);
        }
    }

    private static @Nullable BigDecimal number(String value) {
        String v = value.strip();
        if (v.isEmpty() || !v.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
            return null;
        }
        return new BigDecimal(v);
    }
}
