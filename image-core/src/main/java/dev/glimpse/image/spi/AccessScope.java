package dev.glimpse.image.spi;

import dev.glimpse.image.RequestContext;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * On whose behalf a repository lists images: the caller's project and whether it is an
 * administrator. Repositories apply Glance's list visibility rules with it (see
 * {@link ImageRepository#list}); it carries no policy beyond that.
 *
 * @param projectId the caller's project, or null for a caller without one (sees only what an
 *     administrator or the public sees)
 * @param admin whether the caller sees every image regardless of visibility and membership
 */
public record AccessScope(@Nullable String projectId, boolean admin) {

    /** Returns the scope of a request. */
    public static AccessScope of(RequestContext context) {
        Objects.requireNonNull(context, "context");
        return new AccessScope(context.projectId(), context.isAdmin());
    }

    /** Returns an administrator scope with no project, for maintenance jobs such as the scrubber. */
    public static AccessScope system() {
        return new AccessScope(null, true);
    }
}
