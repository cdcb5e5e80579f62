package dev.glimpse.image.format;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link FormatInspector} found in one image.
 *
 * @param format the wire name of the detected format: a {@link DiskFormat} name such as
 *     {@code "qcow2"} or {@code "raw"}, or the name of a format Glimpse recognises but that has no
 *     disk format of its own ({@code "luks"}, {@code "qed"}, {@code "qcow"}, ...)
 * @param virtualSize the size of the disk the guest sees, in bytes, as {@code qemu-img info -f FMT}
 *     reports it (raw and iso: the length rounded up to 512, what the guest sees; VHD: qemu's
 *     per-creator rule); empty when the format has no such notion. For {@code iso}, Glance's
 *     figure (the primary volume's size) is detail {@code volume_size}
 * @param actualSize the number of bytes of the image itself (the file length, or the bytes
 *     streamed)
 * @param details format-specific facts, for display and policy: values are {@code String},
 *     {@code Long}, {@code Boolean} or {@code List<String>} (e.g. {@code "version" -> 3L},
 *     {@code "cluster_size" -> 65536L}, {@code "partition_table" -> "gpt"})
 * @param violations the safety rules the image breaks; empty when it is safe
 */
public record Inspection(
        String format,
        OptionalLong virtualSize,
        long actualSize,
        Map<String, Object> details,
        List<SafetyViolation> violations) {

    /** Validates and copies the components. */
    public Inspection {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(virtualSize, "virtualSize");
        if (actualSize < 0) {
            throw new IllegalArgumentException("actualSize must not be negative: " + actualSize);
        }
        details = Map.copyOf(details);
        violations = List.copyOf(violations);
    }

    /** Whether no safety rule is broken. */
    public boolean isSafe() {
        return violations.isEmpty();
    }

    /** The detected format as a {@link DiskFormat}, or empty for formats that have none (LUKS, QED, ...). */
    public Optional<DiskFormat> diskFormat() {
        for (DiskFormat candidate : DiskFormat.values()) {
            if (candidate.wireName().equals(format)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
