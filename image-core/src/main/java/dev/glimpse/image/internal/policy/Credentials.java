package dev.glimpse.image.internal.policy;

import dev.glimpse.image.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The credential dictionary oslo.policy checks rules against, built from a {@link RequestContext}
 * with the keys Glance's context exposes: {@code project_id}, {@code user_id}, {@code roles},
 * {@code is_admin}, plus the legacy alias {@code tenant} for {@code project_id}.
 */
public record Credentials(Set<String> roles, Map<String, Object> values) {

    public Credentials {
        roles = Set.copyOf(roles);
        values = Map.copyOf(values);
    }

    /** Builds the credentials of a request. */
    public static Credentials of(RequestContext context) {
        return new Credentials(context.roles(), Map.of(
                "project_id", context.projectId(),
                "tenant", context.projectId(),
                "user_id", context.userId(),
                "roles", List.copyOf(context.roles()),
                "is_admin", context.isAdmin()));
    }

    /** Looks up a dotted path; null when any step is missing or not a map. */
    @Nullable Object lookup(String path) {
        Object current = values;
        for (String step : path.split("\\.", -1)) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
            if (current == null) {
                return null;
            }
        }
        return current;
    }
}
