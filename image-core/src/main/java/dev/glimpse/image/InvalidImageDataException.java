package dev.glimpse.image;

/**
 * Uploaded image data was refused for what it contains (Glance's {@code InvalidImageData}, HTTP
 * 415): it is not the declared {@code disk_format}, it is a polyglot or a corrupt image, or it
 * breaks a safety check (a backing file, an external data file, a VMDK extent outside the file).
 * The message names the detected format or the broken rule. Nothing of the data was kept and the
 * image is {@code queued} again.
 */
public class InvalidImageDataException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what was found. */
    public InvalidImageDataException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the underlying cause. */
    public InvalidImageDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
