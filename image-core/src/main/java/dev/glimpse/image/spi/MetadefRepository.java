package dev.glimpse.image.spi;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.metadef.MetadefNamespace;
import dev.glimpse.image.metadef.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of metadata definitions, one namespace document (the namespace with all its
 * contents) at a time, plus the global list of resource types.
 *
 * <p>Contract, checked by the contract test suite that every implementation runs
 * ({@code MetadefRepositoryContractTest} in image-core's test-jar):
 * <ul>
 *   <li>namespace names are unique; lookups are exact (case-sensitive);
 *   <li>each write is atomic: after a crash a reader sees the old or the new document, never a
 *       mix, and a failed write changes nothing;
 *   <li>{@link #replace} is a compare-and-set, so two services editing the same namespace cannot
 *       lose each other's changes;
 *   <li>implementations are thread-safe; I/O failures surface as {@link java.io.UncheckedIOException}.
 * </ul>
 * Authorisation, validation and timestamps are the service's job, not the repository's.
 */
public interface MetadefRepository {

    /** Every namespace, in creation order. */
    List<MetadefNamespace> list();

    /** The namespace of that name, if any. */
    Optional<MetadefNamespace> find(String namespace);

    /**
     * Stores a new namespace.
     *
     * @throws ConflictException if a namespace of that name exists
     */
    void create(MetadefNamespace namespace);

    /**
     * Replaces {@code expected} by {@code updated}, which may carry a new name.
     *
     * @return false, changing nothing, if the stored namespace named {@code expected.namespace()}
     *     is no longer equal to {@code expected} (someone else changed it; reload and retry)
     * @throws NotFoundException if no namespace of that name exists
     * @throws ConflictException if {@code updated} is renamed to the name of another namespace
     */
    boolean replace(MetadefNamespace expected, MetadefNamespace updated);

    /**
     * Deletes a namespace with its contents.
     *
     * @throws NotFoundException if no namespace of that name exists
     */
    void delete(String namespace);

    /** Every resource type ever associated or registered, in registration order. */
    List<ResourceType> resourceTypes();

    /**
     * Registers a resource type if no type of that name exists.
     *
     * @return true if it was added, false if it already existed
     */
    boolean addResourceType(ResourceType type);
}
