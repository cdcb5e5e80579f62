package dev.glimpse.image.format;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link FormatInspector#validate(java.nio.file.Path, ContainerFormat)} found in a container
 * that passed every rule of its format.
 *
 * <p>A container is the wrapping around a disk image: none at all ({@code bare}), a tar archive
 * ({@code ova}, {@code docker}), an XML descriptor ({@code ovf}) or a compressed file
 * ({@code compressed}). Refusals are never represented here: validation throws
 * {@link ImageFormatException} naming the broken rule instead.
 *
 * @param format the container format that was validated
 * @param actualSize the number of bytes of the container (the file length, or the bytes streamed)
 * @param members the names of the files inside the container, in archive order ({@code ova},
 *     {@code docker}), or the files an OVF descriptor references ({@code ovf}); empty otherwise
 * @param disk the inspection of the disk image the container carries: the data itself for
 *     {@code bare}, {@code ami}, {@code ari} and {@code aki}, the single disk member of an
 *     {@code ova}; empty when the container holds no disk that can be inspected without unpacking
 *     ({@code ovf}, {@code docker}, {@code compressed})
 * @param details container-specific facts: values are {@code String}, {@code Long},
 *     {@code Boolean} or {@code List<String>} (e.g. {@code "compression" -> "gzip"},
 *     {@code "descriptor" -> "vm.ovf"}, {@code "verified_digests" -> ["SHA256(disk.vmdk)"]})
 */
public record ContainerInspection(
        ContainerFormat format,
        long actualSize,
        List<String> members,
        Optional<Inspection> disk,
        Map<String, Object> details) {

    /** Validates and copies the components. */
    public ContainerInspection {
        Objects.requireNonNull(format, "format");
        if (actualSize < 0) {
            throw new IllegalArgumentException("actualSize must not be negative: " + actualSize);
        }
        members = List.copyOf(members);
        Objects.requireNonNull(disk, "disk");
        details = Map.copyOf(details);
    }
}
