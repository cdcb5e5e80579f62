package dev.glimpse.cli;

import dev.glimpse.cli.internal.UsageException;
import dev.glimpse.cli.internal.Views;
import dev.glimpse.image.ConflictException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImagePage;
import dev.glimpse.image.ImagePatch;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.FormatInspector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glimpse image ...}: the image commands of {@code openstack image}, on the embedded
 * catalogue. IMAGE arguments take an ID or a unique name, as OpenStackClient's do.
 */
@Command(name = "image", description = "Create, find, change, download, share and delete images.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
            ImageCommand.Create.class, ImageCommand.ListImages.class, ImageCommand.Show.class,
            ImageCommand.Set.class, ImageCommand.Unset.class, ImageCommand.Save.class, ImageCommand.Delete.class,
            ImageCommand.Add.class, ImageCommand.Remove.class, MemberCommand.class,
            ImageCommand.Deactivate.class, ImageCommand.Reactivate.class})
final class ImageCommand extends GroupCommand {
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ImageCommand() {}

    /**
     * Finds the image an IMAGE argument names: by ID when it is one and visible, else by name,
     * which must then be unique among the images the caller sees.
     */
    static Image resolve(ImageService service, RequestContext context, String reference) {
        if (UUID.matcher(reference).matches()) {
            try {
                return service.get(context, reference);
            } catch (NotFoundException e) {
                // An image may be named like a UUID; fall through to the name lookup.
            }
        }
        ImageQuery byName = ImageQuery.builder().name(reference).allVisibilities().limit(2).build();
        List<Image> found = service.list(context, byName).images();
        if (found.isEmpty()) {
            throw new NotFoundException("no image with the name or ID '" + reference + "'");
        }
        if (found.size() > 1) {
            throw new ConflictException("more than one image is named '" + reference + "'; use its ID");
        }
        return found.get(0);
    }

    @Command(name = "create", description = "Create an image, and upload its data from --file.")
    static final class Create extends ServiceCommand {
        @Parameters(paramLabel = "NAME", description = "The image name.")
        String name;

        @Option(names = "--file", paramLabel = "FILE", description = "Upload the image data from this file.")
        @Nullable Path file;

        @Option(names = "--disk-format", paramLabel = "FORMAT",
                description = "raw, qcow2, vmdk, vhd, vhdx, vdi, iso, ploop, ami, ari or aki "
                        + "(default: what --file is, else raw).")
        @Nullable DiskFormat diskFormat;

        @Option(names = "--container-format", paramLabel = "FORMAT", defaultValue = "bare",
                description = "bare, ovf, ova, docker, compressed, ami, ari or aki (default: ${DEFAULT-VALUE}).")
        ContainerFormat containerFormat = ContainerFormat.BARE;

        @ArgGroup(exclusive = true)
        @Nullable VisibilityOptions visibility;

        @Option(names = "--property", paramLabel = "KEY=VALUE", description = "Set an extra property (repeatable).")
        Map<String, String> properties = new LinkedHashMap<>();

        @Option(names = "--tag", paramLabel = "TAG", description = "Add a tag (repeatable).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--protected", description = "Refuse to delete the image until this is unset.")
        boolean isProtected;

        @Option(names = "--min-disk", paramLabel = "GB", defaultValue = "0", description = "Minimum disk size to boot it, in GB.")
        int minDisk;

        @Option(names = "--min-ram", paramLabel = "MB", defaultValue = "0", description = "Minimum RAM to boot it, in MB.")
        int minRam;

        @Option(names = "--id", paramLabel = "UUID", description = "Use this ID instead of a new one.")
        @Nullable String id;

        @Mixin OutputOptions output;

        @Override
        void execute() throws IOException {
            if (file != null && !Files.isRegularFile(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString(), null, "not a readable file");
            }
            DiskFormat format = diskFormat != null ? diskFormat : detect(file);
            NewImage.Builder request = NewImage.builder().id(id).name(name).diskFormat(format)
                    .containerFormat(containerFormat).isProtected(isProtected).minDisk(minDisk).minRam(minRam)
                    .tags(new LinkedHashSet<>(tags)).properties(properties);
            if (visibility != null) {
                request.visibility(visibility.visibility());
            }
            ImageService service = session().images();
            Image image = service.create(context(), request.build());
            if (file != null) {
                image = Transfers.upload(session(), root().terminal(), image, file);
            }
            printer(output).record(Views.image(session().json(), image));
        }

