package dev.glimpse.image;

import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.DefaultImageService;
import dev.glimpse.image.internal.ImageDataDeleter;
import dev.glimpse.image.internal.InMemoryImageRepository;
import dev.glimpse.image.internal.event.EventDispatcher;
import dev.glimpse.image.internal.governance.GovernedImageService;
import dev.glimpse.image.metadef.MetadefService;
import dev.glimpse.image.policy.Policy;
import dev.glimpse.image.spi.EventListener;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.internal.data.DataPath;
import dev.glimpse.image.internal.data.UploadPipeline;
import dev.glimpse.image.store.ByteRange;
import dev.glimpse.image.store.ImageStoreRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The image catalogue: registers, finds, updates, shares and retires images as Glance's Images API
 * v2 does, as plain Java calls. Build one with {@link #builder()}.
 *
 * <p>Every call takes the {@link RequestContext} of the caller. An image the caller may not see
 * does not exist for them ({@link NotFoundException}, never {@link ForbiddenException}). Errors are
 * unchecked {@link ImageException}s: {@link InvalidRequestException} for bad input,
 * {@link ForbiddenException}, {@link NotFoundException}, {@link ConflictException} for an illegal
 * status change or a duplicate; a refused call changes nothing.
 *
 * <p>Thread-safe. Every write is a compare-and-set on the record's version; read-modify-write calls
 * ({@link #update}, tags, deactivate, ...) retry on a lost race, so concurrent writers never lose an
 * update.
 */
public interface ImageService {

    /** Returns a builder with Glance's defaults and an in-memory repository. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Registers an image ({@code POST /v2/images}): status {@code queued}, visibility {@code shared}
     * unless given, owner the caller's project unless given.
     *
     * @throws InvalidRequestException if a value breaks a constraint (id not a UUID, name too long,
     *     format not allowed, 4-byte UTF-8, ...)
     * @throws ForbiddenException if an extra property uses a reserved or read-only name, or a
     *     non-administrator names another project as owner
     * @throws ConflictException if the requested id is taken (even by a deleted image)
     */
    Image create(RequestContext context, NewImage image);

    /**
     * Returns an image ({@code GET /v2/images/{id}}).
     *
     * @throws NotFoundException if there is no such image, it is deleted, or the caller may not see it
     */
    Image get(RequestContext context, String imageId);

    /**
     * Lists one page of the images the caller may see ({@code GET /v2/images}).
     *
     * @throws InvalidRequestException if the marker is unknown to the caller
     */
    ImagePage list(RequestContext context, ImageQuery query);

    /**
     * Applies a patch ({@code PATCH /v2/images/{id}}), all operations or none. Only the owner (or an
     * administrator) may update an image.
     *
     * @return the updated image
     * @throws NotFoundException if the caller may not see the image
     * @throws ForbiddenException on read-only, reserved or base-attribute removal, or a non-owner
     * @throws ConflictException on replace or remove of a missing property
     * @throws InvalidRequestException on a badly typed value
     */
    Image update(RequestContext context, String imageId, ImagePatch patch);

    /**
     * Deletes an image ({@code DELETE /v2/images/{id}}): it becomes {@code deleted}, stops being
     * visible, and its data is deleted from whatever store holds it.
     *
     * @throws ForbiddenException if the image is protected or the caller does not own it
     * @throws NotFoundException if the caller may not see the image
     */
    void delete(RequestContext context, String imageId);

    /**
     * Adds a tag ({@code PUT /v2/images/{id}/tags/{tag}}); adding a present tag changes nothing.
     *
     * @return the updated image
     * @throws InvalidRequestException if the tag is longer than 255 characters
     */
    Image addTag(RequestContext context, String imageId, String tag);

    /**
     * Removes a tag ({@code DELETE /v2/images/{id}/tags/{tag}}).
     *
     * @return the updated image
     * @throws NotFoundException if the image does not have the tag
     */
    Image removeTag(RequestContext context, String imageId, String tag);

    /**
     * Deactivates an active image; a deactivated image stays so.
     *
     * @return the image
     * @throws ForbiddenException if the image is neither active nor deactivated
     */
    Image deactivate(RequestContext context, String imageId);

    /**
     * Reactivates a deactivated image; an active image stays so.
     *
     * @return the image
     * @throws ForbiddenException if the image is neither deactivated nor active
     */
    Image reactivate(RequestContext context, String imageId);

    /**
     * Shares a {@code shared} image with a project ({@code POST /v2/images/{id}/members}); the
     * membership starts {@code pending}. Only the owner may add members.
     *
     * @throws ForbiddenException if the image is not shared or the caller is not its owner
     * @throws ConflictException if the project is already a member
     */
    ImageMember addMember(RequestContext context, String imageId, String memberId);

    /**
     * Lists the members of a shared image: all of them for the owner, only their own for a member.
     *
     * @throws ForbiddenException if the image is not shared
     */
    List<ImageMember> listMembers(RequestContext context, String imageId);

    /**
     * Returns one membership.
     *
     * @throws NotFoundException if there is none, or the caller is neither the owner nor that member
     */
    ImageMember getMember(RequestContext context, String imageId, String memberId);

    /**
     * Sets a member's answer (accept, reject, or back to pending). Only the member itself (or an
     * administrator) may do this, not the owner.
     *
     * @throws ForbiddenException if the caller is not the member
     */
    ImageMember updateMember(RequestContext context, String imageId, String memberId, MemberStatus status);

    /**
     * Removes a member. Only the owner (or an administrator) may do this.
     *
     * @throws NotFoundException if the project is not a member
     */
    void removeMember(RequestContext context, String imageId, String memberId);

    // ---- image data (upload, download, locations)

    /**
     * Uploads an image's data ({@code PUT /v2/images/{id}/file}) with no declared size, to the
     * default store. See {@link #upload(RequestContext, String, InputStream, UploadOptions)}.
     */
    default Image upload(RequestContext context, String imageId, InputStream data) throws IOException {
        return upload(context, imageId, data, UploadOptions.defaults());
    }

    /**
     * Uploads an image's data ({@code PUT /v2/images/{id}/file}). Only the owner (or an
     * administrator) may upload, and only to a {@code queued} image with both formats set; the
     * image becomes {@code saving} by compare-and-set, so of two racing uploads one gets
     * {@link ConflictException}.
     *
     * <p>The data is read once, to its end: it is counted against {@code image_size_cap} and the
     * declared size, hashed (MD5 {@code checksum} and the {@code os_hash_algo} multihash),
     * inspected when the container format is {@code bare}, and written to the store, all in one
     * pass with bounded memory. The image becomes {@code active} with {@code size},
     * {@code virtual_size}, the hashes and the location recorded only if the detected format is the
     * declared {@code disk_format} and the image passes every safety check. On any failure the
     * stored bytes are deleted, the image is {@code queued} again with its size fields cleared, and
     * the exception says why. The caller keeps ownership of {@code data} and closes it.
     *
     * @return the active image
     * @throws NotFoundException if the caller may not see the image, or it was deleted meanwhile
     * @throws ForbiddenException if the caller does not own it
     * @throws ConflictException if the image is not {@code queued}
     * @throws InvalidRequestException if a format is missing, the store is unknown or read-only, or
     *     the data is not the declared size
     * @throws InvalidImageDataException if the data is not the declared format or is unsafe
     * @throws QuotaExceededException if the data exceeds {@code image_size_cap}
     * @throws IOException if reading {@code data} or writing the store fails (including
     *     {@link dev.glimpse.image.store.StorageFullException})
     */
    Image upload(RequestContext context, String imageId, InputStream data, UploadOptions options) throws IOException;

    /**
     * Downloads an image's data ({@code GET /v2/images/{id}/file}). The stream verifies the
     * recorded hash as it is read (see {@link ImageData}). The caller closes the result.
     *
     * @return the data, or empty if the image has none (Glance's 204)
     * @throws NotFoundException if the caller may not see the image
     * @throws ForbiddenException if the image is deactivated and the caller is not an administrator
     * @throws IOException if no location of the image can be read
     */
    default Optional<ImageData> download(RequestContext context, String imageId) throws IOException {
        return download(context, imageId, ByteRange.from(0));
    }

    /**
     * Downloads part of an image's data (an HTTP {@code Range} request). A range running past the
     * end is cut at the end. A range covering the whole image is verified like a full download;
     * other ranges are checked only for length.
     *
     * @return the data, or empty if the image has none
     * @throws java.io.EOFException if the range starts at or after the end of the image (HTTP 416)
     * @throws NotFoundException if the caller may not see the image
     * @throws ForbiddenException if the image is deactivated and the caller is not an administrator
     * @throws IOException if no location of the image can be read
     */
    Optional<ImageData> download(RequestContext context, String imageId, ByteRange range) throws IOException;

    /**
     * Adds a location where the image's data already lives (Glance's locations API), e.g. an
     * {@code https} URL served by the http store. The store serving it must report data there; its
     * size becomes the image's {@code size} if none is recorded. A {@code queued} image becomes
     * {@code active}. Only the owner (or an administrator) may add locations.
     *
     * @return the updated image
     * @throws InvalidRequestException if the URL is malformed, uses a restricted scheme
     *     ({@code file}, {@code filesystem}, {@code swift+config}), no store serves it, it holds no
     *     data, or the image already has it
     * @throws ConflictException if the image is neither {@code queued} nor {@code active}
     * @throws QuotaExceededException if the image has {@code image_location_quota} locations
     */
    Image addLocation(RequestContext context, String imageId, String url, Map<String, String> metadata);

    /**
     * Configures and builds an {@link ImageService}. Defaults: an in-memory repository, the system
     * UTC clock, every disk and container format allowed, page size 25, at most 1000.
     * Not thread-safe.
     */
    final class Builder {
        private ImageRepository repository = new InMemoryImageRepository();
        private Clock clock = Clock.systemUTC();
        private Set<DiskFormat> diskFormats = EnumSet.allOf(DiskFormat.class);
        private Set<ContainerFormat> containerFormats = EnumSet.allOf(ContainerFormat.class);
        private int limitParamDefault = 25;
        private int apiLimitMax = 1000;
        private GlimpseConfig config = GlimpseConfig.defaults();
        private @Nullable Policy policy;
        private final List<EventListener> listeners = new ArrayList<>();
        private @Nullable Executor eventExecutor;
        private @Nullable MetadefService metadefs;
        // Data path: unset values come from the configuration at build time.
        private @Nullable ImageStoreRegistry stores;
        private @Nullable Long imageSizeCap;
        private @Nullable String hashingAlgorithm;
        private FormatInspector formatInspector = FormatInspector.defaults();
        private @Nullable Integer imageLocationQuota;

        Builder() {}

        /**
         * Applies a configuration: {@code limit_param_default}, {@code api_limit_max}, the allowed
         * disk and container formats, and everything governance reads from it (quotas,
         * per-project limits, {@code delayed_delete}, {@code default_publisher_id},
         * {@code disabled_notifications}). Later calls to the individual setters override it.
         */
        public Builder config(GlimpseConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            this.limitParamDefault = config.limitParamDefault();
            this.apiLimitMax = config.apiLimitMax();
            this.diskFormats = EnumSet.noneOf(DiskFormat.class);
            config.diskFormats().forEach(f -> diskFormats.add(DiskFormat.fromWireName(f)));
            this.containerFormats = EnumSet.noneOf(ContainerFormat.class);
            config.containerFormats().forEach(f -> containerFormats.add(ContainerFormat.fromWireName(f)));
            return this;
        }

        /**
         * Sets the access rules. Default: the configuration's {@code [oslo_policy] policy_file}
         * loaded over Glance's default rules, or the default rules alone ({@link Policy#defaults()}).
         */
        public Builder policy(Policy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Adds a listener for image and member events ({@code image.create}, {@code image.member.update}, ...). */
        public Builder eventListener(EventListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Delivers events on this executor instead of the caller's thread. */
        public Builder eventExecutor(@Nullable Executor executor) {
            this.eventExecutor = executor;
            return this;
        }

        /**
         * Checks extra properties of created and updated images against the metadata definitions
         * associated with {@code OS::Glance::Image} (e.g. refuses {@code hw_disk_bus=floppy}).
         * Off unless set.
         */
        public Builder metadefValidation(@Nullable MetadefService metadefs) {
            this.metadefs = metadefs;
            return this;
        }

        /** Sets where the catalogue is kept (default: in memory, lost when the JVM exits). */
        public Builder repository(ImageRepository repository) {
            this.repository = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /** Sets the clock that stamps {@code created_at} and {@code updated_at}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets the disk formats images may declare ({@code [image_format] disk_formats}). */
        public Builder allowedDiskFormats(Collection<DiskFormat> formats) {
            if (formats.isEmpty()) {
                throw new IllegalArgumentException("at least one disk format must be allowed");
            }
            this.diskFormats = EnumSet.copyOf(formats);
            return this;
        }

        /** Sets the container formats images may declare ({@code [image_format] container_formats}). */
        public Builder allowedContainerFormats(Collection<ContainerFormat> formats) {
            if (formats.isEmpty()) {
                throw new IllegalArgumentException("at least one container format must be allowed");
            }
            this.containerFormats = EnumSet.copyOf(formats);
            return this;
        }

        /** Sets the page size when a query gives none ({@code limit_param_default}, default 25). */
        public Builder limitParamDefault(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit_param_default must be at least 1, was " + limit);
            }
            this.limitParamDefault = limit;
            return this;
        }

        /** Sets the largest page size; larger limits are capped to it ({@code api_limit_max}, default 1000). */
        public Builder apiLimitMax(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("api_limit_max must be at least 1, was " + limit);
            }
            this.apiLimitMax = limit;
            return this;
        }

        /**
         * Sets where image data is kept: the named stores and the default one (Glance's
         * {@code enabled_backends} / {@code default_backend}). Without stores, the catalogue holds
         * records only and uploads fail.
         */
        public Builder stores(ImageStoreRegistry stores) {
            this.stores = Objects.requireNonNull(stores, "stores");
            return this;
        }

        /**
         * Sets the largest image, in bytes, an upload may store, overriding the configuration's
         * {@code image_size_cap} (default 1 TiB); a negative value means no cap.
         */
        public Builder imageSizeCap(long bytes) {
            this.imageSizeCap = bytes;
            return this;
        }

        /**
         * Sets the multihash algorithm of uploads by its Python {@code hashlib} name, overriding
         * the configuration's {@code hashing_algorithm} (default {@code sha512}).
         *
         * @throws IllegalArgumentException if the algorithm is unknown
         */
        public Builder hashingAlgorithm(String algorithm) {
            this.hashingAlgorithm = dev.glimpse.image.internal.data.HashAlgorithms.validate(algorithm);
            return this;
        }

        /** Sets the inspector that checks uploaded data (default: {@link FormatInspector#defaults()}). */
        public Builder formatInspector(FormatInspector inspector) {
            this.formatInspector = Objects.requireNonNull(inspector, "inspector");
            return this;
        }

        /**
         * Sets the most locations an image may have, overriding the configuration's
         * {@code image_location_quota} (default 10); negative for no limit.
         */
        public Builder imageLocationQuota(int quota) {
            this.imageLocationQuota = quota;
            return this;
        }

        /**
         * Builds the service.
         *
         * @throws IllegalStateException if {@code limit_param_default} exceeds {@code api_limit_max}
         * @throws dev.glimpse.image.policy.InvalidPolicyException if the configured policy file is invalid
         */
        public ImageService build() {
            if (limitParamDefault > apiLimitMax) {
                throw new IllegalStateException("limit_param_default (" + limitParamDefault
                        + ") must not exceed api_limit_max (" + apiLimitMax + ")");
            }
            DataPath dataPath = new DataPath(new DataPath.Settings(stores,
                    imageSizeCap != null ? imageSizeCap : config.imageSizeCap(),
                    hashingAlgorithm != null ? hashingAlgorithm : config.hashingAlgorithm(),
                    formatInspector,
                    imageLocationQuota != null ? imageLocationQuota : config.imageLocationQuota(),
                    UploadPipeline.defaults()));
            Policy rules = policy != null ? policy
                    : config.policyFile().map(Policy::load).orElse(Policy.defaults());
            DefaultImageService core = new DefaultImageService(new DefaultImageService.Settings(repository, clock,
                    diskFormats, containerFormats, limitParamDefault, apiLimitMax,
                    stores == null ? ImageDataDeleter.NONE : dataPath::deleteData, dataPath),
                    GovernedImageService.guard(rules, config, metadefs));
            EventDispatcher events = new EventDispatcher(listeners, eventExecutor,
                    Set.copyOf(config.disabledNotifications()), config.defaultPublisherId(), clock);
            return new GovernedImageService(core, rules, config, events, metadefs, clock);
        }
    }
}
