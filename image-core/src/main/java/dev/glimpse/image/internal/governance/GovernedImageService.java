package dev.glimpse.image.internal.governance;

import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImagePage;
import dev.glimpse.image.ImagePatch;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.QuotaExceededException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.UploadOptions;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.config.ProjectLimits;
import dev.glimpse.image.event.EventType;
import dev.glimpse.image.internal.ChangeGuard;
import dev.glimpse.image.internal.DefaultImageService;
import dev.glimpse.image.internal.ImageLifecycle;
import dev.glimpse.image.internal.event.EventDispatcher;
import dev.glimpse.image.metadef.MetadefService;
import dev.glimpse.image.policy.Policy;
import dev.glimpse.image.policy.PolicyTargets;
import dev.glimpse.image.spi.AccessScope;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.store.ByteRange;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The image service as users get it: {@link DefaultImageService} (the catalogue's own rules)
 * behind policy enforcement, quotas, delayed delete and notifications.
 *
 * <p>Policy, in Glance's order: the image must be visible to the caller (else
 * {@link NotFoundException}); then the action's rule is checked; a denial on an image the caller
 * could not {@code get_image} is reported as {@link NotFoundException} too, so that policy never
 * reveals more than visibility does ({@code ImageAPIPolicy._enforce}). Rules that depend on the
 * change itself ({@code publicize_image}, {@code communitize_image}, {@code set_image_location},
 * {@code delete_image_location}) and per-image quotas are checked by the {@link ChangeGuard} on the
 * exact record being stored, inside the compare-and-set, so concurrent writers cannot get around
 * them. Per-project counts (image_count_total) and members per image are checked under a lock per
 * project or image, so concurrent requests in one JVM cannot overshoot them.
 *
 * <p>Events are sent after the change is stored; a failing listener does not undo it.
 */
public final class GovernedImageService implements ImageService {
    private final DefaultImageService core;
    private final ImageRepository repository;
    private final Policy policy;
    private final GlimpseConfig config;
    private final EventDispatcher events;
    private final @Nullable MetadefService metadefs;
    private final Clock clock;
    private final UploadQuotas uploadQuotas;
    /** Striped locks: bounded memory whatever the number of projects and images. */
    private final Object[] locks = new Object[256];

    /**
     * Builds the governed service around a core built with {@link #guard(Policy, GlimpseConfig, MetadefService)}.
     */
    public GovernedImageService(DefaultImageService core, Policy policy, GlimpseConfig config, EventDispatcher events,
            @Nullable MetadefService metadefs, Clock clock) {
        this.core = Objects.requireNonNull(core, "core");
        this.repository = core.repository();
        this.policy = Objects.requireNonNull(policy, "policy");
        this.config = Objects.requireNonNull(config, "config");
        this.events = Objects.requireNonNull(events, "events");
        this.metadefs = metadefs;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.uploadQuotas = new UploadQuotas(config, repository);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * The guard to build the core with: change-dependent policy rules, per-image quotas and, when
     * a metadef service is given, the check of extra properties against the definitions.
     */
    public static ChangeGuard guard(Policy policy, GlimpseConfig config, @Nullable MetadefService metadefs) {
        return (context, before, after) -> {
            Map<String, String> target = target(context, after, null, null);
            Visibility was = before == null ? null : before.visibility();
            if (after.visibility() != was) {
                if (after.visibility() == Visibility.PUBLIC) {
                    policy.enforce("publicize_image", context, target);
                } else if (after.visibility() == Visibility.COMMUNITY) {
                    policy.enforce("communitize_image", context, target);
                }
            }
            long oldProperties = before == null ? 0 : countedProperties(before);
            long newProperties = countedProperties(after);
            checkGrowth("image_property_quota", "extra properties", config.imagePropertyQuota(), oldProperties,
                    newProperties);
            checkGrowth("image_tag_quota", "tags", config.imageTagQuota(),
                    before == null ? 0 : before.tags().size(), after.tags().size());
            checkGrowth("image_location_quota", "locations", config.imageLocationQuota(),
                    before == null ? 0 : before.locations().size(), after.locations().size());
            if (metadefs != null && (before == null || !before.properties().equals(after.properties()))) {
                metadefs.validateImageProperties(after.owner().orElse(null), after.properties());
            }
        };
    }

    /** Glance leaves its own os_glance* keys out of the property count. */
    private static long countedProperties(Image image) {
        return image.properties().keySet().stream().filter(k -> !k.startsWith("os_glance")).count();
    }

    private static void checkGrowth(String option, String what, int quota, long before, long after) {
        // Only growth is refused, so that lowering a quota does not freeze images already above it.
        if (quota >= 0 && after > quota && after > before) {
            throw new QuotaExceededException("an image may have at most " + quota + " " + what + " (" + option
                    + "); this change would give it " + after);
        }
    }

    @Override
    public Image create(RequestContext context, NewImage image) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(image, "image");
        String owner = image.owner().orElse(context.projectId());
        Map<String, String> target = new HashMap<>();
        target.put("project_id", context.projectId());
        target.put("owner", owner);
        target.put("visibility", image.visibility().orElse(Visibility.SHARED).wireName());
        policy.enforce("add_image", context, target);
        Image created = underProjectLock(owner, () -> {
            ProjectLimits limits = config.limitsFor(owner);
            if (!ProjectLimits.isUnlimited(limits.imageCountTotal())) {
                long count = countImages(owner);
                if (count >= limits.imageCountTotal()) {
                    throw new QuotaExceededException("project " + owner + " has " + count
                            + " images, its limit image_count_total is " + limits.imageCountTotal());
                }
            }
            return core.create(context, image);
        });
        events.info(EventType.IMAGE_CREATE, ImagePayloads.image(created));
        return created;
    }