        /** The disk format of {@code file} as the inspector sees it; raw without a file or for unknown data. */
        private static DiskFormat detect(@Nullable Path file) throws IOException {
            if (file == null) {
                return DiskFormat.RAW;
            }
            return FormatInspector.defaults().inspect(file).diskFormat().orElse(DiskFormat.RAW);
        }
    }

    @Command(name = "list", description = "List the images you can see, with Glance's filters.")
    static final class ListImages extends ServiceCommand {
        @ArgGroup(exclusive = true)
        @Nullable ListVisibility visibility;

        @Option(names = "--name", paramLabel = "NAME", description = "Only images with this name.")
        @Nullable String name;

        @Option(names = "--status", paramLabel = "STATUS", split = ",",
                description = "Only images in these statuses (comma separated), e.g. active,queued.")
        List<ImageStatus> statuses = new ArrayList<>();

        @Option(names = "--owner", paramLabel = "PROJECT", description = "Only images owned by this project.")
        @Nullable String owner;

        @Option(names = "--member-status", paramLabel = "STATUS",
                description = "Shared images whose membership is pending, accepted (default), rejected or all.")
        @Nullable String memberStatus;

        @Option(names = "--tag", paramLabel = "TAG", description = "Only images with this tag (repeatable; all must match).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--property", paramLabel = "KEY=VALUE", description = "Only images with this extra property (repeatable).")
        Map<String, String> properties = new LinkedHashMap<>();

        @Option(names = "--disk-format", paramLabel = "FORMAT", split = ",", description = "Only these disk formats (comma separated).")
        List<DiskFormat> diskFormats = new ArrayList<>();

        @Option(names = "--container-format", paramLabel = "FORMAT", split = ",",
                description = "Only these container formats (comma separated).")
        List<ContainerFormat> containerFormats = new ArrayList<>();

        @Option(names = "--size-min", paramLabel = "BYTES", description = "Only images at least this large.")
        @Nullable Long sizeMin;

        @Option(names = "--size-max", paramLabel = "BYTES", description = "Only images at most this large.")
        @Nullable Long sizeMax;

        @Option(names = "--protected", negatable = true, description = "Only protected (or, negated, unprotected) images.")
        @Nullable Boolean isProtected;

        @Option(names = "--hidden", description = "List hidden (os_hidden) images instead of visible ones.")
        boolean hidden;

        @Option(names = "--created-at", paramLabel = "[OP:]TIME",
                description = "Filter on creation time, OP one of gt, gte, lt, lte, eq, neq; e.g. gt:2026-01-01T00:00:00Z.")
        List<String> createdAt = new ArrayList<>();

        @Option(names = "--updated-at", paramLabel = "[OP:]TIME", description = "Filter on update time, as --created-at.")
        List<String> updatedAt = new ArrayList<>();

        @Option(names = "--long", description = "Show formats, size, checksum, visibility, project and tags too.")
        boolean longListing;

        @Option(names = "--sort", paramLabel = "KEY[:DIR],...", split = ",",
                description = "Sort by name, status, container_format, disk_format, size, id, created_at or "
                        + "updated_at, asc or desc (default: created_at:desc).")
        List<String> sort = new ArrayList<>();

        @Option(names = "--limit", paramLabel = "N", description = "Show at most N images (default: all).")
        @Nullable Integer limit;

        @Option(names = "--marker", paramLabel = "ID", description = "Start after the image with this ID.")
        @Nullable String marker;

        @Mixin OutputOptions output;

        /** {@code --public | --private | --shared | --community | --all}. */
        static final class ListVisibility {
            @Option(names = "--public", description = "Only public images.") boolean isPublic;
            @Option(names = "--private", description = "Only private images.") boolean isPrivate;
            @Option(names = "--shared", description = "Only shared images.") boolean shared;
            @Option(names = "--community", description = "Only community images.") boolean community;
            @Option(names = "--all", description = "Images of every visibility, community ones included.") boolean all;
        }

