package dev.glimpse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.cli.internal.Column;
import dev.glimpse.cli.internal.Printer;
import dev.glimpse.cli.internal.UsageException;
import dev.glimpse.image.metadef.MetadefDocuments;
import dev.glimpse.image.metadef.MetadefNamespace;
import dev.glimpse.image.metadef.MetadefObject;
import dev.glimpse.image.metadef.MetadefService;
import dev.glimpse.image.metadef.MetadefTag;
import dev.glimpse.image.metadef.MetadefVisibility;
import dev.glimpse.image.metadef.NamespaceQuery;
import dev.glimpse.image.metadef.PropertyDefinition;
import dev.glimpse.image.metadef.PropertyType;
import dev.glimpse.image.metadef.ResourceType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glimpse metadef ...}: metadata definitions, the catalogue of properties that mean
 * something to a cloud ({@code hw_disk_bus}, {@code os_distro}, ...), as {@code openstack image
 * metadef} manages them. Changes need the admin role under the default policy.
 */
@Command(name = "metadef", description = "Metadata definitions: namespaces, objects, properties, tags, resource types.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {MetadefCommand.Namespace.class, MetadefCommand.Objects.class, MetadefCommand.Properties.class,
            MetadefCommand.Tags.class, MetadefCommand.ResourceTypes.class})
final class MetadefCommand extends GroupCommand {
    private MetadefCommand() {}

    static final List<Column> NAMESPACE_LIST = List.of(new Column("namespace", "Namespace"),
            new Column("display_name", "Display Name"), new Column("visibility", "Visibility"),
            new Column("protected", "Protected"), new Column("owner", "Owner"));
    static final List<Column> OBJECT_LIST = List.of(new Column("name", "Name"), new Column("description", "Description"));
    static final List<Column> PROPERTY_LIST = List.of(new Column("name", "Name"), new Column("title", "Title"),
            new Column("type", "Type"));
    static final List<Column> TAG_LIST = List.of(new Column("name", "Name"));

    /** The base of every metadef subcommand: the service of the session. */
    abstract static class MetadefSubcommand extends ServiceCommand {
        final MetadefService metadefs() {
            return session().metadefs();
        }
    }

    /** {@code --public | --private} for namespaces. */
    static final class NamespaceVisibility {
        @Option(names = "--public", description = "Visible to every project.") boolean isPublic;
        @Option(names = "--private", description = "Visible to the owning project only (the default).") boolean isPrivate;

        MetadefVisibility visibility() {
            return isPublic ? MetadefVisibility.PUBLIC : MetadefVisibility.PRIVATE;
        }
    }

    /** A namespace without its contents, plus the names of what it holds, for a readable show. */
    static ObjectNode summary(MetadefNamespace namespace) {
        ObjectNode node = MetadefDocuments.toJsonTree(namespace.withoutContents());
        node.remove("resource_type_associations");
        ArrayNode associations = node.putArray("resource_type_associations");
        namespace.resourceTypeAssociations().values().forEach(a ->
                associations.add(a.name() + (a.prefix() == null ? "" : " (prefix " + a.prefix() + ")")));
        ArrayNode properties = node.putArray("properties");
        namespace.properties().keySet().forEach(properties::add);
        ArrayNode objects = node.putArray("objects");
        namespace.objects().keySet().forEach(objects::add);
        ArrayNode tags = node.putArray("tags");
        namespace.tags().keySet().forEach(tags::add);
        return node;
    }

    @Command(name = "namespace", description = "Namespaces: the groups definitions live in.", synopsisSubcommandLabel = "COMMAND",
            subcommands = {Namespace.Create.class, Namespace.ListNamespaces.class, Namespace.Show.class,
                Namespace.Set.class, Namespace.Delete.class, Namespace.LoadStandard.class})
    static final class Namespace extends GroupCommand {
        @Command(name = "create", description = "Create a namespace, from options or from a JSON document (--file).")
        static final class Create extends MetadefSubcommand {
            @Parameters(paramLabel = "NAMESPACE", arity = "0..1", description = "e.g. OS::Compute::Demo (or from --file).")
            @Nullable String name;
            @Option(names = "--file", paramLabel = "FILE", description = "A namespace document, as Glance's metadefs/*.json.")
            @Nullable Path file;
            @Option(names = "--display-name", paramLabel = "TEXT") @Nullable String displayName;
            @Option(names = "--description", paramLabel = "TEXT") @Nullable String description;
            @ArgGroup(exclusive = true) @Nullable NamespaceVisibility visibility;
            @Option(names = "--protected", description = "Refuse to delete it or its contents.") boolean isProtected;
            @Mixin OutputOptions output;