    @Override
    public Image get(RequestContext context, String imageId) {
        return authorize(context, imageId, "get_image", null);
    }

    @Override
    public ImagePage list(RequestContext context, ImageQuery query) {
        Objects.requireNonNull(context, "context");
        policy.enforce("get_images", context, PolicyTargets.project(context.projectId()));
        ImagePage page = core.list(context, query);
        // Glance filters each listed image through get_image as well; with the default rules this
        // removes nothing the visibility rules had kept, but an operator's stricter rule applies here too.
        List<Image> allowed = new ArrayList<>();
        for (Image image : page.images()) {
            if (policy.check("get_image", context, target(context, image, null, null))) {
                allowed.add(image);
            }
        }
        return allowed.size() == page.images().size() ? page : new ImagePage(allowed, page.next().orElse(null));
    }

    @Override
    public Image update(RequestContext context, String imageId, ImagePatch patch) {
        Objects.requireNonNull(patch, "patch");
        Image before = authorize(context, imageId, "modify_image", null);
        // Location edits need their own rules (Glance: set_image_location, delete_image_location).
        // They are judged from the patch, not from the stored change, because the service itself
        // also changes locations (upload adds one, delete marks them) without these rules.
        Map<String, String> target = target(context, before, null, repository);
        for (ImagePatch.Operation op : patch.operations()) {
            if (op.name().equals("locations") || op.name().startsWith("locations/")) {
                if (op.op() != ImagePatch.Op.ADD) {
                    policy.enforce("delete_image_location", context, target);
                }
                if (op.op() != ImagePatch.Op.REMOVE) {
                    policy.enforce("set_image_location", context, target);
                }
            }
        }
        Image after = core.update(context, imageId, patch);
        updated(before, after);
        return after;
    }

    @Override
    public void delete(RequestContext context, String imageId) {
        Image image = authorize(context, imageId, "delete_image", null);
        Instant now = clock.instant();
        boolean hasData = image.locations().stream().anyMatch(l -> l.status() != ImageLocation.Status.DELETED);
        if (config.delayedDelete() && hasData) {
            // Glance keeps the data for the scrubber: pending_delete, locations marked, image hidden.
            Image pending = core.modify(context, imageId, current -> {
                requireOwner(context, current);
                if (current.isProtected()) {
                    throw new ForbiddenException("image " + current.id() + " is protected and cannot be deleted");
                }
                List<ImageLocation> marked = new ArrayList<>();
                for (ImageLocation l : current.locations()) {
                    marked.add(l.status() == ImageLocation.Status.ACTIVE
                            ? new ImageLocation(l.url(), l.metadata(), l.storeId(), ImageLocation.Status.PENDING_DELETE) : l);
                }
                return ImageLifecycle.transition(current, ImageStatus.PENDING_DELETE, now).locations(marked).build();
            });
            events.info(EventType.IMAGE_DELETE, ImagePayloads.deletedImage(pending, now));
            return;
        }
        core.delete(context, imageId);
        Image deleted = repository.get(imageId).orElse(image);
        events.info(EventType.IMAGE_DELETE, ImagePayloads.deletedImage(deleted, now));
    }

    @Override
    public Image addTag(RequestContext context, String imageId, String tag) {
        Image before = authorize(context, imageId, "modify_image", null);
        Image after = core.addTag(context, imageId, tag);
        updated(before, after);
        return after;
    }

