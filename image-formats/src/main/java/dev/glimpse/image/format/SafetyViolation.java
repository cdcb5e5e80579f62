package dev.glimpse.image.format;

import java.util.Objects;

/**
 * A named reason why a well-formed image is not safe to hand to a hypervisor or to qemu-img: a
 * backing file, an external data file, a VMDK extent outside the file, a format that is refused
 * outright.
 *
 * @param code a stable, machine-readable name, e.g. {@code "backing_file"}, {@code "data_file"},
 *     {@code "vmdk_create_type"}, {@code "unsupported_format"}
 * @param message what was found, for people, e.g. {@code "qcow2 backing file '/etc/passwd'"}
 */
public record SafetyViolation(String code, String message) {
    /** Validates the components. */
    public SafetyViolation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (code.isBlank()) {
            throw new IllegalArgumentException("code must not be blank");
        }
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
