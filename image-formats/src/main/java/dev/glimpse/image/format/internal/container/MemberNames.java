package dev.glimpse.image.format.internal.container;

import dev.glimpse.image.format.ImageFormatException;

/**
 * The rules for a path inside a container (a tar member name, an OVF href, a docker layer path):
 * relative, no {@code ..}, no backslashes or NULs, nothing that could land outside the directory
 * it is extracted to on any platform.
 */
final class MemberNames {
    private MemberNames() {}

    /**
     * Returns {@code raw} with any leading {@code ./} removed (and, for directories, the trailing
     * slash), or throws naming the rule it breaks.
     */
    static String normalize(String container, String raw, boolean directory) throws ImageFormatException {
        String name = raw;
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (directory && name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (directory && (name.isEmpty() || name.equals("."))) {
            return ".";
        }
        check(container, "member name", raw, name);
        return name;
    }

    /** Checks a relative path named inside a descriptor (an href, a layer path). */
    static void checkRelative(String container, String what, String path) throws ImageFormatException {
        check(container, what, path, path);
    }

    private static void check(String container, String what, String raw, String name) throws ImageFormatException {
        if (name.isEmpty()) {
            throw new ImageFormatException(container + ": empty " + what);
        }
        if (name.startsWith("/")) {
            throw new ImageFormatException(container + ": " + what + " '" + raw + "' is an absolute path");
        }
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new ImageFormatException(container + ": " + what + " '" + raw
                    + "' contains a backslash or NUL");
        }
        if (name.length() >= 2 && name.charAt(1) == ':') {
            throw new ImageFormatException(container + ": " + what + " '" + raw + "' is a drive-letter path");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                throw new ImageFormatException(container + ": " + what + " '" + raw
                        + "' contains '..' and could escape the extraction directory");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw new ImageFormatException(container + ": " + what + " '" + raw
                        + "' has an empty or '.' path segment");
            }
        }
    }
}
