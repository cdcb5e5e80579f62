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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.NavigableSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The catalogue kept in memory: for tests, examples and hosts that persist nothing. Thread-safe;
 * every write is one atomic map operation per image ({@code compute}), so compare-and-set needs no
 * locks of its own.
 *
 * <p>Lists never sort the whole catalogue. Each sort field has an ordered index (field, created_at,
 * id); a query whose effective sort is one field plus Glance's tie-breakers in the same direction
 * (the default sort, and any single {@code sort_key}) walks that index from the marker and stops
 * after {@code limit} matches: O(log n + images skipped by the filters). Any other sort scans once
 * with a bounded heap ({@link ImageQueries#page}): O(n log limit). Lists are weakly consistent: an
 * image written during the walk may be seen in its old or new version, or not at all.
 */
public final class InMemoryImageRepository implements ImageRepository {
    private final ConcurrentMap<String, Image> images = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentSkipListMap<String, ImageMember>> members = new ConcurrentHashMap<>();
    private final ImageQueries.MembershipLookup membership = this::memberStatus;
    private final Map<ImageQuery.SortField, ConcurrentSkipListSet<Image>> indexes = new EnumMap<>(ImageQuery.SortField.class);

    /** Creates an empty repository. */
    public InMemoryImageRepository() {
        for (ImageQuery.SortField field : ImageQuery.SortField.values()) {
            List<ImageQuery.SortKey> keys = List.of(new ImageQuery.SortKey(field, ImageQuery.SortDirection.ASC),
                    new ImageQuery.SortKey(ImageQuery.SortField.CREATED_AT, ImageQuery.SortDirection.ASC),
                    new ImageQuery.SortKey(ImageQuery.SortField.ID, ImageQuery.SortDirection.ASC));
            // id is unique, so the order is total and distinct images never collide in the set.
            indexes.put(field, new ConcurrentSkipListSet<>(ImageQueries.comparator(keys)));
        }
    }

    private void index(Image image) {
        for (ConcurrentSkipListSet<Image> index : indexes.values()) {
            index.add(image);
        }
    }

    private void unindex(Image image) {
        for (ConcurrentSkipListSet<Image> index : indexes.values()) {
            index.remove(image);
        }
    }

    @Override
    public Image create(Image image) {
        Objects.requireNonNull(image, "image");
        Image stored = image.toBuilder().version(1).build();
        // Index inside compute(): writes to one id are serialised there, so the index always holds
        // exactly the stored version once the write returns.
        images.compute(stored.id(), (id, current) -> {
            if (current != null) {
                throw new ConflictException("an image with id " + id + " already exists");
            }
            index(stored);
            return stored;
        });
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
            Image next = image.toBuilder().version(current.version() + 1).build();
            unindex(current);
            index(next);
            return next;
        });
    }

    @Override
    public boolean purge(String id) {
        Objects.requireNonNull(id, "id");
        boolean[] removed = {false};
        images.computeIfPresent(id, (k, current) -> {
            unindex(current);
            removed[0] = true;
            return null;
        });
        members.remove(id);
        return removed[0];
    }

    @Override
    public List<Image> list(ImageQuery query, AccessScope scope, int limit) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(scope, "scope");
        Image marker = ImageQueries.resolveMarker(query, scope, membership, this::get);
        List<ImageQuery.SortKey> sort = query.effectiveSort();
        ImageQuery.SortField field = sort.get(0).field();
        if (!sort.equals(indexOrder(field, sort.get(0).direction()))) {
            return ImageQueries.page(images.values(), query, scope, membership, limit, marker);
        }
        if (limit == 0) {
            return List.of();
        }
        NavigableSet<Image> walk = indexes.get(field);
        if (sort.get(0).direction() == ImageQuery.SortDirection.DESC) {
            walk = walk.descendingSet();
        }
        if (marker != null) {
            walk = walk.tailSet(marker, false);
        }
        List<Image> page = new ArrayList<>(Math.min(limit, 1024));
        for (Image image : walk) {
            // Skip an entry a concurrent write is replacing: only the stored version counts.
            if (images.get(image.id()) == image && ImageQueries.matches(image, query, scope, membership)) {
                page.add(image);
                if (page.size() == limit) {
                    break;
                }
            }
        }
        return page;
    }

    /** The effective sort that the index of {@code field} yields when walked in {@code direction}. */
    private static List<ImageQuery.SortKey> indexOrder(ImageQuery.SortField field, ImageQuery.SortDirection direction) {
        List<ImageQuery.SortKey> keys = new ArrayList<>(3);
        keys.add(new ImageQuery.SortKey(field, direction));
        for (ImageQuery.SortField tie : List.of(ImageQuery.SortField.CREATED_AT, ImageQuery.SortField.ID)) {
            if (tie != field) {
                keys.add(new ImageQuery.SortKey(tie, direction));
            }
        }
        return keys;
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
