package dev.glimpse.image.config;

/**
 * Per-project limits in the manner of Keystone unified limits as Glance uses them
 * ({@code glance/quota/keystone.py}). A negative value means unlimited.
 *
 * @param imageCountTotal how many images (of any status except deleted) the project may own
 * @param imageCountUploading how many images may be in saving, uploading or importing at once
 * @param imageSizeTotalBytes the total size in bytes of the project's active image data
 * @param imageStageTotalBytes the total size in bytes of the project's staged data
 */
public record ProjectLimits(long imageCountTotal, long imageCountUploading, long imageSizeTotalBytes,
        long imageStageTotalBytes) {

    /** No limit on anything. */
    public static final ProjectLimits UNLIMITED = new ProjectLimits(-1, -1, -1, -1);

    /** Normalises every negative value to -1. */
    public ProjectLimits {
        imageCountTotal = Math.max(-1, imageCountTotal);
        imageCountUploading = Math.max(-1, imageCountUploading);
        imageSizeTotalBytes = Math.max(-1, imageSizeTotalBytes);
        imageStageTotalBytes = Math.max(-1, imageStageTotalBytes);
    }

    /** Whether {@code value} is the "unlimited" marker. */
    public static boolean isUnlimited(long value) {
        return value < 0;
    }
}