            @Override
            void execute() throws IOException {
                MetadefNamespace.Builder builder;
                if (file != null) {
                    try (var in = Files.newInputStream(file)) {
                        builder = MetadefDocuments.read(in).toBuilder();
                    }
                    if (name != null) {
                        builder.namespace(name);
                    }
                } else if (name != null) {
                    builder = MetadefNamespace.builder(name);
                } else {
                    throw new UsageException("give a NAMESPACE name or --file with a namespace document");
                }
                if (displayName != null) {
                    builder.displayName(displayName);
                }
                if (description != null) {
                    builder.description(description);
                }
                if (visibility != null) {
                    builder.visibility(visibility.visibility());
                }
                if (isProtected) {
                    builder.isProtected(true);
                }
                printer(output).record(summary(metadefs().createNamespace(context(), builder.build())));
            }
        }

        @Command(name = "list", description = "List the namespaces you can see.")
        static final class ListNamespaces extends MetadefSubcommand {
            @Option(names = "--resource-type", paramLabel = "TYPE", description = "Only those associated with it, e.g. OS::Glance::Image.")
            List<String> resourceTypes = new ArrayList<>();
            @ArgGroup(exclusive = true) @Nullable NamespaceVisibility visibility;
            @Mixin OutputOptions output;

            @Override
            void execute() {
                NamespaceQuery query = new NamespaceQuery(visibility == null ? null : visibility.visibility(),
                        java.util.Set.copyOf(resourceTypes));
                List<ObjectNode> rows = new ArrayList<>();
                metadefs().listNamespaces(context(), query).forEach(ns -> rows.add(MetadefDocuments.toJsonTree(ns)));
                printer(output).list(NAMESPACE_LIST, NAMESPACE_LIST, rows);
            }
        }

        @Command(name = "show", description = "Show a namespace and the names of what it holds.")
        static final class Show extends MetadefSubcommand {
            @Parameters(paramLabel = "NAMESPACE") String name;
            @Option(names = "--resource-type", paramLabel = "TYPE",
                    description = "Spell property names as on this resource type (with its prefix, e.g. hw_).")
            @Nullable String resourceType;
            @Mixin OutputOptions output;

            @Override
            void execute() {
                MetadefNamespace ns = resourceType == null ? metadefs().getNamespace(context(), name)
                        : metadefs().getNamespace(context(), name, resourceType);
                if (output.format == dev.glimpse.cli.internal.OutputFormat.JSON && output.columns.isEmpty()) {
                    // JSON: the whole document, as Glance serves it and as 'create --file' reads it.
                    printer(output).record(MetadefDocuments.toJsonTree(ns));
                } else {
                    printer(output).record(summary(ns));
                }
            }
        }

        @Command(name = "set", description = "Change a namespace's own fields.")
        static final class Set extends MetadefSubcommand {
            @Parameters(paramLabel = "NAMESPACE") String name;
            @Option(names = "--name", paramLabel = "NEW", description = "Rename it.") @Nullable String newName;
            @Option(names = "--display-name", paramLabel = "TEXT") @Nullable String displayName;
            @Option(names = "--description", paramLabel = "TEXT") @Nullable String description;
            @ArgGroup(exclusive = true) @Nullable NamespaceVisibility visibility;
            @Option(names = "--protected", negatable = true, description = "Protect it (or, negated, stop).")
            @Nullable Boolean isProtected;

            @Override
            void execute() {
                MetadefNamespace.Builder changes = metadefs().getNamespace(context(), name).withoutContents().toBuilder();
                if (newName == null && displayName == null && description == null && visibility == null && isProtected == null) {
                    throw new UsageException("nothing to change: give --name, --display-name, --description, "
                            + "--public/--private or --protected/--no-protected");
                }
                if (newName != null) {
                    changes.namespace(newName);
                }
                if (displayName != null) {
                    changes.displayName(displayName);
                }
                if (description != null) {
                    changes.description(description);
                }
                if (visibility != null) {
                    changes.visibility(visibility.visibility());
                }
                if (isProtected != null) {
                    changes.isProtected(isProtected);
                }
                metadefs().updateNamespace(context(), name, changes.build());
            }
        }

        @Command(name = "delete", description = "Delete namespaces and everything in them.")
        static final class Delete extends MetadefSubcommand {
            @Parameters(paramLabel = "NAMESPACE", arity = "1..*") List<String> names;

            @Override
            void execute() {
                for (String name : names) {
                    metadefs().deleteNamespace(context(), name);
                }
            }
        }

        @Command(name = "load-standard", description = "Load Glimpse's standard definitions (libvirt, CPU, OS, vTPM, ...).")
        static final class LoadStandard extends MetadefSubcommand {
            @Mixin OutputOptions output;

