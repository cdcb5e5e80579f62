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
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.jspecify.annotations.Nullable;

/**
 * The catalogue kept in memory: for tests, examples and hosts that persist nothing. Thread-safe;
 * every write is one atomic map operation per image ({@code compute}), so compare-and-set needs no
 * locks of its own.
 *
 * <p>Lists never sort the whole catalogue. Each sort field has an ordered index (field, created_at,
 * id); a query whose effective sort is one field plus Glance's tie-breakers in the same direction
 * (the default sort, and any single {@code sort_key}) walks that index from the marker and stops
 * after {@code limit} matches: O(log n + images skipped by the filters). The default sort
 * ({@code created_at desc}) has its own descending index, because a skip list walks backwards in
 * O(log n) per step. Any other sort scans once with a bounded heap ({@link ImageQueries#page}):
 * O(m log limit), where m is the whole catalogue, or only the images carrying the query's extra
 * property values when it filters on properties (an inverted index of property values). Lists are
 * weakly consistent: an image written during the walk may be seen in its old or new version, or not
 * at all, but never twice.
 */
public final class InMemoryImageRepository implements ImageRepository {
    private final ConcurrentMap<String, Image> images = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentSkipListMap<String, ImageMember>> members = new ConcurrentHashMap<>();
    private final ImageQueries.MembershipLookup membership = this::memberStatus;
    private final Map<ImageQuery.SortField, ConcurrentSkipListSet<Image>> indexes = new EnumMap<>(ImageQuery.SortField.class);
    /** created_at desc, id desc: the default sort, walked forwards. */
    private final ConcurrentSkipListSet<Image> newestFirst;
    /** Extra property name, then value, to the images that have it. */
    private final ConcurrentMap<String, ConcurrentMap<String, Set<Image>>> byProperty = new ConcurrentHashMap<>();

    /** Creates an empty repository. */
    public InMemoryImageRepository() {
        for (ImageQuery.SortField field : ImageQuery.SortField.values()) {
            List<ImageQuery.SortKey> keys = List.of(new ImageQuery.SortKey(field, ImageQuery.SortDirection.ASC),
                    new ImageQuery.SortKey(ImageQuery.SortField.CREATED_AT, ImageQuery.SortDirection.ASC),
                    new ImageQuery.SortKey(ImageQuery.SortField.ID, ImageQuery.SortDirection.ASC));
            // id is unique, so the order is total and distinct images never collide in the set.
            indexes.put(field, new ConcurrentSkipListSet<>(ImageQueries.comparator(keys)));
        }
        newestFirst = new ConcurrentSkipListSet<>(ImageQueries.comparator(
                indexOrder(ImageQuery.SortField.CREATED_AT, ImageQuery.SortDirection.DESC)));
    }

    private void index(Image image) {
        for (ConcurrentSkipListSet<Image> index : indexes.values()) {
            index.add(image);
        }
        newestFirst.add(image);
        for (Map.Entry<String, String> p : image.properties().entrySet()) {
            byProperty.computeIfAbsent(p.getKey(), k -> new ConcurrentHashMap<>()).compute(p.getValue(), (v, set) -> {
                Set<Image> result = set == null ? ConcurrentHashMap.newKeySet() : set;
                result.add(image);
                return result;
            });
        }
    }

    private void unindex(Image image) {
        for (ConcurrentSkipListSet<Image> index : indexes.values()) {
            index.remove(image);
        }
        newestFirst.remove(image);
        for (Map.Entry<String, String> p : image.properties().entrySet()) {
            ConcurrentMap<String, Set<Image>> values = byProperty.get(p.getKey());
            if (values != null) {
                // Drop emptied sets so that unique values (instance ids, ...) do not pile up.
                values.computeIfPresent(p.getValue(), (v, set) -> {
                    set.remove(image);
                    return set.isEmpty() ? null : set;
                });
            }
        }
    }

    /** The images carrying every property value the query asks for, from the smallest posting set; null if no filter. */
    private @Nullable Iterable<Image> propertyCandidates(ImageQuery query) {
        Set<Image> smallest = null;
        for (Map.Entry<String, String> e : query.properties().entrySet()) {
            Map<String, Set<Image>> values = byProperty.get(e.getKey());
            Set<Image> set = values == null ? null : values.get(e.getValue());
            if (set == null) {
                return List.of();
            }
            if (smallest == null || set.size() < smallest.size()) {
                smallest = set;
            }
        }
        if (smallest == null) {
            return null;
        }
        // Only the stored version of each image counts (a concurrent write may be mid-way).
        List<Image> current = new ArrayList<>(smallest.size());
        for (Image image : smallest) {
            if (images.get(image.id()) == image) {
                current.add(image);
            }
        }
        return current;
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
            Iterable<Image> candidates = propertyCandidates(query);
            return ImageQueries.page(candidates == null ? images.values() : candidates, query, scope, membership,
                    limit, marker);
        }
        if (limit == 0) {
            return List.of();
        }
        NavigableSet<Image> walk;
        if (field == ImageQuery.SortField.CREATED_AT && sort.get(0).direction() == ImageQuery.SortDirection.DESC) {
            walk = newestFirst;
        } else if (sort.get(0).direction() == ImageQuery.SortDirection.DESC) {
            walk = indexes.get(field).descendingSet();
        } else {
            walk = indexes.get(field);
        }
        if (marker != null) {
            walk = walk.tailSet(marker, false);
        }
        List<Image> page = new ArrayList<>(Math.min(limit, 1024));
        Set<String> seen = new HashSet<>();
        for (Image image : walk) {
            // Skip an entry a concurrent write is replacing: only the stored version counts. An image
            // updated during the walk can move ahead of it and be met again in its new version; the
            // id set keeps it to one appearance per page.
            if (images.get(image.id()) == image && ImageQueries.matches(image, query, scope, membership)
                    && seen.add(image.id())) {
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