        @Override
        void execute() {
            if (limit != null && limit < 0) {
                throw new UsageException("--limit must be 0 or more, was " + limit);
            }
            ImageQuery.Builder query = ImageQuery.builder().statuses(statuses).diskFormats(diskFormats)
                    .containerFormats(containerFormats).tags(tags).owner(owner).sizeMin(sizeMin).sizeMax(sizeMax)
                    .isProtected(isProtected).osHidden(hidden ? Boolean.TRUE : null).marker(marker);
            if (name != null) {
                query.name(name);
            }
            properties.forEach(query::property);
            if (visibility != null) {
                if (visibility.all) {
                    query.allVisibilities();
                } else {
                    query.visibility(visibility.isPublic ? Visibility.PUBLIC : visibility.isPrivate ? Visibility.PRIVATE
                            : visibility.shared ? Visibility.SHARED : Visibility.COMMUNITY);
                }
            }
            if (memberStatus != null) {
                query.memberStatuses(memberStatus.equalsIgnoreCase("all")
                        ? List.of(MemberStatus.values()) : List.of(MemberStatus.fromWireName(memberStatus)));
            }
            for (String filter : createdAt) {
                TimeFilter parsed = TimeFilter.parse("--created-at", filter);
                query.createdAt(parsed.comparison(), parsed.instant());
            }
            for (String filter : updatedAt) {
                TimeFilter parsed = TimeFilter.parse("--updated-at", filter);
                query.updatedAt(parsed.comparison(), parsed.instant());
            }
            List<ImageQuery.SortKey> keys = new ArrayList<>();
            for (String key : sort) {
                String[] parts = key.split(":", 2);
                keys.add(new ImageQuery.SortKey(ImageQuery.SortField.fromWireName(parts[0].trim()),
                        parts.length > 1 ? ImageQuery.SortDirection.fromWireName(parts[1].trim())
                                : ImageQuery.SortDirection.DESC));
            }
            if (!keys.isEmpty()) {
                query.sort(keys);
            }
            // Like OpenStackClient: follow the pages to the end, or until --limit images are shown.
            List<ObjectNode> rows = new ArrayList<>();
            ImageService service = session().images();
            String next = marker;
            while (limit == null || rows.size() < limit) {
                ImagePage page = service.list(context(), query.marker(next)
                        .limit(limit == null ? null : limit - rows.size()).build());
                page.images().forEach(image -> rows.add(Views.image(session().json(), image)));
                next = page.next().orElse(null);
                if (next == null || page.images().isEmpty()) {
                    break;
                }
            }
            if (limit != null && rows.size() > limit) {
                rows.subList(limit, rows.size()).clear();
            }
            printer(output).list(longListing ? Views.IMAGE_LIST_LONG : Views.IMAGE_LIST, Views.IMAGE_KNOWN, rows);
        }
    }

    /** A parsed {@code [OP:]TIME} filter. */
    record TimeFilter(ImageQuery.Comparison comparison, Instant instant) {
        static TimeFilter parse(String option, String text) {
            int colon = text.indexOf(':');
            ImageQuery.Comparison comparison = ImageQuery.Comparison.EQ;
            String time = text;
            // "gt:2026-..." has its operator before the first colon; a bare time has digits there.
            if (colon > 0 && text.substring(0, colon).chars().allMatch(Character::isLetter)) {
                comparison = ImageQuery.Comparison.fromWireName(text.substring(0, colon));
                time = text.substring(colon + 1);
            }
            try {
                return new TimeFilter(comparison, Instant.parse(time));
            } catch (DateTimeParseException e) {
                throw new UsageException(option + " needs an ISO 8601 time such as 2026-01-31T12:00:00Z, was '" + time + "'");
            }
        }
    }

    @Command(name = "show", description = "Show an image's details.")
    static final class Show extends ServiceCommand {
        @Parameters(paramLabel = "IMAGE", description = "ID or name.")
        String image;