            @Override
            void execute() {
                List<ObjectNode> rows = new ArrayList<>();
                for (String name : metadefs().loadStandardDefinitions(context())) {
                    rows.add(Printer.object().put("namespace", name));
                }
                printer(output).list(List.of(new Column("namespace", "Loaded")), NAMESPACE_LIST, rows);
            }
        }
    }

    @Command(name = "object", description = "Objects: named groups of property definitions.", synopsisSubcommandLabel = "COMMAND",
            subcommands = {Objects.Create.class, Objects.ListObjects.class, Objects.Show.class, Objects.Delete.class})
    static final class Objects extends GroupCommand {
        @Command(name = "create", description = "Create an object from a JSON document (name, description, required, properties).")
        static final class Create extends MetadefSubcommand {
            @Parameters(index = "0", paramLabel = "NAMESPACE") String namespace;
            @Parameters(index = "1", paramLabel = "NAME", arity = "0..1", description = "The name (or from --file).")
            @Nullable String name;
            @Option(names = "--file", paramLabel = "FILE", description = "The object as JSON.") @Nullable Path file;
            @Option(names = "--description", paramLabel = "TEXT") @Nullable String description;
            @Option(names = "--required", paramLabel = "PROPERTY", description = "A required property (repeatable).")
            List<String> required = new ArrayList<>();
            @Mixin OutputOptions output;

            @Override
            void execute() throws IOException {
                MetadefObject.Builder builder;
                if (file != null) {
                    JsonNode tree = Printer.mapper().readTree(Files.readString(file));
                    builder = MetadefDocuments.objectFromTree(tree).toBuilder();
                    if (name != null) {
                        builder.name(name);
                    }
                } else if (name != null) {
                    builder = MetadefObject.builder(name);
                } else {
                    throw new UsageException("give a NAME or --file with the object as JSON");
                }
                if (description != null) {
                    builder.description(description);
                }
                if (!required.isEmpty()) {
                    builder.required(required);
                }
                printer(output).record(MetadefDocuments.objectNode(metadefs().createObject(context(), namespace, builder.build())));
            }
        }

        @Command(name = "list", description = "List a namespace's objects.")
        static final class ListObjects extends MetadefSubcommand {
            @Parameters(paramLabel = "NAMESPACE") String namespace;
            @Mixin OutputOptions output;

            @Override
            void execute() {
                List<ObjectNode> rows = new ArrayList<>();
                metadefs().listObjects(context(), namespace).forEach(o -> rows.add(MetadefDocuments.objectNode(o)));
                printer(output).list(OBJECT_LIST, OBJECT_LIST, rows);
            }
        }

        @Command(name = "show", description = "Show an object.")
        static final class Show extends MetadefSubcommand {
            @Parameters(index = "0", paramLabel = "NAMESPACE") String namespace;
            @Parameters(index = "1", paramLabel = "NAME") String name;
            @Mixin OutputOptions output;

            @Override
            void execute() {
                printer(output).record(MetadefDocuments.objectNode(metadefs().getObject(context(), namespace, name)));
            }
        }

        @Command(name = "delete", description = "Delete an object.")
        static final class Delete extends MetadefSubcommand {
            @Parameters(index = "0", paramLabel = "NAMESPACE") String namespace;
            @Parameters(index = "1", paramLabel = "NAME") String name;

            @Override
            void execute() {
                metadefs().deleteObject(context(), namespace, name);
            }
        }
    }

    @Command(name = "property", description = "Property definitions: name, type and the values allowed.",
            synopsisSubcommandLabel = "COMMAND",
            subcommands = {Properties.Create.class, Properties.ListProperties.class, Properties.Show.class,
                Properties.Delete.class})
    static final class Properties extends GroupCommand {
        @Command(name = "create", description = "Define a property.")
        static final class Create extends MetadefSubcommand {
            @Parameters(index = "0", paramLabel = "NAMESPACE") String namespace;
            @Parameters(index = "1", paramLabel = "NAME", description = "e.g. hw_disk_bus (without the resource type's prefix).")
            String name;
            @Option(names = "--title", paramLabel = "TEXT", required = true) String title;
            @Option(names = "--type", paramLabel = "TYPE", required = true,
                    description = "string, integer, number, boolean, array or object.")
            String type;
            @Option(names = "--description", paramLabel = "TEXT") @Nullable String description;
            @Option(names = "--enum", paramLabel = "VALUE", split = ",", description = "The allowed values, comma separated.")
            List<String> enumValues = new ArrayList<>();
            @Option(names = "--pattern", paramLabel = "REGEX") @Nullable String pattern;
            @Option(names = "--minimum", paramLabel = "N") @Nullable BigDecimal minimum;
            @Option(names = "--maximum", paramLabel = "N") @Nullable BigDecimal maximum;
            @Option(names = "--min-length", paramLabel = "N") @Nullable Integer minLength;
            @Option(names = "--max-length", paramLabel = "N") @Nullable Integer maxLength;
            @Mixin OutputOptions output;

