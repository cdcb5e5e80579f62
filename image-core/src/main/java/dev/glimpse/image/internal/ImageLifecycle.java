package dev.glimpse.image.internal;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.InvalidRequestException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one place where an image changes status: checks {@link ImageStatus#allowedTargets()} and
 * applies Glance's side rules. Every status change of the catalogue (create, delete, deactivate,
 * upload, import, scrub) goes through {@link #transition}.
 */
public final class ImageLifecycle {
    private static final Set<ImageStatus> NEED_FORMATS =
            EnumSet.of(ImageStatus.SAVING, ImageStatus.ACTIVE, ImageStatus.IMPORTING);

    private ImageLifecycle() {}

    /**
     * Returns a builder for the image in its new status, with the update time set.
     *
     * <p>Side rules, as Glance's {@code Image.status} setter: going to {@code queued} clears
     * {@code size} and {@code virtual_size}; leaving {@code queued} or {@code uploading} for
     * {@code saving}, {@code active} or {@code importing} needs both formats set.
     *
     * @throws ConflictException if the transition table does not allow the move
     * @throws InvalidRequestException if the formats are missing where they are required
     */
    public static Image.Builder transition(Image image, ImageStatus target, Instant now) {
        ImageStatus from = image.status();
        if (!from.canTransitionTo(target)) {
            throw new ConflictException("image " + image.id() + " cannot go from " + from + " to " + target
                    + "; allowed from " + from + ": " + from.allowedTargets());
        }
        if ((from == ImageStatus.QUEUED || from == ImageStatus.UPLOADING) && NEED_FORMATS.contains(target)
                && (image.diskFormat().isEmpty() || image.containerFormat().isEmpty())) {
            throw new InvalidRequestException("image " + image.id() + " needs disk_format and container_format"
                    + " before it can become " + target);
        }
        Image.Builder b = image.toBuilder().status(target).updatedAt(now);
        if (target == ImageStatus.QUEUED) {
            b.size(null).virtualSize(null);
        }
        return b;
    }
}
