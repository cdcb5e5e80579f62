package dev.glimpse.image.internal.metadef;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.metadef.MetadefNamespace;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The compare-and-set rename-aware replacement that every {@link dev.glimpse.image.spi.MetadefRepository}
 * performs, in one place so the in-memory and file repositories agree. Keeps the namespace's
 * position in creation order when it is renamed.
 */
public final class Replacement {
    private Replacement() {}

    /**
     * Returns the new map, or null when the stored namespace no longer equals {@code expected}.
     *
     * @throws NotFoundException if there is no namespace named {@code expected.namespace()}
     * @throws ConflictException if the new name is taken by another namespace
     */
    public static @Nullable Map<String, MetadefNamespace> apply(Map<String, MetadefNamespace> current,
            MetadefNamespace expected, MetadefNamespace updated) {
        String oldName = expected.namespace();
        MetadefNamespace stored = current.get(oldName);
        if (stored == null) {
            throw new NotFoundException("no namespace named '" + oldName + "'");
        }
        if (!stored.equals(expected)) {
            return null;
        }
        String newName = updated.namespace();
        if (!newName.equals(oldName) && current.containsKey(newName)) {
            throw new ConflictException("a namespace named '" + newName + "' already exists");
        }
        Map<String, MetadefNamespace> next = new LinkedHashMap<>();
        current.forEach((name, ns) -> next.put(name.equals(oldName) ? newName : name, name.equals(oldName) ? updated : ns));
        return next;
    }
}
