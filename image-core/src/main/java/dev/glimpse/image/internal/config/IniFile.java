package dev.glimpse.image.internal.config;

import dev.glimpse.image.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An INI file as oslo.config reads it (oslo_config/iniparser.py): {@code [section]} headers,
 * {@code key = value} or {@code key: value}, whole-line comments starting with {@code #} or
 * {@code ;}, continuation lines (indented) joined with a newline, values in matching quotes
 * unquoted. A section that appears twice is merged; an option repeated in a section keeps its last
 * value and is reported.
 */
final class IniFile {
    /** One option value with where it came from. */
    record Value(String text, String file, int line) {}

    private final Map<String, Map<String, Value>> sections = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private IniFile() {}

    static IniFile parse(String text, String file) {
        IniFile ini = new IniFile();
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        String section = null;
        String lastKey = null;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            int lineNo = i + 1;
            String stripped = raw.strip();
            if (i == 0 && stripped.startsWith("\uFEFF")) {
                stripped = stripped.substring(1);
            }
            if (stripped.isEmpty()) {
                lastKey = null;
                continue;
            }
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && lastKey != null && section != null) {
                // Continuation of the previous value.
                Map<String, Value> options = ini.sections.get(section);
                Value previous = options.get(lastKey);
                options.put(lastKey, new Value(previous.text() + "\n" + stripped, file, previous.line()));
                continue;
            }
            if (stripped.startsWith("[")) {
                if (!stripped.endsWith("]") || stripped.length() < 3) {
                    throw new InvalidConfigException(file, null, null,
                            "line " + lineNo + ": malformed section header '" + stripped + "'");
                }
                section = stripped.substring(1, stripped.length() - 1).strip();
                if (section.isEmpty()) {
                    throw new InvalidConfigException(file, null, null, "line " + lineNo + ": empty section name");
                }
                ini.sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            int separator = firstSeparator(stripped);
            if (separator <= 0) {
                throw new InvalidConfigException(file, section, null,
                        "line " + lineNo + ": expected 'option = value', found '" + stripped + "'");
            }
            if (section == null) {
                throw new InvalidConfigException(file, null, null,
                        "line " + lineNo + ": option before any [section] header");
            }
            String key = stripped.substring(0, separator).strip();
            String value = unquote(stripped.substring(separator + 1).strip());
            Map<String, Value> options = ini.sections.get(section);
            Value previous = options.put(key, new Value(value, file, lineNo));
            if (previous != null) {
                ini.warnings.add(file + " [" + section + "] " + key + ": set twice (lines " + previous.line()
                        + " and " + lineNo + "); the last value is used");
            }
            lastKey = key;
        }
        return ini;
    }

    Map<String, Map<String, Value>> sections() {
        return sections;
    }

    List<String> warnings() {
        return warnings;
    }

    private static int firstSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        if (colon < 0) {
            return eq;
        }
        return Math.min(eq, colon);
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
                return value.substring(1, value.length() - 1);
            }
        }
        return value;
    }
}
