package dev.glimpse.image.metadef;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Filters of a namespace list, as {@code GET /v2/metadefs/namespaces} takes them.
 *
 * @param visibility only namespaces of this visibility, or null for both
 * @param resourceTypes only namespaces associated with at least one of these resource types, or
 *     empty for all
 */
public record NamespaceQuery(@Nullable MetadefVisibility visibility, Set<String> resourceTypes) {
    /** Copies the set. */
    public NamespaceQuery {
        resourceTypes = Set.copyOf(resourceTypes);
    }

    /** No filter: every namespace the caller may see. */
    public static NamespaceQuery all() {
        return new NamespaceQuery(null, Set.of());
    }

    /** Namespaces associated with this resource type, e.g. {@link ResourceType#IMAGE}. */
    public static NamespaceQuery forResourceType(String resourceType) {
        return new NamespaceQuery(null, Set.of(resourceType));
    }
}
