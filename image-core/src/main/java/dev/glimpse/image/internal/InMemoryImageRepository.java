package dev.glimpse.image.internal;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.VersionConflictException;
import dev.glimpse.image.spi.AccessScope;
import dev.glimpse.image.spi.ImageQueries;
import dev.glimpse.image.spi.ImageRepository;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The catalogue kept in memory: for tests, examples and hosts that persist nothing. Thread-safe;
 * every write is one atomic map operation, so compare-and-set needs no locks of its own.
 *
 * <p>A list scans the catalogue once with a bounded heap ({@link ImageQueries#page}): O(n log limit)
 * per page, never a full sort.
 */
public final class InMemoryImageRepository implements ImageRepository {
    private final ConcurrentMap<String, Image> images = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentSkipListMap<String, ImageMember>> members = new ConcurrentHashMap<>();
    private final ImageQueries.MembershipLookup membership = this::memberStatus;

    /** Creates an empty repository. */
    public InMemoryImageRepository() {}

    @Override
    public Image create(Image image) {
        Objects.requireNonNull(image, "image");
        Image stored = image.toBuilder().version(1).build();
        if (images.putIfAbsent(stored.id(), stored) != null) {
            throw new ConflictException("an image with id " + image.id() + " already exists");
        }
        return stored;
    }

    @Override
    public Optional<Image> get(String id) {
        return Optional.ofNullable(images.get(Objects.requireNonNull(id, "id")));
    }

    @Override
    public Image update(Image image) {
        Objects.requireNonNull(image, "image");
        // compute() runs atomically per key; an exception thrown inside leaves the mapping unchanged.
        return images.compute(image.id(), (id, current) -> {
            if (current == null) {
                throw new NotFoundException("image " + id + " not found");
            }
            if (current.version() != image.version()) {
                throw new VersionConflictException("image " + id + " was changed concurrently (read version "
                        + image.version() + ", stored version " + current.version() + ")");
            }
            return image.toBuilder().version(current.version() + 1).build();
        });
    }

    @Override
    public boolean purge(String id) {
        members.remove(id);
        return images.remove(Objects.requireNonNull(id, "id")) != null;
    }

    @Override
    public List<Image> list(ImageQuery query, AccessScope scope, int limit) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(scope, "scope");
        Image marker = ImageQueries.resolveMarker(query, scope, membership, this::get);
        return ImageQueries.page(images.values(), query, scope, membership, limit, marker);
    }

    @Override
    public ImageMember addMember(ImageMember member) {
        Objects.requireNonNull(member, "member");
        if (!images.containsKey(member.imageId())) {
            throw new NotFoundException("image " + member.imageId() + " not found");
        }
        ConcurrentSkipListMap<String, ImageMember> ofImage =
                members.computeIfAbsent(member.imageId(), k -> new ConcurrentSkipListMap<>());
        if (ofImage.putIfAbsent(member.memberId(), member) != null) {
            throw new ConflictException("project " + member.memberId() + " is already a member of image " + member.imageId());
        }
        return member;
    }

    @Override
    public Optional<ImageMember> getMember(String imageId, String memberId) {
        Map<String, ImageMember> ofImage = members.get(imageId);
        return ofImage == null ? Optional.empty() : Optional.ofNullable(ofImage.get(memberId));
    }

    @Override
    public List<ImageMember> listMembers(String imageId) {
        Map<String, ImageMember> ofImage = members.get(imageId);
        return ofImage == null ? List.of() : List.copyOf(ofImage.values());
    }

    @Override
    public ImageMember updateMember(ImageMember member) {
        Objects.requireNonNull(member, "member");
        ConcurrentSkipListMap<String, ImageMember> ofImage = members.get(member.imageId());
        if (ofImage == null || ofImage.replace(member.memberId(), member) == null) {
            throw new NotFoundException("project " + member.memberId() + " is not a member of image " + member.imageId());
        }
        return member;
    }

    @Override
    public boolean removeMember(String imageId, String memberId) {
        Map<String, ImageMember> ofImage = members.get(imageId);
        return ofImage != null && ofImage.remove(memberId) != null;
    }

    private Optional<MemberStatus> memberStatus(String imageId, String projectId) {
        Map<String, ImageMember> ofImage = members.get(imageId);
        if (ofImage == null) {
            return Optional.empty();
        }
        ImageMember m = ofImage.get(projectId);
        return m == null ? Optional.empty() : Optional.of(m.status());
    }
}
