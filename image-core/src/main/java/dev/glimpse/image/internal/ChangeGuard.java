package dev.glimpse.image.internal;

import dev.glimpse.image.Image;
import dev.glimpse.image.RequestContext;
import org.jspecify.annotations.Nullable;

/**
 * A last check of a change, run by {@link DefaultImageService} on the exact record it is about to
 * store: before {@code repository.create} for a new image, and inside the compare-and-set loop of
 * {@link DefaultImageService#modify} for a change. Because the check sees the state the write will
 * replace, a limit it enforces (tags, properties, locations per image) or a rule that depends on
 * the change (publicizing needs {@code publicize_image}) holds under concurrent writers. It throws
 * to refuse; nothing is written then.
 */
@FunctionalInterface
public interface ChangeGuard {
    /** Allows everything. */
    ChangeGuard NONE = (context, before, after) -> { };

    /**
     * Checks a change.
     *
     * @param context the caller
     * @param before the stored image, or null when {@code after} is a new image
     * @param after what is about to be stored
     * @throws dev.glimpse.image.ImageException to refuse the change
     */
    void check(RequestContext context, @Nullable Image before, Image after);
}