    @Override
    public Image removeTag(RequestContext context, String imageId, String tag) {
        Image before = authorize(context, imageId, "modify_image", null);
        Image after = core.removeTag(context, imageId, tag);
        updated(before, after);
        return after;
    }

    @Override
    public Image deactivate(RequestContext context, String imageId) {
        Image before = authorize(context, imageId, "deactivate", null);
        Image after = core.deactivate(context, imageId);
        updated(before, after);
        return after;
    }

    @Override
    public Image reactivate(RequestContext context, String imageId) {
        Image before = authorize(context, imageId, "reactivate", null);
        Image after = core.reactivate(context, imageId);
        updated(before, after);
        return after;
    }

    @Override
    public ImageMember addMember(RequestContext context, String imageId, String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        Image image = authorize(context, imageId, "add_member", memberId);
        ImageMember member = underImageLock(image.id(), () -> {
            int quota = config.imageMemberQuota();
            if (quota >= 0) {
                int count = repository.listMembers(image.id()).size();
                if (count >= quota) {
                    throw new QuotaExceededException("image " + image.id() + " has " + count
                            + " members, the limit image_member_quota is " + quota);
                }
            }
            return core.addMember(context, imageId, memberId);
        });
        events.info(EventType.IMAGE_MEMBER_CREATE, ImagePayloads.member(member, false, null));
        return member;
    }

    @Override
    public List<ImageMember> listMembers(RequestContext context, String imageId) {
        authorize(context, imageId, "get_members", null);
        return core.listMembers(context, imageId);
    }

    @Override
    public ImageMember getMember(RequestContext context, String imageId, String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        try {
            authorize(context, imageId, "get_member", memberId);
        } catch (ForbiddenException e) {
            // Glance's member show turns a denial into "not found".
            throw new NotFoundException("project " + memberId + " is not a member of image " + imageId);
        }
        return core.getMember(context, imageId, memberId);
    }

    @Override
    public ImageMember updateMember(RequestContext context, String imageId, String memberId, MemberStatus status) {
        Objects.requireNonNull(memberId, "memberId");
        authorize(context, imageId, "modify_member", memberId);
        ImageMember member = core.updateMember(context, imageId, memberId, status);
        events.info(EventType.IMAGE_MEMBER_UPDATE, ImagePayloads.member(member, false, null));
        return member;
    }

    @Override
    public void removeMember(RequestContext context, String imageId, String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        authorize(context, imageId, "delete_member", memberId);
        Optional<ImageMember> member = repository.getMember(imageId, memberId);
        core.removeMember(context, imageId, memberId);
        member.ifPresent(m -> events.info(EventType.IMAGE_MEMBER_DELETE,
                ImagePayloads.member(m, true, clock.instant())));
    }

    @Override
    public Image upload(RequestContext context, String imageId, InputStream data, UploadOptions options)
            throws IOException {
        Objects.requireNonNull(data, "data");
        Image image = authorize(context, imageId, "upload_image", null);
        events.info(EventType.IMAGE_PREPARE, ImagePayloads.image(image));
        Image active;
        try (UploadQuotas.Reservation reservation = uploadQuotas.begin(image)) {
            try {
                active = core.upload(context, imageId, reservation.meter(data), options);
            } catch (IOException e) {
                events.error(EventType.IMAGE_UPLOAD, Map.of("message", String.valueOf(e.getMessage())));
                // The meter reports a quota breach through the stream; give the caller the quota error.
                QuotaExceededException quota = quotaCause(e);
                if (quota != null) {
                    throw new QuotaExceededException(quota.getMessage(), e);
                }
                throw e;
            } catch (RuntimeException e) {
                events.error(EventType.IMAGE_UPLOAD, Map.of("message", String.valueOf(e.getMessage())));
                throw e;
            }
            // The image is stored already; its bytes move from in-flight to stored usage.
            reservation.commit(() -> { });
        }
        events.info(EventType.IMAGE_UPLOAD, ImagePayloads.image(active));
        events.info(EventType.IMAGE_ACTIVATE, ImagePayloads.image(active));
        return active;
    }

