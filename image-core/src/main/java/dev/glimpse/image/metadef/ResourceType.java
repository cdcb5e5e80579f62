package dev.glimpse.image.metadef;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A kind of resource that namespaces apply to, e.g. {@code OS::Glance::Image},
 * {@code OS::Nova::Flavor}, {@code OS::Cinder::Volume}. Resource types are global and created on
 * first association.
 *
 * @param name at most 80 characters
 * @param createdAt when it was first used; null in a request
 */
public record ResourceType(String name, @Nullable Instant createdAt) {
    /** The resource type of images, whose associations drive image property validation. */
    public static final String IMAGE = "OS::Glance::Image";

    /** Validates the name. */
    public ResourceType {
        Names.check("resource type name", name, Names.MAX_NAME);
    }
}