        @Mixin OutputOptions output;

        @Override
        void execute() {
            printer(output).record(Views.image(session().json(), resolve(session().images(), context(), image)));
        }
    }

    @Command(name = "set", description = "Change an image's attributes, properties, tags or visibility.")
    static final class Set extends ServiceCommand {
        @Parameters(paramLabel = "IMAGE", description = "ID or name.")
        String image;

        @Option(names = "--name", paramLabel = "NAME", description = "New name.")
        @Nullable String name;

        @Option(names = "--min-disk", paramLabel = "GB", description = "Minimum disk size, in GB.")
        @Nullable Integer minDisk;

        @Option(names = "--min-ram", paramLabel = "MB", description = "Minimum RAM, in MB.")
        @Nullable Integer minRam;

        @Option(names = "--disk-format", paramLabel = "FORMAT", description = "New disk format (queued images only).")
        @Nullable DiskFormat diskFormat;

        @Option(names = "--container-format", paramLabel = "FORMAT", description = "New container format (queued images only).")
        @Nullable ContainerFormat containerFormat;

        @ArgGroup(exclusive = true)
        @Nullable VisibilityOptions visibility;

        @Option(names = "--protected", negatable = true, description = "Protect the image from deletion (or, negated, stop).")
        @Nullable Boolean isProtected;

        @Option(names = "--hidden", negatable = true, description = "Hide the image from default listings (or, negated, show it).")
        @Nullable Boolean hidden;

        @Option(names = "--owner", paramLabel = "PROJECT", description = "Give the image to another project (admin only).")
        @Nullable String owner;

        @Option(names = "--property", paramLabel = "KEY=VALUE", description = "Set an extra property (repeatable).")
        Map<String, String> properties = new LinkedHashMap<>();

        @Option(names = "--tag", paramLabel = "TAG", description = "Add a tag (repeatable).")
        List<String> tags = new ArrayList<>();

        @Override
        void execute() {
            ImagePatch.Builder patch = ImagePatch.builder();
            if (name != null) {
                patch.name(name);
            }
            if (minDisk != null) {
                patch.minDisk(minDisk);
            }
            if (minRam != null) {
                patch.minRam(minRam);
            }
            if (diskFormat != null) {
                patch.diskFormat(diskFormat);
            }
            if (containerFormat != null) {
                patch.containerFormat(containerFormat);
            }
            if (visibility != null) {
                patch.visibility(visibility.visibility());
            }
            if (isProtected != null) {
                patch.isProtected(isProtected);
            }
            if (hidden != null) {
                patch.osHidden(hidden);
            }
            if (owner != null) {
                patch.owner(owner);
            }
            properties.forEach(patch::property);
            ImagePatch built = patch.build();
            if (built.isEmpty() && tags.isEmpty()) {
                throw new UsageException("nothing to change: give at least one option, e.g. --name or --property KEY=VALUE");
            }
            ImageService service = session().images();
            String id = resolve(service, context(), image).id();
            if (!built.isEmpty()) {
                service.update(context(), id, built);
            }
            for (String tag : tags) {
                service.addTag(context(), id, tag);
            }
        }
    }

    @Command(name = "unset", description = "Remove extra properties or tags from an image.")
    static final class Unset extends ServiceCommand {
        @Parameters(paramLabel = "IMAGE", description = "ID or name.")
        String image;

        @Option(names = "--property", paramLabel = "KEY", description = "Remove this extra property (repeatable).")
        List<String> properties = new ArrayList<>();

        @Option(names = "--tag", paramLabel = "TAG", description = "Remove this tag (repeatable).")
        List<String> tags = new ArrayList<>();

        @Override
        void execute() {
            if (properties.isEmpty() && tags.isEmpty()) {
                throw new UsageException("nothing to remove: give --property KEY or --tag TAG");
            }
            ImageService service = session().images();
            String id = resolve(service, context(), image).id();
            if (!properties.isEmpty()) {
                ImagePatch.Builder patch = ImagePatch.builder();
                properties.forEach(patch::removeProperty);
                service.update(context(), id, patch.build());
            }
            for (String tag : tags) {
                service.removeTag(context(), id, tag);
            }
        }
    }

