package dev.glimpse.image.internal.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Maps Glance's {@code hashing_algorithm} names (Python {@code hashlib} names such as
 * {@code sha512}, {@code sha3_256}) to JDK digests.
 */
public final class HashAlgorithms {
    private static final Map<String, String> JCA = Map.ofEntries(
            Map.entry("md5", "MD5"),
            Map.entry("sha1", "SHA-1"),
            Map.entry("sha224", "SHA-224"),
            Map.entry("sha256", "SHA-256"),
            Map.entry("sha384", "SHA-384"),
            Map.entry("sha512", "SHA-512"),
            Map.entry("sha512_224", "SHA-512/224"),
            Map.entry("sha512_256", "SHA-512/256"),
            Map.entry("sha3_224", "SHA3-224"),
            Map.entry("sha3_256", "SHA3-256"),
            Map.entry("sha3_384", "SHA3-384"),
            Map.entry("sha3_512", "SHA3-512"));

    private HashAlgorithms() {}

    /**
     * Returns a new digest for a Glance algorithm name.
     *
     * @throws IllegalArgumentException if the name is not a known algorithm
     */
    public static MessageDigest digest(String glanceName) {
        Objects.requireNonNull(glanceName, "glanceName");
        String jca = JCA.get(glanceName.toLowerCase(Locale.ROOT));
        if (jca == null) {
            throw new IllegalArgumentException("unknown hashing algorithm '" + glanceName + "'; expected one of "
                    + new java.util.TreeSet<>(JCA.keySet()));
        }
        try {
            return MessageDigest.getInstance(jca);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("hashing algorithm '" + glanceName + "' is not available in this JDK", e);
        }
    }

    /** Checks that a name is known and available, returning it in lower case. */
    public static String validate(String glanceName) {
        digest(glanceName);
        return glanceName.toLowerCase(Locale.ROOT);
    }
}
