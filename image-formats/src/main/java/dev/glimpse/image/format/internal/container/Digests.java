package dev.glimpse.image.format.internal.container;

import dev.glimpse.image.format.ImageFormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The digest algorithms container manifests use, by the names the manifests spell them. */
final class Digests {
    private Digests() {}

    /** The JCA name for a manifest algorithm name ({@code SHA256}, {@code sha256}, ...), or null. */
    static String jcaName(String manifestName) {
        return switch (manifestName.toUpperCase(Locale.ROOT).replace("-", "")) {
            case "SHA1" -> "SHA-1";
            case "SHA256" -> "SHA-256";
            case "SHA512" -> "SHA-512";
            default -> null;
        };
    }

    /** Hex length of a digest. */
    static int hexLength(String jcaName) {
        return switch (jcaName) {
            case "SHA-1" -> 40;
            case "SHA-256" -> 64;
            default -> 128;
        };
    }

    static MessageDigest create(String jcaName) {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1, SHA-256 and SHA-512.
            throw new IllegalStateException(e);
        }
    }

    /** Several digests of one member, updated together as its bytes pass. */
    static final class Set {
        private final Map<String, MessageDigest> digests = new LinkedHashMap<>();

        Set(Iterable<String> jcaNames) {
            for (String name : jcaNames) {
                digests.put(name, create(name));
            }
        }

        boolean isEmpty() {
            return digests.isEmpty();
        }

        void update(byte[] data, int offset, int length) {
            for (MessageDigest digest : digests.values()) {
                digest.update(data, offset, length);
            }
        }

        /** The lower-case hex digests by JCA name; the set cannot be updated afterwards. */
        Map<String, String> finish() {
            Map<String, String> result = new LinkedHashMap<>();
            digests.forEach((name, digest) -> result.put(name, HexFormat.of().formatHex(digest.digest())));
            return result;
        }
    }

    static String hex(String jcaName, byte[] data) {
        return HexFormat.of().formatHex(create(jcaName).digest(data));
    }

    static void checkHex(String container, String where, String jcaName, String hex) throws ImageFormatException {
        if (hex.length() != hexLength(jcaName) || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new ImageFormatException(container + ": " + where + ": '" + hex + "' is not a " + jcaName
                    + " digest");
        }
    }
}
