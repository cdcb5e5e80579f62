package dev.glimpse.image.metadef;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tag of a namespace: a name users may put on resources.
 *
 * @param name at most 80 characters, unique within the namespace
 * @param createdAt set by the service; null in a request
 * @param updatedAt set by the service; null in a request
 */
public record MetadefTag(String name, @Nullable Instant createdAt, @Nullable Instant updatedAt) {
    /** Validates the name. */
    public MetadefTag {
        Names.check("tag name", name, Names.MAX_NAME);
    }

    /** A tag with this name and no timestamps, for requests. */
    public static MetadefTag of(String name) {
        return new MetadefTag(name, null, null);
    }

    /** This tag with other timestamps. */
    public MetadefTag withTimes(Instant created, Instant updated) {
        return new MetadefTag(name, Objects.requireNonNull(created), Objects.requireNonNull(updated));
    }
}
