package dev.glimpse.image.format;

/**
 * Bounds on the work and memory one inspection may spend, so that hostile lengths read from a
 * header can never make the inspector read, allocate or loop without bound. Exceeding a limit
 * raises {@link ImageFormatException} naming the limit.
 *
 * <p>The defaults fit every image qemu-img creates; raise them only for unusual but trusted images.
 *
 * @param maxBytesRead the most bytes one inspection may capture from the regions the parsers ask
 *     for, summed over all parsers; the first 64 KiB and last 4 KiB of the image, which every
 *     inspection keeps, and bytes merely streamed past do not count. This bounds memory: an
 *     inspection holds at most 68 KiB plus this much
 * @param maxRegionSize the largest single region a parser may ask for (qcow2's largest cluster is
 *     2 MiB)
 * @param maxDescriptorSize the largest text descriptor parsed (VMDK descriptors, OVF XML, JSON
 *     manifests)
 * @param maxTableEntries the most entries read from any table (partition entries, VHDX metadata
 *     entries, header extensions, tar members)
 */
public record InspectionLimits(long maxBytesRead, int maxRegionSize, int maxDescriptorSize, int maxTableEntries) {

    private static final InspectionLimits DEFAULTS =
            new InspectionLimits(16L * 1024 * 1024, 2 * 1024 * 1024, 1024 * 1024, 4096);

    /** Validates the components. */
    public InspectionLimits {
        if (maxBytesRead <= 0 || maxRegionSize <= 0 || maxDescriptorSize <= 0 || maxTableEntries <= 0) {
            throw new IllegalArgumentException("inspection limits must be positive: " + maxBytesRead + ", "
                    + maxRegionSize + ", " + maxDescriptorSize + ", " + maxTableEntries);
        }
        if (maxRegionSize > maxBytesRead) {
            throw new IllegalArgumentException(
                    "maxRegionSize " + maxRegionSize + " exceeds maxBytesRead " + maxBytesRead);
        }
    }

    /** Returns the safe defaults: 16 MiB read, 2 MiB per region, 1 MiB descriptors, 4096 table entries. */
    public static InspectionLimits defaults() {
        return DEFAULTS;
    }
}
