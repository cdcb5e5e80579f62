package dev.glimpse.image.format;

import java.io.IOException;

/**
 * The data claims a format and breaks its rules, or cannot be inspected safely: a truncated or
 * corrupt header behind a known magic, two formats in one file (a polyglot), a length that exceeds
 * the {@link InspectionLimits}, or data that is not the declared format.
 *
 * <p>"Not this format" is never an exception: a parser that does not recognise the data simply
 * does not match, and data no parser recognises is {@code raw}. Whatever the input, inspection
 * ends with an {@link Inspection} or this exception; never another exception, a hang or unbounded
 * memory.
 */
public class ImageFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the rule that was broken. */
    public ImageFormatException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the underlying cause. */
    public ImageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
