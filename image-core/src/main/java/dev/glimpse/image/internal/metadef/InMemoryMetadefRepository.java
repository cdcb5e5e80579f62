package dev.glimpse.image.internal.metadef;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.metadef.MetadefNamespace;
import dev.glimpse.image.metadef.ResourceType;
import dev.glimpse.image.spi.MetadefRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@link MetadefRepository} in memory: lost at exit. Thread-safe (one lock; metadefs are few and small). */
public final class InMemoryMetadefRepository implements MetadefRepository {
    private final Map<String, MetadefNamespace> namespaces = new LinkedHashMap<>();
    private final Map<String, ResourceType> resourceTypes = new LinkedHashMap<>();

    @Override
    public synchronized List<MetadefNamespace> list() {
        return List.copyOf(namespaces.values());
    }

    @Override
    public synchronized Optional<MetadefNamespace> find(String namespace) {
        return Optional.ofNullable(namespaces.get(Objects.requireNonNull(namespace, "namespace")));
    }

    @Override
    public synchronized void create(MetadefNamespace namespace) {
        if (namespaces.putIfAbsent(namespace.namespace(), namespace) != null) {
            throw new ConflictException("a namespace named '" + namespace.namespace() + "' already exists");
        }
    }

    @Override
    public synchronized boolean replace(MetadefNamespace expected, MetadefNamespace updated) {
        Map<String, MetadefNamespace> next = Replacement.apply(namespaces, expected, updated);
        if (next == null) {
            return false;
        }
        namespaces.clear();
        namespaces.putAll(next);
        return true;
    }

    @Override
    public synchronized void delete(String namespace) {
        if (namespaces.remove(namespace) == null) {
            throw new NotFoundException("no namespace named '" + namespace + "'");
        }
    }

    @Override
    public synchronized List<ResourceType> resourceTypes() {
        return new ArrayList<>(resourceTypes.values());
    }

    @Override
    public synchronized boolean addResourceType(ResourceType type) {
        return resourceTypes.putIfAbsent(type.name(), type) == null;
    }
}
