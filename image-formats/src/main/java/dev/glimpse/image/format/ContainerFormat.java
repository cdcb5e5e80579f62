package dev.glimpse.image.format;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The container formats an image can declare, with the names Glance uses on the wire
 * ({@code container_format}): what, if anything, wraps the disk image.
 */
public enum ContainerFormat {
    /** Amazon machine image (no container; goes with disk format {@code ami}). */
    AMI("ami"),
    /** Amazon ramdisk image (no container; goes with disk format {@code ari}). */
    ARI("ari"),
    /** Amazon kernel image (no container; goes with disk format {@code aki}). */
    AKI("aki"),
    /** No container: the data is the disk image itself. */
    BARE("bare"),
    /** An Open Virtualization Format descriptor (XML). */
    OVF("ovf"),
    /** An Open Virtual Appliance: a tar archive holding an OVF descriptor and its disk. */
    OVA("ova"),
    /** A {@code docker save} tar archive (legacy layout or OCI image layout). */
    DOCKER("docker"),
    /** A compressed archive (gzip, bzip2, xz, zstd, zip, lz4). */
    COMPRESSED("compressed");

    private static final Map<String, ContainerFormat> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ContainerFormat::wireName, Function.identity()));

    private final String wireName;

    ContainerFormat(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the name Glance uses for this format, e.g. {@code "bare"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the format with the given wire name.
     *
     * @throws IllegalArgumentException if no container format has that name
     */
    public static ContainerFormat fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        ContainerFormat format = BY_WIRE_NAME.get(wireName.toLowerCase(Locale.ROOT));
        if (format == null) {
            throw new IllegalArgumentException("unknown container format '" + wireName + "'; expected one of "
                    + Arrays.stream(values()).map(ContainerFormat::wireName).collect(Collectors.joining(", ")));
        }
        return format;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