    private static @Nullable QuotaExceededException quotaCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof QuotaExceededException quota) {
                return quota;
            }
        }
        return null;
    }

    @Override
    public Optional<ImageData> download(RequestContext context, String imageId, ByteRange range) throws IOException {
        Image image = authorize(context, imageId, "download_image", null);
        Optional<ImageData> data = core.download(context, imageId, range);
        if (data.isEmpty() || !events.enabled(EventType.IMAGE_SEND)) {
            return data;
        }
        ImageData d = data.get();
        // image.send when the reader is done: INFO if every requested byte went out, else ERROR.
        InputStream counted = new FilterInputStream(d.stream()) {
            private long sent;
            private boolean reported;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    sent++;
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                if (n > 0) {
                    sent += n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    if (!reported) {
                        reported = true;
                        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
                        payload.put("bytes_sent", sent);
                        payload.put("image_id", image.id());
                        payload.put("owner_id", image.owner().orElse(null));
                        payload.put("receiver_tenant_id", context.projectId());
                        payload.put("receiver_user_id", context.userId());
                        if (sent == d.length()) {
                            events.info(EventType.IMAGE_SEND, payload);
                        } else {
                            events.error(EventType.IMAGE_SEND, payload);
                        }
                    }
                }
            }
        };
        return Optional.of(new ImageData(counted, d.offset(), d.length(), d.imageSize(), d.checksum().orElse(null),
                d.isVerified()));
    }

    @Override
    public Image addLocation(RequestContext context, String imageId, String url, Map<String, String> metadata) {
        Image before = authorize(context, imageId, "add_image_location", null);
        Image after = core.addLocation(context, imageId, url, metadata);
        updated(before, after);
        return after;
    }

    /** The core service, for collaborators that need its maintenance entry points (the scrubber). */
    public DefaultImageService core() {
        return core;
    }

    /** The event dispatcher, shared with the scrubber. */
    public EventDispatcher events() {
        return events;
    }

    /** The configuration. */
    public GlimpseConfig config() {
        return config;
    }

    private void updated(Image before, Image after) {
        if (after.version() != before.version() || !after.equals(before)) {
            events.info(EventType.IMAGE_UPDATE, ImagePayloads.image(after));
        }
    }

    /**
     * Returns the image if the caller may see it and the rule allows the action.
     *
     * @param memberId the membership the action concerns (member calls), or null for the caller's own
     * @throws NotFoundException if the image is invisible, or the rule denies and get_image would too
     * @throws ForbiddenException if the rule denies an image the caller may get
     */
    private Image authorize(RequestContext context, String imageId, String action, @Nullable String memberId) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(imageId, "imageId");
        Image image = core.get(context, imageId);
        Map<String, String> target = target(context, image, memberId, repository);
        if (policy.check(action, context, target)) {
            return image;
        }
        Map<String, String> own = memberId == null ? target : target(context, image, null, repository);
        if (!action.equals("get_image") && policy.check("get_image", context, own)) {
            policy.enforce(action, context, target);
        }
        throw new NotFoundException("image " + imageId + " not found");
    }

    private static Map<String, String> target(RequestContext context, Image image, @Nullable String memberId,
            @Nullable ImageRepository repository) {
        String member = memberId;
        String memberStatus = null;
        if (repository != null) {
            String lookup = memberId != null ? memberId : context.projectId();
            Optional<ImageMember> membership = repository.getMember(image.id(), lookup);
            if (membership.isPresent()) {
                member = lookup;
                memberStatus = membership.get().status().wireName();
            }
        }
        return PolicyTargets.image(image.id(), image.owner().orElse(null), image.visibility().wireName(), member,
                memberStatus, image.properties());
    }

    private static void requireOwner(RequestContext context, Image image) {
        if (!context.isAdmin() && !image.owner().map(context.projectId()::equals).orElse(false)) {
            throw new ForbiddenException("project " + context.projectId() + " does not own image " + image.id()
                    + " and may not delete it");
        }
    }

    private long countImages(String owner) {
        ImageQuery query = ImageQuery.builder().owner(owner).allVisibilities().osHidden(null)
                .statuses(EnumSet.complementOf(EnumSet.of(ImageStatus.DELETED))).build();
        long count = 0;
        String marker = null;
        while (true) {
            List<Image> page = repository.list(query.toBuilder().marker(marker).build(), AccessScope.system(), 1000);
            count += page.size();
            if (page.size() < 1000) {
                return count;
            }
            marker = page.get(page.size() - 1).id();
        }
    }

    private <T> T underProjectLock(String project, Supplier<T> action) {
        return underLock("project:" + project, action);
    }

    private <T> T underImageLock(String imageId, Supplier<T> action) {
        return underLock("image:" + imageId, action);
    }

    private <T> T underLock(String key, Supplier<T> action) {
        synchronized (locks[Math.floorMod(key.hashCode(), locks.length)]) {
            return action.get();
        }
    }
}
