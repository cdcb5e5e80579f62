package dev.glimpse.image.spi;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageQuery.SortKey;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.Visibility;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The reference semantics of {@link ImageRepository#list}, as plain Java: which images a query
 * matches for a scope, in which order, and one page of them. Repositories that keep records in
 * memory (or load them) call these directly; a SQL repository translates the same rules and runs the
 * contract test suite to prove it.
 *
 * <p>Visibility follows Glance's {@code _select_images_query}: an administrator sees every image;
 * anyone else sees public and community images, images of their own project, and shared images
 * where they are a member whose status is in the query's member statuses. Without a visibility
 * filter, community images are listed only for their owner; {@code visibility=all} lists them all.
 *
 * <p>Stateless and thread-safe.
 */
public final class ImageQueries {

    /** Looks up the membership status of a project on an image, for the visibility rules. */
    @FunctionalInterface
    public interface MembershipLookup {
        /** Returns the status of {@code projectId}'s membership of {@code imageId}, or empty if none. */
        Optional<MemberStatus> statusOf(String imageId, String projectId);
    }

    private ImageQueries() {}

    /**
     * Whether an image belongs in a list: not in a hidden status (unless the query names it), matches
     * every filter, and is listed for the scope.
     */
    public static boolean matches(Image image, ImageQuery query, AccessScope scope, MembershipLookup members) {
        return statusListed(image, query) && matchesFilters(image, query) && listedFor(image, query, scope, members);
    }

    /**
     * Whether the scope may get the image by id, whatever its status (Glance's
     * {@code is_image_visible}): administrators always; images without owner, public and community
     * images; the owner; a member of a shared image in any member status.
     */
    public static boolean canGet(Image image, AccessScope scope, MembershipLookup members) {
        if (scope.admin() || image.owner().isEmpty()) {
            return true;
        }
        if (image.visibility() == Visibility.PUBLIC || image.visibility() == Visibility.COMMUNITY) {
            return true;
        }
        String project = scope.projectId();
        if (project == null) {
            return false;
        }
        if (project.equals(image.owner().get())) {
            return true;
        }
        return image.visibility() == Visibility.SHARED && members.statusOf(image.id(), project).isPresent();
    }

    /** Whether the image's status may appear in the list: hidden statuses only when the query names them. */
    public static boolean statusListed(Image image, ImageQuery query) {
        if (!query.statuses().isEmpty()) {
            return query.statuses().contains(image.status());
        }
        return !image.status().isHiddenFromList();
    }

    /** Whether the image satisfies every attribute filter of the query (not visibility, not status hiding). */
    public static boolean matchesFilters(Image image, ImageQuery query) {
        // Extra-property filters first: they are the usual selective filter and cost a map lookup each.
        if (!query.properties().isEmpty()) {
            Map<String, String> props = image.properties();
            for (Map.Entry<String, String> e : query.properties().entrySet()) {
                if (!e.getValue().equals(props.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (!query.ids().isEmpty() && !query.ids().contains(image.id())) {
            return false;
        }
        if (!query.names().isEmpty() && (image.name().isEmpty() || !query.names().contains(image.name().get()))) {
            return false;
        }
        if (!query.statuses().isEmpty() && !query.statuses().contains(image.status())) {
            return false;
        }
        if (!query.diskFormats().isEmpty()
                && (image.diskFormat().isEmpty() || !query.diskFormats().contains(image.diskFormat().get()))) {
            return false;
        }
        if (!query.containerFormats().isEmpty() && (image.containerFormat().isEmpty()
                || !query.containerFormats().contains(image.containerFormat().get()))) {
            return false;
        }
        if (query.owner().isPresent() && !query.owner().equals(image.owner())) {
            return false;
        }
        if (query.visibility().isPresent() && query.visibility().get() != image.visibility()) {
            return false;
        }
        if (!image.tags().containsAll(query.tags())) {
            return false;
        }
        if (query.isProtected().isPresent() && query.isProtected().get() != image.isProtected()) {
            return false;
        }
        if (query.osHidden().isPresent() && query.osHidden().get() != image.osHidden()) {
            return false;
        }
        if (query.sizeMin().isPresent() && (image.size().isEmpty() || image.size().get() < query.sizeMin().get())) {
            return false;
        }
        if (query.sizeMax().isPresent() && (image.size().isEmpty() || image.size().get() > query.sizeMax().get())) {
            return false;
        }
        if (query.checksum().isPresent() && !query.checksum().equals(image.checksum())) {
            return false;
        }
        if (query.osHashValue().isPresent() && !query.osHashValue().equals(image.osHashValue())) {
            return false;
        }
        for (ImageQuery.TimeFilter f : query.createdAt()) {
            if (!f.test(image.createdAt())) {
                return false;
            }
        }
        for (ImageQuery.TimeFilter f : query.updatedAt()) {
            if (!f.test(image.updatedAt())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the image is listed for the scope under the query's visibility and member-status rules. */
    public static boolean listedFor(Image image, ImageQuery query, AccessScope scope, MembershipLookup members) {
        String project = scope.projectId();
        boolean owned = project != null && image.owner().isPresent() && project.equals(image.owner().get());
        // Glance's default list leaves out community images of other projects; visibility=community or all includes them.
        if (query.visibility().isEmpty() && !query.allVisibilities()
                && image.visibility() == Visibility.COMMUNITY && !owned) {
            return false;
        }
        if (scope.admin()) {
            return true;
        }
        switch (image.visibility()) {
            case PUBLIC:
            case COMMUNITY:
                return true;
            case PRIVATE:
                return owned;
            case SHARED:
                if (owned) {
                    return true;
                }
                if (project == null) {
                    return false;
                }
                Optional<MemberStatus> status = members.statusOf(image.id(), project);
                return status.isPresent() && query.memberStatuses().contains(status.get());
            default:
                throw new AssertionError(image.visibility());
        }
    }

    /**
     * Returns the total order of a sort: each key compared in its direction, unset values first when
     * ascending and last when descending (as SQL's NULL-is-smallest rule).
     */
    public static Comparator<Image> comparator(List<SortKey> keys) {
        Comparator<Image> result = null;
        for (SortKey key : keys) {
            Comparator<Image> c = fieldComparator(key.field());
            if (key.direction() == ImageQuery.SortDirection.DESC) {
                c = c.reversed();
            }
            result = result == null ? c : result.thenComparing(c);
        }
        return result == null ? Comparator.comparing(Image::id) : result;
    }

    private static Comparator<Image> fieldComparator(ImageQuery.SortField field) {
        switch (field) {
            case NAME:
                return Comparator.comparing(i -> i.name().orElse(null), Comparator.nullsFirst(Comparator.naturalOrder()));
            case STATUS:
                return Comparator.comparing(i -> i.status().wireName());
            case CONTAINER_FORMAT:
                return Comparator.comparing(i -> i.containerFormat().map(Object::toString).orElse(null),
                        Comparator.nullsFirst(Comparator.naturalOrder()));
            case DISK_FORMAT:
                return Comparator.comparing(i -> i.diskFormat().map(Object::toString).orElse(null),
                        Comparator.nullsFirst(Comparator.naturalOrder()));
            case SIZE:
                return Comparator.comparing(i -> i.size().orElse(null), Comparator.nullsFirst(Comparator.naturalOrder()));
            case ID:
                return Comparator.comparing(Image::id);
            case CREATED_AT:
                return Comparator.comparing(Image::createdAt);
            case UPDATED_AT:
                return Comparator.comparing(Image::updatedAt);
            default:
                throw new AssertionError(field);
        }
    }

    /**
     * Resolves a query's marker: the image must exist, be in a listed status and be one the scope
     * could get.
     *
     * @return the marker image, or null if the query has no marker
     * @throws InvalidRequestException if the marker is unknown to this scope
     */
    public static @Nullable Image resolveMarker(ImageQuery query, AccessScope scope, MembershipLookup members,
            Function<String, Optional<Image>> lookup) {
        if (query.marker().isEmpty()) {
            return null;
        }
        String id = query.marker().get();
        Optional<Image> marker = lookup.apply(id);
        if (marker.isEmpty()
                || marker.get().status().isHiddenFromList() && !query.statuses().contains(marker.get().status())
                || !canGet(marker.get(), scope, members)) {
            throw new InvalidRequestException("marker " + id + " not found");
        }
        return marker.get();
    }

    /**
     * Returns one page: the at most {@code limit} smallest images in the sort order that come strictly
     * after the marker and match. Runs in one pass with a bounded heap, O(n log limit) time and
     * O(limit) memory, rather than sorting the whole catalogue.
     *
     * @param images every candidate image (each once)
     * @param marker the resolved marker, or null for the first page
     */
    public static List<Image> page(Iterable<Image> images, ImageQuery query, AccessScope scope,
            MembershipLookup members, int limit, @Nullable Image marker) {
        Objects.requireNonNull(query, "query");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        Comparator<Image> order = comparator(query.effectiveSort());
        // A max-heap of the best `limit` images seen so far: its head is the one to evict first.
        PriorityQueue<Image> best = new PriorityQueue<>(Math.min(limit, 1024) + 1, order.reversed());
        for (Image image : images) {
            // Filters first: with a selective filter most images stop here, before any comparison.
            if (!matches(image, query, scope, members)) {
                continue;
            }
            if (marker != null && order.compare(image, marker) <= 0) {
                continue;
            }
            if (best.size() == limit && order.compare(image, best.peek()) >= 0) {
                continue;
            }
            best.add(image);
            if (best.size() > limit) {
                best.poll();
            }
        }
        List<Image> result = new ArrayList<>(best);
        result.sort(order);
        return result;
    }
}
