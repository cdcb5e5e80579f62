package dev.glimpse.image.metadef;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Says that a namespace applies to a resource type, and how its property names are spelled on
 * that resource: with {@code prefix} {@code hw_}, property {@code cpu_policy} of
 * {@code OS::Compute::CPUPinning} is the image property {@code hw_cpu_policy}; on flavors, with
 * prefix {@code hw:}, the extra spec {@code hw:cpu_policy}.
 *
 * @param name the resource type, e.g. {@code OS::Glance::Image}; at most 80 characters
 * @param prefix prepended to property names on that resource, or null; at most 80 characters
 * @param propertiesTarget where on the resource the properties go (e.g. {@code image} for a
 *     Cinder volume's image metadata), or null; at most 80 characters
 * @param createdAt set by the service; null in a request
 * @param updatedAt set by the service; null in a request
 */
public record ResourceTypeAssociation(String name, @Nullable String prefix, @Nullable String propertiesTarget,
        @Nullable Instant createdAt, @Nullable Instant updatedAt) {

    /** Validates lengths. */
    public ResourceTypeAssociation {
        Names.check("resource type name", name, Names.MAX_NAME);
        Names.checkOptional("prefix", prefix, Names.MAX_NAME);
        Names.checkOptional("properties_target", propertiesTarget, Names.MAX_NAME);
    }

    /** An association for requests. */
    public static ResourceTypeAssociation of(String name, @Nullable String prefix) {
        return new ResourceTypeAssociation(name, prefix, null, null, null);
    }

    /** The name of {@code property} on the resource: the prefix, if any, followed by the name. */
    public String prefixed(String property) {
        return prefix == null ? property : prefix + property;
    }

    /** This association with other timestamps. */
    public ResourceTypeAssociation withTimes(Instant created, Instant updated) {
        return new ResourceTypeAssociation(name, prefix, propertiesTarget, Objects.requireNonNull(created),
                Objects.requireNonNull(updated));
    }
}