    @Command(name = "save", description = "Download an image's data, verified against its hash as it is read.")
    static final class Save extends ServiceCommand {
        @Parameters(paramLabel = "IMAGE", description = "ID or name.")
        String image;

        @Option(names = "--file", paramLabel = "FILE", description = "Write here (default: standard output).")
        @Nullable Path file;

        @Override
        void execute() throws IOException {
            Image found = resolve(session().images(), context(), image);
            if (file == null) {
                if (root().terminal().interactive()) {
                    throw new UsageException("refusing to write image data to a terminal; give --file FILE or redirect the output");
                }
                out().flush();
                Transfers.download(session(), root().terminal(), found, System.out);
                return;
            }
            Path target = file.toAbsolutePath();
            Path parent = target.getParent();
            // Write beside the target and move into place: an interrupted or failed download never
            // leaves a partial file under the name asked for.
            Path partial = Files.createTempFile(parent, "." + target.getFileName(), ".part");
            try {
                try (OutputStream sink = Files.newOutputStream(partial)) {
                    Transfers.download(session(), root().terminal(), found, sink);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
    }

    @Command(name = "delete", description = "Delete images (with delayed_delete, they wait for the scrubber).")
    static final class Delete extends ServiceCommand {
        @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "IDs or names.")
        List<String> images;

        @Override
        void execute() {
            ImageService service = session().images();
            int failed = 0;
            RuntimeException last = null;
            for (String reference : images) {
                try {
                    service.delete(context(), resolve(service, context(), reference).id());
                } catch (RuntimeException e) {
                    failed++;
                    last = e;
                    if (images.size() > 1) {
                        err().println("glimpse: " + reference + ": " + dev.glimpse.cli.internal.Errors.message(e));
                    }
                }
            }
            if (last != null) {
                if (images.size() == 1) {
                    throw last;
                }
                throw new dev.glimpse.image.ImageException(failed + " of " + images.size() + " images could not be deleted");
            }
        }
    }

    @Command(name = "add", description = "Add a tag, or share with a project.", synopsisSubcommandLabel = "tag|project",
            subcommands = {ImageCommand.AddTag.class, MemberCommand.AddProject.class})
    static final class Add extends GroupCommand {}

    @Command(name = "remove", description = "Remove a tag, or stop sharing with a project.", synopsisSubcommandLabel = "tag|project",
            subcommands = {ImageCommand.RemoveTag.class, MemberCommand.RemoveProject.class})
    static final class Remove extends GroupCommand {}

    @Command(name = "tag", description = "Add a tag to an image.")
    static final class AddTag extends ServiceCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "ID or name.") String image;
        @Parameters(index = "1", paramLabel = "TAG", description = "The tag.") String tag;

        @Override
        void execute() {
            ImageService service = session().images();
            service.addTag(context(), resolve(service, context(), image).id(), tag);
        }
    }

    @Command(name = "tag", description = "Remove a tag from an image.")
    static final class RemoveTag extends ServiceCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "ID or name.") String image;
        @Parameters(index = "1", paramLabel = "TAG", description = "The tag.") String tag;

        @Override
        void execute() {
            ImageService service = session().images();
            service.removeTag(context(), resolve(service, context(), image).id(), tag);
        }
    }

    @Command(name = "deactivate", description = "Stop an active image from being downloaded (except by admins).")
    static final class Deactivate extends ServiceCommand {
        @Parameters(paramLabel = "IMAGE", description = "ID or name.") String image;

        @Override
        void execute() {
            ImageService service = session().images();
            service.deactivate(context(), resolve(service, context(), image).id());
        }
    }

    @Command(name = "reactivate", description = "Make a deactivated image downloadable again.")
    static final class Reactivate extends ServiceCommand {
        @Parameters(paramLabel = "IMAGE", description = "ID or name.") String image;

        @Override
        void execute() {
            ImageService service = session().images();
            service.reactivate(context(), resolve(service, context(), image).id());
        }
    }
}
