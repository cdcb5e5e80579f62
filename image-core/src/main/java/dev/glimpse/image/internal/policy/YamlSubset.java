package dev.glimpse.image.internal.policy;

import dev.glimpse.image.policy.InvalidPolicyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the part of YAML that policy files use: one top-level mapping of string keys to string
 * values. Values may be plain, single- or double-quoted, span several lines, or be block scalars
 * ({@code |}, {@code >}). Everything else (nested mappings, sequences, anchors, tags, flow
 * collections, multiple documents) is refused with the line number.
 *
 * <p>Why not a YAML library: library modules stay lean (jackson-databind only), and a policy file
 * is a flat map. Why strict: PyYAML reads an unquoted {@code !} as an empty string, which
 * oslo.policy treats as "always allow"; an unquoted {@code yes} becomes a boolean. Such values are
 * refused here with a hint to quote them, so that no file means something different from what it
 * looks like.
 */
final class YamlSubset {
    // Plain scalars that PyYAML (YAML 1.1) resolves to something other than a string.
    private static final Pattern NON_STRING = Pattern.compile(
            "~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF"
                    + "|y|Y|n|N|[-+]?(0|[1-9][0-9_]*)|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+"
                    + "|[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    private static final String INDICATORS = "[]{}&*!|>%@`,?-";

    private final String[] lines;
    private final String source;
    private int index;

    YamlSubset(String text, String source) {
        this.lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        this.source = source;
    }

    Map<String, String> parse() {
        Map<String, String> result = new LinkedHashMap<>();
        boolean sawDocumentStart = false;
        while (index < lines.length) {
            String line = lines[index];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                index++;
                continue;
            }
            if (line.startsWith("---")) {
                if (sawDocumentStart || !result.isEmpty()) {
                    throw error(index, "more than one YAML document");
                }
                sawDocumentStart = true;
                if (!line.substring(3).isBlank() && !line.substring(3).strip().startsWith("#")) {
                    throw error(index, "content after '---' is not supported");
                }
                index++;
                continue;
            }
            if (line.startsWith("...")) {
                index++;
                while (index < lines.length) {
                    String rest = lines[index].strip();
                    if (!rest.isEmpty() && !rest.startsWith("#")) {
                        throw error(index, "content after the end of the document ('...')");
                    }
                    index++;
                }
                break;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                throw error(index, "unexpected indentation: the policy file must be a flat mapping of rule names to strings");
            }
            if (trimmed.startsWith("{")) {
                throw error(index, "flow mappings ({...}) are not supported; write one 'name: rule' per line or use JSON");
            }
            if (trimmed.startsWith("- ") || trimmed.equals("-")) {
                throw error(index, "a policy file is a mapping of rule names to strings, not a list");
            }
            int entryLine = index;
            String[] keyAndRest = parseKey(line);
            String key = keyAndRest[0];
            String value = parseValue(keyAndRest[1], key);
            if (result.putIfAbsent(key, value) != null) {
                throw new InvalidPolicyException("policy file " + source + " line " + (entryLine + 1)
                        + ": rule '" + key + "' is defined twice", key, -1);
            }
        }
        return result;
    }

    /** Returns {key, text after the colon}; advances nothing. */
    private String[] parseKey(String line) {
        char first = line.charAt(0);
        if (first == '"' || first == '\'') {
            int close = findClosingQuote(line, 1, first);
            if (close < 0) {
                throw error(index, "unterminated quoted key");
            }
            String key = unquote(line.substring(1, close), first);
            String after = line.substring(close + 1).stripLeading();
            if (!after.startsWith(":")) {
                throw error(index, "expected ':' after the key " + line.substring(0, close + 1));
            }
            return new String[] {key, after.substring(1)};
        }
        if (INDICATORS.indexOf(first) >= 0 && first != '-') {
            throw error(index, "a rule name may not start with '" + first + "' unless it is quoted");
        }
        int colon = -1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ':' && (i + 1 == line.length() || line.charAt(i + 1) == ' ' || line.charAt(i + 1) == '\t')) {
                colon = i;
                break;
            }
            if (line.charAt(i) == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
                break;
            }
        }
        if (colon < 0) {
            throw error(index, "expected 'name: rule'");
        }
        return new String[] {line.substring(0, colon).strip(), line.substring(colon + 1)};
    }

    private String parseValue(String rest, String key) {
        String trimmed = rest.strip();
        int valueLine = index;
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            index++;
            List<String> continuation = continuationLines();
            if (continuation.isEmpty()) {
                throw new InvalidPolicyException("policy file " + source + " line " + (valueLine + 1) + ": rule '" + key
                        + "' has no value; write '" + key + ": \"\"' for a rule that always passes", key, -1);
            }
            return plain(String.join("\n", continuation), key, valueLine + 1);
        }
        char first = trimmed.charAt(0);
        if (first == '\'' || first == '"') {
            return quoted(trimmed, first, key);
        }
        if (first == '|' || first == '>') {
            return block(trimmed, first);
        }
        index++;
        List<String> parts = new ArrayList<>();
        parts.add(trimmed);
        parts.addAll(continuationLines());
        return plain(String.join("\n", parts), key, valueLine);
    }

    /** The following lines that are indented (or blank between indented ones). */
    private List<String> continuationLines() {
        List<String> parts = new ArrayList<>();
        int end = index;
        while (end < lines.length) {
            String line = lines[end];
            if (line.isBlank()) {
                end++;
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                break;
            }
            end++;
        }
        // Trailing blank lines belong to nobody.
        while (end > index && lines[end - 1].isBlank()) {
            end--;
        }
        for (int i = index; i < end; i++) {
            parts.add(lines[i]);
        }
        index = end;
        return parts;
    }

    private String plain(String text, String key, int line) {
        List<String> folded = new ArrayList<>();
        for (String part : text.split("\n", -1)) {
            String withoutComment = stripComment(part).strip();
            if (withoutComment.startsWith("#")) {
                throw error(line, "a comment line inside the value of rule '" + key + "'");
            }
            folded.add(withoutComment);
        }
        String value = fold(folded);
        if (value.isEmpty()) {
            throw error(line, "rule '" + key + "' has no value");
        }
        char first = value.charAt(0);
        if (INDICATORS.indexOf(first) >= 0 && !(first == '-' && value.length() > 1 && value.charAt(1) != ' ')) {
            throw error(line, "the value of rule '" + key + "' starts with '" + first
                    + "', which YAML reads as syntax; quote it, e.g. " + key + ": \"" + value + "\"");
        }
        if (value.contains(": ") || value.endsWith(":")) {
            throw error(line, "the value of rule '" + key + "' contains ': '; quote it");
        }
        if (NON_STRING.matcher(value).matches()) {
            throw error(line, "the value of rule '" + key + "' is '" + value
                    + "', which YAML reads as a non-string; quote it");
        }
        return value;
    }

    private String quoted(String firstLineRest, char quote, String key) {
        int startLine = index;
        StringBuilder raw = new StringBuilder(firstLineRest.substring(1));
        int close = findClosingQuote(raw.toString(), 0, quote);
        while (close < 0) {
            index++;
            if (index >= lines.length) {
                throw error(startLine, "unterminated quoted value of rule '" + key + "'");
            }
            raw.append('\n').append(lines[index]);
            close = findClosingQuote(raw.toString(), 0, quote);
        }
        String after = raw.substring(close + 1).strip();
        if (!after.isEmpty() && !after.startsWith("#")) {
            throw error(index, "unexpected text after the quoted value of rule '" + key + "': " + after);
        }
        index++;
        String body = raw.substring(0, close);
        List<String> parts = new ArrayList<>();
        String[] split = body.split("\n", -1);
        for (int i = 0; i < split.length; i++) {
            String part = split[i];
            if (i > 0) {
                part = part.stripLeading();
            }
            if (i < split.length - 1) {
                part = part.stripTrailing();
            }
            parts.add(part);
        }
        return unquote(fold(parts), quote);
    }

    private String block(String header, char style) {
        int headerLine = index;
        String indicators = stripComment(header.substring(1)).strip();
        if (!indicators.isEmpty() && !indicators.equals("-") && !indicators.equals("+")) {
            throw error(headerLine, "unsupported block scalar header '" + header + "'");
        }
        index++;
        List<String> body = continuationLines();
        if (body.isEmpty()) {
            return "";
        }
        int indent = Integer.MAX_VALUE;
        for (String line : body) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        List<String> content = new ArrayList<>();
        for (String line : body) {
            content.add(line.isBlank() ? "" : line.substring(indent));
        }
        String value = style == '|' ? String.join("\n", content) : fold(content);
        return indicators.equals("-") ? value : value + "\n";
    }

    /** YAML line folding: a single line break becomes a space, each empty line a newline. */
    private static String fold(List<String> parts) {
        StringBuilder out = new StringBuilder();
        boolean pendingSpace = false;
        boolean started = false;
        for (String part : parts) {
            if (part.isEmpty()) {
                if (started) {
                    out.append('\n');
                    pendingSpace = false;
                }
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
            }
            out.append(part);
            started = true;
            pendingSpace = true;
        }
        return out.toString();
    }

    private static String stripComment(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                return i == 0 ? "" : text.substring(0, i);
            }
        }
        return text;
    }

    private static int findClosingQuote(String text, int from, char quote) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '"' && c == '\\') {
                i++;
                continue;
            }
            if (c == quote) {
                if (quote == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    i++;
                    continue;
                }
                return i;
            }
        }
        return -1;
    }

    private String unquote(String body, char quote) {
        if (quote == '\'') {
            return body.replace("''", "'");
        }
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= body.length()) {
                throw error(index, "a double-quoted value ends with a lone backslash");
            }
            char e = body.charAt(i);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '0' -> out.append('\0');
                case ' ' -> out.append(' ');
                case 'u' -> {
                    try {
                        out.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
                        throw error(index, "malformed \\u escape");
                    }
                    i += 4;
                }
                default -> throw error(index, "unsupported escape '\\" + e + "'");
            }
        }
        return out.toString();
    }

    private InvalidPolicyException error(int zeroBasedLine, String reason) {
        return new InvalidPolicyException("policy file " + source + " line " + (zeroBasedLine + 1) + ": " + reason,
                null, -1);
    }
}
