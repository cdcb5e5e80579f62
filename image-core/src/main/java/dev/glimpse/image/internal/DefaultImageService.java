package dev.glimpse.image.internal;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImagePage;
import dev.glimpse.image.ImagePatch;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.VersionConflictException;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.spi.AccessScope;
import dev.glimpse.image.spi.ImageQueries;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.UploadOptions;
import dev.glimpse.image.format.Inspection;
import dev.glimpse.image.format.StreamingInspection;
import dev.glimpse.image.internal.data.DataPath;
import dev.glimpse.image.internal.data.SizeGuard;
import dev.glimpse.image.internal.data.UploadPipeline;
import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue service. Rules live here, persistence in the {@link ImageRepository}; status changes
 * go through {@link ImageLifecycle#transition}, writes through {@link #modify} (compare-and-set with
 * retry).
 */
public final class DefaultImageService implements ImageService {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultImageService.class);

    /** How often a read-modify-write is retried after losing a compare-and-set before giving up. */
    static final int MAX_ATTEMPTS = 100;

    /**
     * Everything the service is built from.
     *
     * @param repository where records are kept
     * @param clock stamps created_at / updated_at
     * @param diskFormats allowed disk formats
     * @param containerFormats allowed container formats
     * @param limitParamDefault default page size
     * @param apiLimitMax largest page size
     * @param dataDeleter removes data of deleted images
     * @param dataPath uploads, downloads and checks locations
     */
    public record Settings(ImageRepository repository, Clock clock, Set<DiskFormat> diskFormats,
            Set<ContainerFormat> containerFormats, int limitParamDefault, int apiLimitMax, ImageDataDeleter dataDeleter,
            DataPath dataPath) {
        /** Copies the sets and checks for nulls. */
        public Settings {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(clock, "clock");
            diskFormats = Set.copyOf(diskFormats);
            containerFormats = Set.copyOf(containerFormats);
            Objects.requireNonNull(dataDeleter, "dataDeleter");
            Objects.requireNonNull(dataPath, "dataPath");
        }

        /** Settings for a catalogue without image stores: uploads fail, records work. */
        public Settings(ImageRepository repository, Clock clock, Set<DiskFormat> diskFormats,
                Set<ContainerFormat> containerFormats, int limitParamDefault, int apiLimitMax,
                ImageDataDeleter dataDeleter) {
            this(repository, clock, diskFormats, containerFormats, limitParamDefault, apiLimitMax, dataDeleter,
                    DataPath.withoutStores());
        }
    }

    private final Settings settings;
    private final ImageRepository repository;
    private final Clock clock;
    private final PatchApplier patches;
    private final ChangeGuard guard;

    /** Creates the service. */
    public DefaultImageService(Settings settings) {
        this(settings, ChangeGuard.NONE);
    }

    /** Creates the service with a guard that sees every record before it is stored. */
    public DefaultImageService(Settings settings, ChangeGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.repository = settings.repository();
        this.clock = settings.clock();
        this.patches = new PatchApplier(settings.diskFormats(), settings.containerFormats());
    }

    /** The settings the service was built with. */
    public Settings settings() {
        return settings;
    }

    /** The repository the service writes to. */
    public ImageRepository repository() {
        return repository;
    }

    @Override
    public Image create(RequestContext context, NewImage request) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(request, "image");
        for (String key : request.properties().keySet()) {
            AttributeNames.checkWritableProperty(key);
        }
        String owner = request.owner().orElse(context.projectId());
        if (!owner.equals(context.projectId()) && !context.isAdmin()) {
            throw new ForbiddenException("only administrators may create images owned by another project ("
                    + owner + ")");
        }
        request.diskFormat().ifPresent(f -> patches.diskFormat(f.wireName()));
        request.containerFormat().ifPresent(f -> patches.containerFormat(f.wireName()));
        Instant now = clock.instant();
        Image image = Image.builder()
                .id(request.id().orElseGet(() -> UUID.randomUUID().toString()))
                .name(request.name().orElse(null))
                .status(ImageStatus.QUEUED)
                .visibility(request.visibility().orElse(Visibility.SHARED))
                .isProtected(request.isProtected())
                .osHidden(request.osHidden())
                .owner(owner)
                .diskFormat(request.diskFormat().orElse(null))
                .containerFormat(request.containerFormat().orElse(null))
                .minDisk(request.minDisk())
                .minRam(request.minRam())
                .tags(request.tags())
                .properties(request.properties())
                .createdAt(now)
                .updatedAt(now)
                .build();
        guard.check(context, null, image);
        Image stored = repository.create(image);
        LOG.debug("created image {} for project {}", stored.id(), owner);
        return stored;
    }

    @Override
    public Image get(RequestContext context, String imageId) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(imageId, "imageId");
        return visible(context, imageId);
    }

    @Override
    public ImagePage list(RequestContext context, ImageQuery query) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(query, "query");
        int limit = Math.min(query.limit().orElse(settings.limitParamDefault()), settings.apiLimitMax());
        ImageQuery effective = query;
        if (!query.statuses().isEmpty()) {
            // Deleted, pending_delete and killed images never appear for API callers, even when asked for.
            Set<ImageStatus> statuses = EnumSet.noneOf(ImageStatus.class);
            query.statuses().stream().filter(s -> !s.isHiddenFromList()).forEach(statuses::add);
            if (statuses.isEmpty()) {
                checkMarker(context, query);
                return new ImagePage(List.of(), null);
            }
            effective = query.toBuilder().statuses(statuses).build();
        }
        List<Image> images = repository.list(effective, AccessScope.of(context), limit);
        String next = images.size() == limit && limit > 0 ? images.get(images.size() - 1).id() : null;
        return new ImagePage(images, next);
    }

    private void checkMarker(RequestContext context, ImageQuery query) {
        if (query.marker().isPresent()) {
            ImageQueries.resolveMarker(query.toBuilder().statuses(Set.of()).build(), AccessScope.of(context),
                    this::memberStatus, repository::get);
        }
    }

    @Override
    public Image update(RequestContext context, String imageId, ImagePatch patch) {
        Objects.requireNonNull(patch, "patch");
        return modify(context, imageId, image -> {
            requireOwner(context, image, "update");
            if (patch.isEmpty()) {
                return image;
            }
            return patches.apply(image, patch, context, clock.instant());
        });
    }

    @Override
    public void delete(RequestContext context, String imageId) {
        Image deleted = modify(context, imageId, image -> {
            requireOwner(context, image, "delete");
            if (image.isProtected()) {
                throw new ForbiddenException("image " + image.id() + " is protected and cannot be deleted");
            }
            return ImageLifecycle.transition(image, ImageStatus.DELETED, clock.instant()).build();
        });
        LOG.debug("deleted image {}", deleted.id());
        settings.dataDeleter().deleteData(deleted);
    }

    @Override
    public Image addTag(RequestContext context, String imageId, String tag) {
        Objects.requireNonNull(tag, "tag");
        return modify(context, imageId, image -> {
            requireOwner(context, image, "tag");
            if (image.tags().contains(tag)) {
                return image;
            }
            return image.toBuilder().addTag(tag).updatedAt(clock.instant()).build();
        });
    }

    @Override
    public Image removeTag(RequestContext context, String imageId, String tag) {
        Objects.requireNonNull(tag, "tag");
        return modify(context, imageId, image -> {
            requireOwner(context, image, "untag");
            if (!image.tags().contains(tag)) {
                throw new NotFoundException("image " + image.id() + " has no tag '" + tag + "'");
            }
            return image.toBuilder().removeTag(tag).updatedAt(clock.instant()).build();
        });
    }

    @Override
    public Image deactivate(RequestContext context, String imageId) {
        return modify(context, imageId, image -> {
            requireOwner(context, image, "deactivate");
            if (image.status() == ImageStatus.DEACTIVATED) {
                return image;
            }
            if (image.status() != ImageStatus.ACTIVE) {
                throw new ForbiddenException("only an active image can be deactivated; image " + image.id()
                        + " is " + image.status());
            }
            return ImageLifecycle.transition(image, ImageStatus.DEACTIVATED, clock.instant()).build();
        });
    }

    @Override
    public Image reactivate(RequestContext context, String imageId) {
        return modify(context, imageId, image -> {
            requireOwner(context, image, "reactivate");
            if (image.status() == ImageStatus.ACTIVE) {
                return image;
            }
            if (image.status() != ImageStatus.DEACTIVATED) {
                throw new ForbiddenException("only a deactivated image can be reactivated; image " + image.id()
                        + " is " + image.status());
            }
            return ImageLifecycle.transition(image, ImageStatus.ACTIVE, clock.instant()).build();
        });
    }

    @Override
    public ImageMember addMember(RequestContext context, String imageId, String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        Image image = visible(context, imageId);
        requireShared(image);
        requireOwner(context, image, "add members to");
        Instant now = clock.instant();
        return repository.addMember(new ImageMember(image.id(), memberId, MemberStatus.PENDING, now, now));
    }

    @Override
    public List<ImageMember> listMembers(RequestContext context, String imageId) {
        Image image = visible(context, imageId);
        requireShared(image);
        List<ImageMember> all = repository.listMembers(image.id());
        if (isOwner(context, image)) {
            return all;
        }
        return all.stream().filter(m -> m.memberId().equals(context.projectId())).collect(Collectors.toList());
    }

    @Override
    public ImageMember getMember(RequestContext context, String imageId, String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        Image image = visible(context, imageId);
        requireShared(image);
        Optional<ImageMember> member = repository.getMember(image.id(), memberId);
        // A non-owner may see only their own membership; anyone else's does not exist for them.
        if (member.isEmpty() || !isOwner(context, image) && !memberId.equals(context.projectId())) {
            throw new NotFoundException("project " + memberId + " is not a member of image " + image.id());
        }
        return member.get();
    }

    @Override
    public ImageMember updateMember(RequestContext context, String imageId, String memberId, MemberStatus status) {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(status, "status");
        Image image = visible(context, imageId);
        requireShared(image);
        ImageMember member = repository.getMember(image.id(), memberId).orElseThrow(
                () -> new NotFoundException("project " + memberId + " is not a member of image " + image.id()));
        if (!memberId.equals(context.projectId()) && !context.isAdmin()) {
            throw new ForbiddenException("only project " + memberId + " may accept or reject image " + image.id());
        }
        return repository.updateMember(member.withStatus(status, clock.instant()));
    }

    @Override
    public void removeMember(RequestContext context, String imageId, String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        Image image = visible(context, imageId);
        requireShared(image);
        if (repository.getMember(image.id(), memberId).isEmpty()) {
            throw new NotFoundException("project " + memberId + " is not a member of image " + image.id());
        }
        requireOwner(context, image, "remove members from");
        if (!repository.removeMember(image.id(), memberId)) {
            throw new NotFoundException("project " + memberId + " is not a member of image " + image.id());
        }
    }

    // ---- image data

    @Override
    public Image upload(RequestContext context, String imageId, InputStream data, UploadOptions options)
            throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        DataPath dataPath = settings.dataPath();
        Image image = visible(context, imageId);
        requireOwner(context, image, "upload data to");
        requireQueuedForUpload(image);
        // Refuse what can be refused before the image changes status.
        ImageStore store = dataPath.uploadStore(options.storeId());
        SizeGuard guard = dataPath.sizeGuard(options.declaredSize());
        Image saving = modify(context, imageId, current -> {
            requireQueuedForUpload(current);
            return ImageLifecycle.transition(current, ImageStatus.SAVING, clock.instant()).build();
        });
        UploadPipeline.Result result = null;
        try {
            StreamingInspection inspection = dataPath.startInspection(saving);
            result = dataPath.write(data, store, saving, guard, inspection);
            Inspection inspected = dataPath.judge(saving, result);
            UploadPipeline.Result written = result;
            Image active = modifySystem(imageId, current -> {
                if (current.status() != ImageStatus.SAVING) {
                    throw new NotFoundException("image " + imageId + " was " + current.status()
                            + " while its data was uploaded; the data was discarded");
                }
                Image.Builder b = ImageLifecycle.transition(current, ImageStatus.ACTIVE, clock.instant())
                        .size(written.size())
                        .checksum(written.checksum())
                        .osHashAlgo(written.hashAlgorithm())
                        .osHashValue(written.hashValue())
                        .addLocation(DataPath.location(written.stored()));
                if (inspected != null && inspected.virtualSize().isPresent()) {
                    b.virtualSize(inspected.virtualSize().getAsLong());
                }
                return b.build();
            });
            LOG.debug("image {} active: {} bytes in store {}", imageId, written.size(), store.id());
            return active;
        } catch (IOException | RuntimeException | Error e) {
            if (result != null) {
                dataPath.discard(result.stored(), e);
            }
            restoreQueued(imageId, e);
            throw e;
        }
    }

    private static void requireQueuedForUpload(Image image) {
        if (image.status() != ImageStatus.QUEUED) {
            throw new ConflictException("image " + image.id() + " is " + image.status()
                    + "; data can only be uploaded to a queued image");
        }
    }

    /** Puts a failed upload's image back to queued (clearing its sizes), unless it moved on meanwhile. */
    private void restoreQueued(String imageId, Throwable cause) {
        try {
            modifySystem(imageId, current -> current.status() != ImageStatus.SAVING ? current
                    : ImageLifecycle.transition(current, ImageStatus.QUEUED, clock.instant()).build());
        } catch (RuntimeException e) {
            LOG.error("could not return image {} to queued after a failed upload", imageId, e);
            cause.addSuppressed(e);
        }
    }

    /** {@link #modify} without the caller's visibility: for steps the service takes on its own. */
    private Image modifySystem(String imageId, UnaryOperator<Image> change) {
        VersionConflictException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Image current = repository.get(imageId)
                    .orElseThrow(() -> new NotFoundException("image " + imageId + " not found"));
            Image next = change.apply(current);
            if (next == current) {
                return current;
            }
            try {
                return repository.update(next);
            } catch (VersionConflictException e) {
                last = e;
                Thread.yield();
            }
        }
        throw new ConflictException("image " + imageId + " is being changed by too many writers at once", last);
    }

    @Override
    public Optional<ImageData> download(RequestContext context, String imageId, ByteRange range) throws IOException {
        Objects.requireNonNull(range, "range");
        Image image = visible(context, imageId);
        DataPath.checkDownloadable(image, context.isAdmin());
        if (image.status() != ImageStatus.ACTIVE && image.status() != ImageStatus.DEACTIVATED) {
            return Optional.empty();
        }
        return settings.dataPath().open(image, range);
    }

    @Override
    public Image addLocation(RequestContext context, String imageId, String url, Map<String, String> metadata) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(metadata, "metadata");
        Image image = visible(context, imageId);
        requireOwner(context, image, "add locations to");
        requireLocationStatus(image);
        DataPath.CheckedLocation checked = settings.dataPath().checkNewLocation(image, url, metadata);
        return modify(context, imageId, current -> {
            requireOwner(context, current, "add locations to");
            requireLocationStatus(current);
            Image.Builder b = current.status() == ImageStatus.QUEUED
                    ? ImageLifecycle.transition(current, ImageStatus.ACTIVE, clock.instant())
                    : current.toBuilder().updatedAt(clock.instant());
            if (current.size().isEmpty()) {
                b.size(checked.size());
            }
            return b.addLocation(checked.location()).build();
        });
    }

    private static void requireLocationStatus(Image image) {
        if (image.status() != ImageStatus.QUEUED && image.status() != ImageStatus.ACTIVE) {
            throw new ConflictException("locations can only be added to queued or active images; image "
                    + image.id() + " is " + image.status());
        }
    }

    /**
     * Reads the image as the caller sees it, applies {@code change} and stores the result with a
     * compare-and-set, re-reading and re-applying when another writer got there first. If
     * {@code change} returns its argument unchanged, nothing is written.
     *
     * @return the stored image
     */
    public Image modify(RequestContext context, String imageId, UnaryOperator<Image> change) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(imageId, "imageId");
        VersionConflictException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Image current = visible(context, imageId);
            Image next = change.apply(current);
            if (next == current) {
                return current;
            }
            if (next.version() != current.version() || !next.id().equals(current.id())) {
                throw new IllegalStateException("a change must keep the image's id and version");
            }
            guard.check(context, current, next);
            try {
                return repository.update(next);
            } catch (VersionConflictException e) {
                last = e;
                Thread.yield();
            }
        }
        throw new ConflictException("image " + imageId + " is being changed by too many writers at once; try again",
                last);
    }

    /**
     * Returns the image if the caller may see it and it is not deleted.
     *
     * @throws NotFoundException otherwise
     */
    public Image visible(RequestContext context, String imageId) {
        Optional<Image> found = repository.get(imageId);
        if (found.isEmpty()
                || found.get().status() == ImageStatus.DELETED || found.get().status() == ImageStatus.PENDING_DELETE
                || !ImageQueries.canGet(found.get(), AccessScope.of(context), this::memberStatus)) {
            throw new NotFoundException("image " + imageId + " not found");
        }
        return found.get();
    }

    private Optional<MemberStatus> memberStatus(String imageId, String projectId) {
        return repository.getMember(imageId, projectId).map(ImageMember::status);
    }

    private static boolean isOwner(RequestContext context, Image image) {
        return context.isAdmin() || image.owner().map(context.projectId()::equals).orElse(false);
    }

    private static void requireOwner(RequestContext context, Image image, String action) {
        if (!isOwner(context, image)) {
            throw new ForbiddenException("project " + context.projectId() + " does not own image " + image.id()
                    + " and may not " + action + " it");
        }
    }

    private static void requireShared(Image image) {
        if (image.visibility() != Visibility.SHARED) {
            throw new ForbiddenException("only shared images have members; image " + image.id() + " is "
                    + image.visibility());
        }
    }
}
