package dev.glimpse.image.format;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The disk formats an image can declare, with the names Glance uses on the wire ({@code disk_format}).
 *
 * <p>This is the one definition of the set: the catalogue in {@code image-core} uses it for the
 * {@code disk_format} attribute and {@link FormatInspector} reports what it detects in its terms.
 */
public enum DiskFormat {
    /** Amazon machine image: a raw disk image used with a separate kernel and ramdisk. */
    AMI("ami"),
    /** Amazon ramdisk image: an initial ramdisk (gzip, xz, cpio, ...). */
    ARI("ari"),
    /** Amazon kernel image: a bootable kernel (bzImage, ELF, ...). */
    AKI("aki"),
    /** Microsoft Virtual Hard Disk, dynamic or fixed (qemu's {@code vpc}). */
    VHD("vhd"),
    /** Microsoft Virtual Hard Disk v2. */
    VHDX("vhdx"),
    /** VMware Virtual Machine Disk. */
    VMDK("vmdk"),
    /** A plain disk image, byte for byte. */
    RAW("raw"),
    /** QEMU copy-on-write v2 (versions 2 and 3). */
    QCOW2("qcow2"),
    /** VirtualBox Disk Image. */
    VDI("vdi"),
    /** An ISO 9660 optical disc image (with or without a UDF bridge or hybrid partition table). */
    ISO("iso"),
    /** Virtuozzo/OpenVZ ploop; accepted as a declaration, never detected (qemu cannot read it safely). */
    PLOOP("ploop");

    private static final Map<String, DiskFormat> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(DiskFormat::wireName, Function.identity()));

    private final String wireName;

    DiskFormat(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the name Glance uses for this format, e.g. {@code "qcow2"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the format with the given wire name.
     *
     * @throws IllegalArgumentException if no disk format has that name; unknown formats are an
     *     error rather than a silent {@code UNKNOWN}
     */
    public static DiskFormat fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        DiskFormat format = BY_WIRE_NAME.get(wireName.toLowerCase(Locale.ROOT));
        if (format == null) {
            throw new IllegalArgumentException("unknown disk format '" + wireName + "'; expected one of "
                    + Arrays.stream(values()).map(DiskFormat::wireName).collect(Collectors.joining(", ")));
        }
        return format;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
