package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;

/**
 * Recognises and measures one format. Implementations are stateless and thread-safe; see
 * {@link ByteSource} for the rules that let one implementation serve seekable and streaming
 * inspection alike.
 *
 * <p>Contract of {@link #parse}:
 * <ul>
 *   <li>data without the format's signature: return {@link ParseResult#noMatch()} (a file too short
 *       to hold the signature is no match, not an error);
 *   <li>signature present and structure sound: return a match with virtual size, details and any
 *       {@link dev.glimpse.image.format.SafetyViolation}s (backing file, external extent, ...);
 *   <li>signature present but structure broken (truncated, inconsistent, out of range, over a
 *       limit): throw {@link ImageFormatException} naming the rule. Never return raw for it.
 * </ul>
 * Every length or offset read from the data is range-checked before use; nothing is allocated or
 * looped over in proportion to an unchecked value.
 */
public interface FormatParser {

    /** The wire name of the format this parser recognises, e.g. {@code "qcow2"}. */
    String name();

    /** Examines the image; see the class comment for the contract. */
    ParseResult parse(ByteSource source) throws ImageFormatException;
}
