package dev.glimpse.image.metadef;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.event.EventType;
import dev.glimpse.image.internal.event.EventDispatcher;
import dev.glimpse.image.internal.metadef.InMemoryMetadefRepository;
import dev.glimpse.image.policy.Policy;
import dev.glimpse.image.policy.PolicyTargets;
import dev.glimpse.image.spi.EventListener;
import dev.glimpse.image.spi.MetadefRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The metadata-definitions catalogue (Glance's {@code /v2/metadefs} API as Java calls):
 * namespaces and their objects, properties, tags and resource type associations.
 *
 * <p>Every call takes the caller's {@link RequestContext} and follows Glance's rules, in this
 * order: a namespace the caller may not see (private and owned by another project, unless the
 * caller is an admin) is {@link NotFoundException}; then the policy rule of the action
 * ({@code get_metadef_namespace}, {@code add_metadef_object}, ...) is enforced
 * ({@link ForbiddenException}); changes need the caller to own the namespace or be an admin
 * ({@link ForbiddenException}); a protected namespace and its contents cannot be deleted
 * ({@link ForbiddenException}); duplicate names are {@link ConflictException}; invalid
 * definitions are {@link InvalidRequestException}. A refused call changes nothing.
 *
 * <p>Changes are read-modify-write of the namespace document with a compare-and-set in the
 * repository, retried on a concurrent change, so concurrent callers never lose each other's
 * updates. After a change is stored the matching {@code metadef_*} event is sent; a failing
 * listener does not undo the change. Thread-safe.
 */
public final class MetadefService {
    private static final int MAX_ATTEMPTS = 32;

    private final MetadefRepository repository;
    private final Policy policy;
    private final EventDispatcher events;
    private final Clock clock;

    private MetadefService(Builder b) {
        this.repository = b.repository != null ? b.repository : new InMemoryMetadefRepository();
        this.policy = b.policy;
        this.clock = b.clock;
        this.events = new EventDispatcher(b.listeners, b.executor, Set.copyOf(b.config.disabledNotifications()),
                b.config.defaultPublisherId(), b.clock);
    }

    /** Returns a builder: in-memory repository, default policy, no listeners. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------- namespaces

    /**
     * Creates a namespace, with any contents it carries. The owner defaults to the caller's
     * project; only an admin may create a namespace for another project. Timestamps are set here.
     *
     * @return the stored namespace
     */
    public MetadefNamespace createNamespace(RequestContext ctx, MetadefNamespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        String owner = namespace.owner().orElse(ctx.projectId());
        policy.enforce("add_metadef_namespace", ctx, PolicyTargets.namespace(owner, namespace.visibility().wireName()));
        if (!ctx.isAdmin() && !owner.equals(ctx.projectId())) {
            throw new ForbiddenException("only an admin may create a namespace owned by another project ("
                    + owner + ")");
        }
        Instant now = clock.instant();
        MetadefNamespace stored = stamp(namespace.toBuilder().owner(owner), now).build();
        registerResourceTypes(stored, now);
        repository.create(stored);
        events.info(EventType.METADEF_NAMESPACE_CREATE, Payloads.namespace(stored, null));
        return stored;
    }

    /** Returns a namespace with its contents. */
    public MetadefNamespace getNamespace(RequestContext ctx, String namespace) {
        return visible(ctx, namespace, "get_metadef_namespace");
    }

    /**
     * Returns a namespace with its property names (also those of its objects) as they are spelled
     * on {@code resourceType}: with the association's prefix, e.g. {@code hw_cpu_policy} for
     * images. A namespace not associated with the resource type is returned unchanged.
     */
    public MetadefNamespace getNamespace(RequestContext ctx, String namespace, String resourceType) {
        MetadefNamespace ns = visible(ctx, namespace, "get_metadef_namespace");
        ResourceTypeAssociation association = ns.resourceTypeAssociations().get(resourceType);
        if (association == null || association.prefix() == null) {
            return ns;
        }
        MetadefNamespace.Builder b = ns.toBuilder();
        List<PropertyDefinition> properties = new ArrayList<>();
        ns.properties().values().forEach(p -> properties.add(p.withName(association.prefixed(p.name()))));
        b.properties(properties);
        List<MetadefObject> objects = new ArrayList<>();
        for (MetadefObject o : ns.objects().values()) {
            List<PropertyDefinition> ps = new ArrayList<>();
            o.properties().values().forEach(p -> ps.add(p.withName(association.prefixed(p.name()))));
            objects.add(o.toBuilder().properties(ps)
                    .required(o.required().stream().map(association::prefixed).toList()).build());
        }
        return b.objects(objects).build();
    }

    /**
     * Lists the namespaces the caller may see that match the query, in creation order, each with
     * its resource type associations but without properties, objects or tags.
     */
    public List<MetadefNamespace> listNamespaces(RequestContext ctx, NamespaceQuery query) {
        Objects.requireNonNull(query, "query");
        policy.enforce("get_metadef_namespaces", ctx, PolicyTargets.project(ctx.projectId()));
        List<MetadefNamespace> result = new ArrayList<>();
        for (MetadefNamespace ns : repository.list()) {
            if (!canSee(ctx, ns)) {
                continue;
            }
            if (query.visibility() != null && ns.visibility() != query.visibility()) {
                continue;
            }
            if (!query.resourceTypes().isEmpty()
                    && query.resourceTypes().stream().noneMatch(ns.resourceTypeAssociations()::containsKey)) {
                continue;
            }
            result.add(ns.toBuilder().properties(List.of()).objects(List.of()).tags(List.of()).build());
        }
        return result;
    }

    /**
     * Updates a namespace's own fields from {@code changes}: name, display name, description,
     * visibility, protected and owner (owner: admins only). Contents are kept; any contents in
     * {@code changes} are ignored.
     *
     * @throws ConflictException if renamed to an existing namespace's name
     */
    public MetadefNamespace updateNamespace(RequestContext ctx, String namespace, MetadefNamespace changes) {
        Objects.requireNonNull(changes, "changes");
        String[] oldName = {namespace};
        MetadefNamespace updated = mutate(ctx, namespace, "modify_metadef_namespace", current -> {
            String newOwner = changes.owner().orElse(current.owner().orElse(null));
            if (!Objects.equals(newOwner, current.owner().orElse(null)) && !ctx.isAdmin()) {
                throw new ForbiddenException("only an admin may change the owner of namespace '" + namespace + "'");
            }
            return current.toBuilder().namespace(changes.namespace()).displayName(changes.displayName().orElse(null))
                    .description(changes.description().orElse(null)).visibility(changes.visibility())
                    .isProtected(changes.isProtected()).owner(newOwner).updatedAt(clock.instant()).build();
        });
        events.info(EventType.METADEF_NAMESPACE_UPDATE, Payloads.namespace(updated, oldName[0]));
        return updated;
    }

    /**
     * Deletes a namespace and everything in it.
     *
     * @throws ForbiddenException if it is protected
     */
    public void deleteNamespace(RequestContext ctx, String namespace) {
        MetadefNamespace ns = authorizeChange(ctx, namespace, "delete_metadef_namespace");
        requireUnprotected(ns, "delete namespace '" + namespace + "'");
        repository.delete(namespace);
        events.info(EventType.METADEF_NAMESPACE_DELETE, deleted(Payloads.namespace(ns, null)));
    }

    /** Deletes every object of a namespace (forbidden when protected). */
    public void deleteObjects(RequestContext ctx, String namespace) {
        MetadefNamespace updated = mutate(ctx, namespace, "delete_metadef_object", current -> {
            requireUnprotected(current, "delete the objects of namespace '" + namespace + "'");
            return current.toBuilder().objects(List.of()).build();
        });
        events.info(EventType.METADEF_NAMESPACE_DELETE_OBJECTS, Payloads.namespace(updated, null));
    }

    /** Deletes every property of a namespace (forbidden when protected). */
    public void deleteProperties(RequestContext ctx, String namespace) {
        MetadefNamespace updated = mutate(ctx, namespace, "remove_metadef_property", current -> {
            requireUnprotected(current, "delete the properties of namespace '" + namespace + "'");
            return current.toBuilder().properties(List.of()).build();
        });
        events.info(EventType.METADEF_NAMESPACE_DELETE_PROPERTIES, Payloads.namespace(updated, null));
    }

    /** Deletes every tag of a namespace (forbidden when protected). */
    public void deleteTags(RequestContext ctx, String namespace) {
        MetadefNamespace updated = mutate(ctx, namespace, "delete_metadef_tags", current -> {
            requireUnprotected(current, "delete the tags of namespace '" + namespace + "'");
            return current.toBuilder().tags(List.of()).build();
        });
        events.info(EventType.METADEF_NAMESPACE_DELETE_TAGS, Payloads.namespace(updated, null));
    }

    // ------------------------------------------------------------------------------------- objects

    /**
     * Adds an object to a namespace.
     *
     * @throws ConflictException if an object of that name exists
     */
    public MetadefObject createObject(RequestContext ctx, String namespace, MetadefObject object) {
        Objects.requireNonNull(object, "object");
        Instant now = clock.instant();
        MetadefObject stored = object.toBuilder().createdAt(now).updatedAt(now).build();
        mutate(ctx, namespace, "add_metadef_object", current -> current.toBuilder().object(stored).build());
        events.info(EventType.METADEF_OBJECT_CREATE, Payloads.object(namespace, stored, null));
        return stored;
    }

    /** Returns an object of a namespace. */
    public MetadefObject getObject(RequestContext ctx, String namespace, String name) {
        MetadefObject object = visible(ctx, namespace, "get_metadef_object").objects().get(name);
        if (object == null) {
            throw new NotFoundException("namespace '" + namespace + "' has no object named '" + name + "'");
        }
        return object;
    }

    /** Lists the objects of a namespace. */
    public List<MetadefObject> listObjects(RequestContext ctx, String namespace) {
        return List.copyOf(visible(ctx, namespace, "get_metadef_objects").objects().values());
    }

    /**
     * Replaces an object; {@code object} may carry a new name.
     *
     * @throws NotFoundException if the object does not exist
     * @throws ConflictException if renamed to the name of another object
     */
    public MetadefObject updateObject(RequestContext ctx, String namespace, String name, MetadefObject object) {
        Objects.requireNonNull(object, "object");
        MetadefObject[] stored = new MetadefObject[1];
        mutate(ctx, namespace, "modify_metadef_object", current -> {
            MetadefObject old = current.objects().get(name);
            if (old == null) {
                throw new NotFoundException("namespace '" + namespace + "' has no object named '" + name + "'");
            }
            stored[0] = object.toBuilder().createdAt(old.createdAt().orElse(null)).updatedAt(clock.instant()).build();
            return current.toBuilder().replaceObject(name, stored[0]).build();
        });
        events.info(EventType.METADEF_OBJECT_UPDATE, Payloads.object(namespace, stored[0], name));
        return stored[0];
    }

    /**
     * Deletes an object.
     *
     * @throws ForbiddenException if the namespace is protected
     */
    public void deleteObject(RequestContext ctx, String namespace, String name) {
        MetadefObject[] removed = new MetadefObject[1];
        mutate(ctx, namespace, "delete_metadef_object", current -> {
            removed[0] = current.objects().get(name);
            if (removed[0] == null) {
                throw new NotFoundException("namespace '" + namespace + "' has no object named '" + name + "'");
            }
            requireUnprotected(current, "delete object '" + name + "'");
            return current.toBuilder().removeObject(name).build();
        });
        events.info(EventType.METADEF_OBJECT_DELETE, deleted(Payloads.object(namespace, removed[0], null)));
    }

    // ---------------------------------------------------------------------------------- properties

    /**
     * Adds a property definition to a namespace.
     *
     * @throws ConflictException if a property of that name exists
     */
    public PropertyDefinition createProperty(RequestContext ctx, String namespace, PropertyDefinition property) {
        Objects.requireNonNull(property, "property");
        mutate(ctx, namespace, "add_metadef_property", current -> current.toBuilder().property(property).build());
        events.info(EventType.METADEF_PROPERTY_CREATE, Payloads.property(namespace, property, null));
        return property;
    }

    /** Returns a property definition of a namespace. */
    public PropertyDefinition getProperty(RequestContext ctx, String namespace, String name) {
        PropertyDefinition property = visible(ctx, namespace, "get_metadef_property").properties().get(name);
        if (property == null) {
            throw new NotFoundException("namespace '" + namespace + "' has no property named '" + name + "'");
        }
        return property;
    }

    /** Lists the property definitions of a namespace. */
    public List<PropertyDefinition> listProperties(RequestContext ctx, String namespace) {
        return List.copyOf(visible(ctx, namespace, "get_metadef_properties").properties().values());
    }

    /**
     * Replaces a property definition; {@code property} may carry a new name.
     *
     * @throws NotFoundException if the property does not exist
     * @throws ConflictException if renamed to the name of another property
     */
    public PropertyDefinition updateProperty(RequestContext ctx, String namespace, String name,
            PropertyDefinition property) {
        Objects.requireNonNull(property, "property");
        mutate(ctx, namespace, "modify_metadef_property", current -> {
            if (!current.properties().containsKey(name)) {
                throw new NotFoundException("namespace '" + namespace + "' has no property named '" + name + "'");
            }
            return current.toBuilder().replaceProperty(name, property).build();
        });
        events.info(EventType.METADEF_PROPERTY_UPDATE, Payloads.property(namespace, property, name));
        return property;
    }

    /**
     * Deletes a property definition.
     *
     * @throws ForbiddenException if the namespace is protected
     */
    public void deleteProperty(RequestContext ctx, String namespace, String name) {
        PropertyDefinition[] removed = new PropertyDefinition[1];
        mutate(ctx, namespace, "remove_metadef_property", current -> {
            removed[0] = current.properties().get(name);
            if (removed[0] == null) {
                throw new NotFoundException("namespace '" + namespace + "' has no property named '" + name + "'");
            }
            requireUnprotected(current, "delete property '" + name + "'");
            return current.toBuilder().removeProperty(name).build();
        });
        events.info(EventType.METADEF_PROPERTY_DELETE, deleted(Payloads.property(namespace, removed[0], null)));
    }

    // ---------------------------------------------------------------------------------------- tags

    /**
     * Adds a tag.
     *
     * @throws ConflictException if a tag of that name exists
     */
    public MetadefTag createTag(RequestContext ctx, String namespace, String name) {
        Instant now = clock.instant();
        MetadefTag tag = new MetadefTag(name, now, now);
        mutate(ctx, namespace, "add_metadef_tag", current -> current.toBuilder().tag(tag).build());
        events.info(EventType.METADEF_TAG_CREATE, Payloads.tag(namespace, tag, null));
        return tag;
    }

    /**
     * Adds several tags at once (Glance's {@code POST .../tags}). Without {@code append} they
     * replace the existing tags, which is refused for a protected namespace that has tags.
     *
     * @throws ConflictException if a name repeats in the request, or, with append, already exists
     */
    public List<MetadefTag> createTags(RequestContext ctx, String namespace, List<String> names, boolean append) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new ConflictException("tag '" + name + "' appears twice in the request");
            }
        }
        Instant now = clock.instant();
        List<MetadefTag> created = names.stream().map(n -> new MetadefTag(n, now, now)).toList();
        mutate(ctx, namespace, "add_metadef_tags", current -> {
            MetadefNamespace.Builder b = current.toBuilder();
            if (!append) {
                if (!current.tags().isEmpty()) {
                    requireUnprotected(current, "replace the tags of namespace '" + namespace + "'");
                }
                b.tags(List.of());
            }
            created.forEach(b::tag);
            return b.build();
        });
        created.forEach(tag -> events.info(EventType.METADEF_TAG_CREATE, Payloads.tag(namespace, tag, null)));
        return created;
    }

    /** Returns a tag. */
    public MetadefTag getTag(RequestContext ctx, String namespace, String name) {
        MetadefTag tag = visible(ctx, namespace, "get_metadef_tag").tags().get(name);
        if (tag == null) {
            throw new NotFoundException("namespace '" + namespace + "' has no tag named '" + name + "'");
        }
        return tag;
    }

    /** Lists the tags of a namespace. */
    public List<MetadefTag> listTags(RequestContext ctx, String namespace) {
        return List.copyOf(visible(ctx, namespace, "get_metadef_tags").tags().values());
    }

    /**
     * Renames a tag.
     *
     * @throws NotFoundException if the tag does not exist
     * @throws ConflictException if the new name is taken
     */
    public MetadefTag updateTag(RequestContext ctx, String namespace, String name, String newName) {
        MetadefTag[] stored = new MetadefTag[1];
        mutate(ctx, namespace, "modify_metadef_tag", current -> {
            MetadefTag old = current.tags().get(name);
            if (old == null) {
                throw new NotFoundException("namespace '" + namespace + "' has no tag named '" + name + "'");
            }
            stored[0] = new MetadefTag(newName, old.createdAt(), clock.instant());
            return current.toBuilder().replaceTag(name, stored[0]).build();
        });
        events.info(EventType.METADEF_TAG_UPDATE, Payloads.tag(namespace, stored[0], name));
        return stored[0];
    }

    /**
     * Deletes a tag.
     *
     * @throws ForbiddenException if the namespace is protected
     */
    public void deleteTag(RequestContext ctx, String namespace, String name) {
        MetadefTag[] removed = new MetadefTag[1];
        mutate(ctx, namespace, "delete_metadef_tag", current -> {
            removed[0] = current.tags().get(name);
            if (removed[0] == null) {
                throw new NotFoundException("namespace '" + namespace + "' has no tag named '" + name + "'");
            }
            requireUnprotected(current, "delete tag '" + name + "'");
            return current.toBuilder().removeTag(name).build();
        });
        events.info(EventType.METADEF_TAG_DELETE, deleted(Payloads.tag(namespace, removed[0], null)));
    }

    // ------------------------------------------------------------------------------ resource types

    /** Lists every known resource type. */
    public List<ResourceType> listResourceTypes(RequestContext ctx) {
        policy.enforce("list_metadef_resource_types", ctx, PolicyTargets.namespace(ctx.projectId(), "public"));
        return repository.resourceTypes();
    }

    /** Lists the resource types a namespace is associated with. */
    public List<ResourceTypeAssociation> listResourceTypeAssociations(RequestContext ctx, String namespace) {
        return List.copyOf(visible(ctx, namespace, "get_metadef_resource_type").resourceTypeAssociations().values());
    }

    /**
     * Associates a namespace with a resource type, registering the resource type if it is new.
     *
     * @throws ConflictException if the namespace is already associated with it
     */
    public ResourceTypeAssociation associateResourceType(RequestContext ctx, String namespace,
            ResourceTypeAssociation association) {
        Objects.requireNonNull(association, "association");
        Instant now = clock.instant();
        ResourceTypeAssociation stored = association.withTimes(now, now);
        mutate(ctx, namespace, "add_metadef_resource_type_association",
                current -> current.toBuilder().association(stored).build());
        repository.addResourceType(new ResourceType(stored.name(), now));
        events.info(EventType.METADEF_RESOURCE_TYPE_CREATE, Payloads.association(namespace, stored));
        return stored;
    }

    /**
     * Removes the association of a namespace with a resource type.
     *
     * @throws NotFoundException if there is no such association
     * @throws ForbiddenException if the namespace is protected
     */
    public void dissociateResourceType(RequestContext ctx, String namespace, String resourceType) {
        ResourceTypeAssociation[] removed = new ResourceTypeAssociation[1];
        mutate(ctx, namespace, "remove_metadef_resource_type_association", current -> {
            removed[0] = current.resourceTypeAssociations().get(resourceType);
            if (removed[0] == null) {
                throw new NotFoundException("namespace '" + namespace + "' is not associated with resource type '"
                        + resourceType + "'");
            }
            requireUnprotected(current, "remove the resource type association '" + resourceType + "'");
            return current.toBuilder().removeAssociation(resourceType).build();
        });
        events.info(EventType.METADEF_RESOURCE_TYPE_DELETE, deleted(Payloads.association(namespace, removed[0])));
    }

    // ----------------------------------------------------------------------------- bulk and checks

    /**
     * Creates every {@linkplain StandardMetadefs standard namespace} that does not exist yet, as
     * public, protected namespaces without owner (only admins may change them). Existing
     * namespaces of the same name are left as they are.
     *
     * @return the names of the namespaces created
     */
    public List<String> loadStandardDefinitions(RequestContext ctx) {
        List<String> created = new ArrayList<>();
        for (MetadefNamespace ns : StandardMetadefs.namespaces()) {
            policy.enforce("add_metadef_namespace", ctx, PolicyTargets.namespace(null, ns.visibility().wireName()));
            if (repository.find(ns.namespace()).isPresent()) {
                continue;
            }
            Instant now = clock.instant();
            MetadefNamespace stored = stamp(ns.toBuilder(), now).build();
            registerResourceTypes(stored, now);
            try {
                repository.create(stored);
            } catch (ConflictException raced) {
                continue;
            }
            events.info(EventType.METADEF_NAMESPACE_CREATE, Payloads.namespace(stored, null));
            created.add(ns.namespace());
        }
        return created;
    }

    /**
     * Checks an image's extra properties against the property definitions of every namespace
     * associated with {@link ResourceType#IMAGE} that the image's owner may see (public ones, and
     * private ones it owns): for each definition, the property named by the association's prefix
     * followed by the definition's name (also for properties of objects), if the image has it,
     * must have a value of the right type, in the enum, matching the pattern and within the bounds.
     * Properties without a definition are not checked. No policy applies: this is the service's
     * own check, not a request.
     *
     * @param owner the image's owner, or null for an image without owner (public namespaces only)
     * @param properties the image's extra properties
     * @throws InvalidRequestException naming every property, value and rule that fails
     */
    public void validateImageProperties(@Nullable String owner, Map<String, String> properties) {
        Objects.requireNonNull(properties, "properties");
        if (properties.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (MetadefNamespace ns : repository.list()) {
            ResourceTypeAssociation association = ns.resourceTypeAssociations().get(ResourceType.IMAGE);
            if (association == null) {
                continue;
            }
            if (ns.visibility() != MetadefVisibility.PUBLIC && (owner == null || !owner.equals(ns.owner().orElse(null)))) {
                continue;
            }
            Map<String, PropertyDefinition> definitions = new LinkedHashMap<>(ns.properties());
            for (MetadefObject object : ns.objects().values()) {
                object.properties().forEach(definitions::putIfAbsent);
            }
            for (PropertyDefinition definition : definitions.values()) {
                String key = association.prefixed(definition.name());
                String value = properties.get(key);
                if (value == null) {
                    continue;
                }
                for (String problem : PropertyValues.problems(definition, value)) {
                    problems.add("image property '" + key + "' = '" + value + "' " + problem + " (" + ns.namespace()
                            + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems));
        }
    }

    // ------------------------------------------------------------------------------------ internals

    private boolean canSee(RequestContext ctx, MetadefNamespace ns) {
        return ctx.isAdmin() || ns.visibility() == MetadefVisibility.PUBLIC
                || ctx.projectId().equals(ns.owner().orElse(null));
    }

    private MetadefNamespace load(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return repository.find(namespace)
                .orElseThrow(() -> new NotFoundException("no namespace named '" + namespace + "'"));
    }

    private MetadefNamespace visible(RequestContext ctx, String namespace, String action) {
        Objects.requireNonNull(ctx, "ctx");
        MetadefNamespace ns = load(namespace);
        if (!canSee(ctx, ns)) {
            // Glance answers 404 so that private namespaces of other projects do not leak.
            throw new NotFoundException("no namespace named '" + namespace + "'");
        }
        policy.enforce(action, ctx, PolicyTargets.namespace(ns.owner().orElse(null), ns.visibility().wireName()));
        return ns;
    }

    private MetadefNamespace authorizeChange(RequestContext ctx, String namespace, String action) {
        MetadefNamespace ns = visible(ctx, namespace, action);
        if (!ctx.isAdmin() && !ctx.projectId().equals(ns.owner().orElse(null))) {
            throw new ForbiddenException("only the owner of namespace '" + namespace + "' or an admin may change it");
        }
        return ns;
    }

    private MetadefNamespace mutate(RequestContext ctx, String namespace, String action,
            UnaryOperator<MetadefNamespace> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            MetadefNamespace current = authorizeChange(ctx, namespace, action);
            MetadefNamespace updated = change.apply(current);
            if (repository.replace(current, updated)) {
                return updated;
            }
            Thread.onSpinWait();
        }
        throw new ConflictException("namespace '" + namespace + "' is being changed concurrently; try again");
    }

    private Map<String, @Nullable Object> deleted(Map<String, @Nullable Object> payload) {
        payload.put("deleted", true);
        payload.put("deleted_at", clock.instant().toString());
        return payload;
    }

    private static void requireUnprotected(MetadefNamespace ns, String action) {
        if (ns.isProtected()) {
            throw new ForbiddenException("cannot " + action + ": namespace '" + ns.namespace()
                    + "' is protected; set protected to false first");
        }
    }

    private static MetadefNamespace.Builder stamp(MetadefNamespace.Builder b, Instant now) {
        MetadefNamespace ns = b.createdAt(now).updatedAt(now).build();
        List<ResourceTypeAssociation> associations = new ArrayList<>();
        ns.resourceTypeAssociations().values().forEach(a -> associations.add(a.withTimes(now, now)));
        List<MetadefObject> objects = new ArrayList<>();
        ns.objects().values().forEach(o -> objects.add(o.toBuilder().createdAt(now).updatedAt(now).build()));
        List<MetadefTag> tags = new ArrayList<>();
        ns.tags().values().forEach(t -> tags.add(t.withTimes(now, now)));
        return ns.toBuilder().associations(associations).objects(objects).tags(tags);
    }

    private void registerResourceTypes(MetadefNamespace ns, Instant now) {
        for (String type : ns.resourceTypeAssociations().keySet()) {
            repository.addResourceType(new ResourceType(type, now));
        }
    }

    /** Builds a {@link MetadefService}. Not thread-safe. */
    public static final class Builder {
        private @Nullable MetadefRepository repository;
        private Policy policy = Policy.defaults();
        private final List<EventListener> listeners = new ArrayList<>();
        private @Nullable Executor executor;
        private GlimpseConfig config = GlimpseConfig.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Sets where definitions are stored (default: in memory). */
        public Builder repository(MetadefRepository value) {
            this.repository = Objects.requireNonNull(value, "repository");
            return this;
        }

        /** Sets the access rules (default: Glance's defaults). */
        public Builder policy(Policy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** Adds an event listener. */
        public Builder eventListener(EventListener value) {
            this.listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /** Delivers events on this executor instead of the caller's thread. */
        public Builder eventExecutor(@Nullable Executor value) {
            this.executor = value;
            return this;
        }

        /** Takes {@code default_publisher_id} and {@code disabled_notifications} from the configuration. */
        public Builder config(GlimpseConfig value) {
            this.config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** Sets the clock for timestamps (tests). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Builds the service. */
        public MetadefService build() {
            return new MetadefService(this);
        }
    }
}