            @Override
            void execute() {
                PropertyType propertyType;
                try {
                    propertyType = PropertyType.fromWireName(type);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                PropertyDefinition.Builder builder = PropertyDefinition.builder(name).title(title).type(propertyType)
                        .description(description).pattern(pattern).minimum(minimum).maximum(maximum)
                        .minLength(minLength).maxLength(maxLength);
                if (!enumValues.isEmpty()) {
                    builder.enumValues(enumValues);
                }
                PropertyDefinition created = metadefs().createProperty(context(), namespace, builder.build());
                printer(output).record(MetadefDocuments.propertyNode(created));
            }
        }

        @Command(name = "list", description = "List a namespace's properties.")
        static final class ListProperties extends MetadefSubcommand {
            @Parameters(paramLabel = "NAMESPACE") String namespace;
            @Mixin OutputOptions output;

            @Override
            void execute() {
                List<ObjectNode> rows = new ArrayList<>();
                metadefs().listProperties(context(), namespace).forEach(p -> rows.add(MetadefDocuments.propertyNode(p)));
                printer(output).list(PROPERTY_LIST, PROPERTY_LIST, rows);
            }
        }

        @Command(name = "show", description = "Show a property definition.")
        static final class Show extends MetadefSubcommand {
            @Parameters(index = "0", paramLabel = "NAMESPACE") String namespace;
            @Parameters(index = "1", paramLabel = "NAME") String name;
            @Mixin OutputOptions output;

            @Override
            void execute() {
                printer(output).record(MetadefDocuments.propertyNode(metadefs().getProperty(context(), namespace, name)));
            }
        }

        @Command(name = "delete", description = "Delete a property definition.")
        static final class Delete extends MetadefSubcommand {
            @Parameters(index = "0", paramLabel = "NAMESPACE") String namespace;
            @Parameters(index = "1", paramLabel = "NAME") String name;

            @Override
            void execute() {
                metadefs().deleteProperty(context(), namespace, name);
            }
        }
    }

    @Command(name = "tag", description = "Tags a namespace offers.", synopsisSubcommandLabel = "COMMAND",
            subcommands = {Tags.Create.class, Tags.ListTags.class, Tags.Delete.class})
    static final class Tags extends GroupCommand {
        @Command(name = "create", description = "Add tags to a namespace.")
        static final class Create extends MetadefSubcommand {
            @Parameters(index = "0", paramLabel = "NAMESPACE") String namespace;
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "TAG") List<String> names;
            @Mixin OutputOptions output;

            @Override
            void execute() {
                List<ObjectNode> rows = new ArrayList<>();
                for (MetadefTag tag : metadefs().createTags(context(), namespace, names, true)) {
                    if (names.contains(tag.name())) {
                        rows.add(Printer.object().put("name", tag.name()));
                    }
                }
                printer(output).list(TAG_LIST, TAG_LIST, rows);
            }
        }

        @Command(name = "list", description = "List a namespace's tags.")
        static final class ListTags extends MetadefSubcommand {
            @Parameters(paramLabel = "NAMESPACE") String namespace;
            @Mixin OutputOptions output;

            @Override
            void execute() {
                List<ObjectNode> rows = new ArrayList<>();
                metadefs().listTags(context(), namespace).forEach(t -> rows.add(Printer.object().put("name", t.name())));
                printer(output).list(TAG_LIST, TAG_LIST, rows);
            }
        }

        @Command(name = "delete", description = "Remove a tag from a namespace.")
        static final class Delete extends MetadefSubcommand {
            @Parameters(index = "0", paramLabel = "NAMESPACE") String namespace;
            @Parameters(index = "1", paramLabel = "TAG") String name;

            @Override
            void execute() {
                metadefs().deleteTag(context(), namespace, name);
            }
        }
    }

    @Command(name = "resource-type", description = "Resource types (OS::Glance::Image, OS::Nova::Flavor, ...).",
            synopsisSubcommandLabel = "COMMAND", subcommands = {ResourceTypes.ListTypes.class})
    static final class ResourceTypes extends GroupCommand {
        @Command(name = "list", description = "List the resource types namespaces are associated with.")
        static final class ListTypes extends MetadefSubcommand {
            @Mixin OutputOptions output;

            @Override
            void execute() {
                List<ObjectNode> rows = new ArrayList<>();
                for (ResourceType type : metadefs().listResourceTypes(context())) {
                    rows.add(Printer.object().put("name", type.name()));
                }
                List<Column> columns = List.of(new Column("name", "Name"));
                printer(output).list(columns, columns, rows);
            }
        }
    }
}
