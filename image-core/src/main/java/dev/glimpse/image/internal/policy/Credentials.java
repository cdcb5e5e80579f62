package dev.glimpse.image.internal.policy;

import dev.glimpse.image.RequestContext;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The credentials oslo.policy checks rules against, read from a {@link RequestContext} with the
 * keys Glance's context exposes: {@code project_id}, {@code user_id}, {@code roles},
 * {@code is_admin}, plus the legacy alias {@code tenant} for {@code project_id}. A view, not a
 * copy: a policy decision allocates nothing for it.
 */
public final class Credentials {
    private final RequestContext context;

    private Credentials(RequestContext context) {
        this.context = context;
    }

    /** The credentials of a request. */
    public static Credentials of(RequestContext context) {
        return new Credentials(context);
    }

    /** The caller's roles, lower case. */
    Set<String> roles() {
        return context.roles();
    }

    /** The value of a credential; null when there is none (dotted paths into nested values do not exist here). */
    @Nullable Object lookup(String path) {
        switch (path) {
            case "project_id":
            case "tenant":
                return context.projectId();
            case "user_id":
                return context.userId();
            case "roles":
                return List.copyOf(context.roles());
            case "is_admin":
                return context.isAdmin();
            default:
                return null;
        }
    }
}
