package dev.glimpse.image.format.internal.container;

import dev.glimpse.image.format.ImageFormatException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OVF manifest ({@code .mf}, DSP0243 section 5.1): one {@code ALG(file)= hexdigest} line per
 * file of the package.
 *
 * @param entries the expected digest per file name
 */
record OvfManifest(Map<String, Entry> entries) {
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9-]+)\\((.+)\\)\\s*=\\s*(\\S+)");

    /** One manifest line: the JCA algorithm name and the expected lower-case hex digest. */
    record Entry(String algorithm, String hex) {}

    OvfManifest {
        entries = Map.copyOf(entries);
    }

    static OvfManifest parse(String container, String name, byte[] data) throws ImageFormatException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        String text = new String(data, StandardCharsets.UTF_8);
        int lineNumber = 0;
        for (String line : text.split("\r?\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            Matcher matcher = LINE.matcher(line.strip());
            if (!matcher.matches()) {
                throw new ImageFormatException(container + ": manifest '" + name + "' line " + lineNumber
                        + " is not 'ALG(file)= digest'");
            }
            String algorithm = Digests.jcaName(matcher.group(1));
            if (algorithm == null) {
                throw new ImageFormatException(container + ": manifest '" + name + "' line " + lineNumber
                        + " uses unsupported digest " + matcher.group(1) + "; expected SHA1, SHA256 or SHA512");
            }
            String file = matcher.group(2);
            String hex = matcher.group(3).toLowerCase(Locale.ROOT);
            Digests.checkHex(container, "manifest '" + name + "' line " + lineNumber, algorithm, hex);
            if (entries.put(file, new Entry(algorithm, hex)) != null) {
                throw new ImageFormatException(container + ": manifest '" + name + "' lists '" + file + "' twice");
            }
        }
        if (entries.isEmpty()) {
            throw new ImageFormatException(container + ": manifest '" + name + "' lists no files");
        }
        return new OvfManifest(entries);
    }
}
