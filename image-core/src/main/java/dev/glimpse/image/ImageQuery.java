package dev.glimpse.image;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What to list ({@code GET /v2/images}): filters, sort order and a page (marker + limit), with
 * Glance's semantics.
 *
 * <p>Every filter is optional and they combine with AND. Set-valued filters ({@code ids}, {@code names},
 * {@code statuses}, formats) match any member of the set, like Glance's {@code in:} lists; {@code tags}
 * must all be present; {@code properties} match extra properties exactly. Without a visibility
 * filter, the caller sees public images, their own images, images shared with them whose
 * membership status is in {@link #memberStatuses()} (default accepted), and community images only
 * if they own them. {@code os_hidden} defaults to false, so hidden images are left out.
 *
 * <p>Immutable. Every filter is plain data so that a repository can translate it into SQL.
 */
public final class ImageQuery {

    /** The attributes a list can be sorted by, with Glance's {@code sort_key} names. */
    public enum SortField {
        /** {@code name} (unset names sort first ascending). */
        NAME("name"),
        /** {@code status} by wire name. */
        STATUS("status"),
        /** {@code container_format} by wire name. */
        CONTAINER_FORMAT("container_format"),
        /** {@code disk_format} by wire name. */
        DISK_FORMAT("disk_format"),
        /** {@code size}. */
        SIZE("size"),
        /** {@code id}. */
        ID("id"),
        /** {@code created_at}. */
        CREATED_AT("created_at"),
        /** {@code updated_at}. */
        UPDATED_AT("updated_at");

        private final String wireName;

        SortField(String wireName) {
            this.wireName = wireName;
        }

        /** Returns Glance's {@code sort_key} name. */
        public String wireName() {
            return wireName;
        }

        /**
         * Returns the field with the given {@code sort_key} name.
         *
         * @throws InvalidRequestException if the name is not a sortable attribute
         */
        public static SortField fromWireName(String name) {
            for (SortField f : values()) {
                if (f.wireName.equals(name)) {
                    return f;
                }
            }
            throw new InvalidRequestException("cannot sort by '" + name + "'; sort keys are "
                    + Arrays.stream(values()).map(SortField::wireName).collect(Collectors.joining(", ")));
        }
    }

    /** Sort direction. */
    public enum SortDirection {
        /** Ascending; unset values first. */
        ASC("asc"),
        /** Descending; unset values last. */
        DESC("desc");

        private final String wireName;

        SortDirection(String wireName) {
            this.wireName = wireName;
        }

        /** Returns Glance's {@code sort_dir} name. */
        public String wireName() {
            return wireName;
        }

        /**
         * Returns the direction with the given name.
         *
         * @throws InvalidRequestException if it is neither {@code asc} nor {@code desc}
         */
        public static SortDirection fromWireName(String name) {
            for (SortDirection d : values()) {
                if (d.wireName.equals(name)) {
                    return d;
                }
            }
            throw new InvalidRequestException("sort direction must be asc or desc, was '" + name + "'");
        }
    }

    /**
     * One sort key.
     *
     * @param field what to sort by
     * @param direction which way
     */
    public record SortKey(SortField field, SortDirection direction) {
        /** Checks for nulls. */
        public SortKey {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(direction, "direction");
        }
    }

    /** Comparison operators of time filters, Glance's {@code gt|gte|lt|lte|eq|neq}. */
    public enum Comparison {
        /** Strictly after. */
        GT("gt"),
        /** At or after. */
        GTE("gte"),
        /** Strictly before. */
        LT("lt"),
        /** At or before. */
        LTE("lte"),
        /** Exactly at. */
        EQ("eq"),
        /** Not at. */
        NEQ("neq");

        private final String wireName;

        Comparison(String wireName) {
            this.wireName = wireName;
        }

        /** Returns Glance's operator name. */
        public String wireName() {
            return wireName;
        }

        /** Whether {@code value} compared with {@code bound} satisfies this operator. */
        public boolean test(Instant value, Instant bound) {
            int c = value.compareTo(bound);
            switch (this) {
                case GT: return c > 0;
                case GTE: return c >= 0;
                case LT: return c < 0;
                case LTE: return c <= 0;
                case EQ: return c == 0;
                case NEQ: return c != 0;
                default: throw new AssertionError(this);
            }
        }

        /**
         * Returns the operator with the given name.
         *
         * @throws InvalidRequestException for any other name
         */
        public static Comparison fromWireName(String name) {
            for (Comparison c : values()) {
                if (c.wireName.equals(name)) {
                    return c;
                }
            }
            throw new InvalidRequestException("unknown time comparison '" + name + "'; expected gt, gte, lt, lte, eq or neq");
        }
    }

    /**
     * A condition on a timestamp.
     *
     * @param comparison the operator
     * @param instant the bound
     */
    public record TimeFilter(Comparison comparison, Instant instant) {
        /** Checks for nulls. */
        public TimeFilter {
            Objects.requireNonNull(comparison, "comparison");
            Objects.requireNonNull(instant, "instant");
        }

        /** Whether the given time satisfies this condition. */
        public boolean test(Instant value) {
            return comparison.test(value, instant);
        }
    }

    private static final ImageQuery ALL = builder().build();

    private final Set<String> ids;
    private final Set<String> names;
    private final Set<ImageStatus> statuses;
    private final Set<DiskFormat> diskFormats;
    private final Set<ContainerFormat> containerFormats;
    private final @Nullable String owner;
    private final @Nullable Visibility visibility;
    private final boolean allVisibilities;
    private final Set<MemberStatus> memberStatuses;
    private final Set<String> tags;
    private final @Nullable Boolean protectedFilter;
    private final @Nullable Boolean osHidden;
    private final @Nullable Long sizeMin;
    private final @Nullable Long sizeMax;
    private final @Nullable String checksum;
    private final @Nullable String osHashValue;
    private final List<TimeFilter> createdAt;
    private final List<TimeFilter> updatedAt;
    private final Map<String, String> properties;
    private final List<SortKey> sort;
    private final @Nullable String marker;
    private final @Nullable Integer limit;

    private ImageQuery(Builder b) {
        this.ids = Collections.unmodifiableSet(new LinkedHashSet<>(b.ids));
        this.names = Collections.unmodifiableSet(new LinkedHashSet<>(b.names));
        this.statuses = Collections.unmodifiableSet(b.statuses.isEmpty() ? EnumSet.noneOf(ImageStatus.class) : EnumSet.copyOf(b.statuses));
        this.diskFormats = Collections.unmodifiableSet(b.diskFormats.isEmpty() ? EnumSet.noneOf(DiskFormat.class) : EnumSet.copyOf(b.diskFormats));
        this.containerFormats = Collections.unmodifiableSet(b.containerFormats.isEmpty() ? EnumSet.noneOf(ContainerFormat.class) : EnumSet.copyOf(b.containerFormats));
        this.owner = b.owner;
        this.visibility = b.visibility;
        this.allVisibilities = b.allVisibilities;
        if (b.memberStatuses.isEmpty()) {
            throw new InvalidRequestException("member status filter must name at least one status");
        }
        this.memberStatuses = Collections.unmodifiableSet(EnumSet.copyOf(b.memberStatuses));
        this.tags = Collections.unmodifiableSet(new LinkedHashSet<>(b.tags));
        this.protectedFilter = b.protectedFilter;
        this.osHidden = b.osHidden;
        if (b.sizeMin != null && b.sizeMin < 0 || b.sizeMax != null && b.sizeMax < 0) {
            throw new InvalidRequestException("size_min and size_max must not be negative");
        }
        this.sizeMin = b.sizeMin;
        this.sizeMax = b.sizeMax;
        this.checksum = b.checksum;
        this.osHashValue = b.osHashValue;
        this.createdAt = List.copyOf(b.createdAt);
        this.updatedAt = List.copyOf(b.updatedAt);
        this.properties = Collections.unmodifiableMap(new TreeMap<>(b.properties));
        LinkedHashMap<SortField, SortKey> seen = new LinkedHashMap<>();
        for (SortKey key : b.sort) {
            if (seen.putIfAbsent(key.field(), key) != null) {
                throw new InvalidRequestException("sort key '" + key.field().wireName() + "' given twice");
            }
        }
        this.sort = List.copyOf(b.sort);
        this.marker = b.marker;
        if (b.limit != null && b.limit < 0) {
            throw new InvalidRequestException("limit must not be negative, was " + b.limit);
        }
        this.limit = b.limit;
    }

    /** Returns a query with no filters: the default list. */
    public static ImageQuery all() {
        return ALL;
    }

    /**
     * Parses the query parameters of Glance's {@code GET /v2/images}: {@code limit}, {@code marker},
     * {@code sort} or {@code sort_key}/{@code sort_dir}, {@code name}/{@code id}/{@code status}/
     * {@code disk_format}/{@code container_format} (a value, {@code eq:v} or {@code in:a,b,"c,d"}),
     * {@code owner}, {@code visibility} (incl. {@code all}), {@code member_status} (incl. {@code all}),
     * repeated {@code tag}, {@code protected}, {@code os_hidden}, {@code size_min}/{@code size_max},
     * {@code created_at}/{@code updated_at} ({@code [gt|gte|lt|lte|eq|neq:]<ISO 8601>}), {@code checksum},
     * {@code os_hash_value}; any other key is an exact match on an extra property.
     *
     * @param params parameter name to its values in request order (repeatable: tag, sort_key,
     *     sort_dir, created_at, updated_at)
     * @throws InvalidRequestException naming the bad parameter, e.g. an unknown sort key, a bad
     *     date, mixed sort syntaxes, a sort_dir count that does not match, or {@code changes-since}
     */
    public static ImageQuery fromParameters(Map<String, List<String>> params) {
        return dev.glimpse.image.internal.QueryParameterParser.parse(Objects.requireNonNull(params, "params"));
    }

    /** Returns an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this query's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ids = new LinkedHashSet<>(ids);
        b.names = new LinkedHashSet<>(names);
        b.statuses = new LinkedHashSet<>(statuses);
        b.diskFormats = new LinkedHashSet<>(diskFormats);
        b.containerFormats = new LinkedHashSet<>(containerFormats);
        b.owner = owner;
        b.visibility = visibility;
        b.allVisibilities = allVisibilities;
        b.memberStatuses = new LinkedHashSet<>(memberStatuses);
        b.tags = new LinkedHashSet<>(tags);
        b.protectedFilter = protectedFilter;
        b.osHidden = osHidden;
        b.sizeMin = sizeMin;
        b.sizeMax = sizeMax;
        b.checksum = checksum;
        b.osHashValue = osHashValue;
        b.createdAt = new ArrayList<>(createdAt);
        b.updatedAt = new ArrayList<>(updatedAt);
        b.properties = new TreeMap<>(properties);
        b.sort = new ArrayList<>(sort);
        b.marker = marker;
        b.limit = limit;
        return b;
    }

    /** Ids to match (any of); empty for no filter. */
    public Set<String> ids() {
        return ids;
    }

    /** Names to match exactly (any of); empty for no filter. */
    public Set<String> names() {
        return names;
    }

    /** Statuses to match (any of); empty for no filter. */
    public Set<ImageStatus> statuses() {
        return statuses;
    }

    /** Disk formats to match (any of); empty for no filter. */
    public Set<DiskFormat> diskFormats() {
        return diskFormats;
    }

    /** Container formats to match (any of); empty for no filter. */
    public Set<ContainerFormat> containerFormats() {
        return containerFormats;
    }

    /** The owner to match, or empty. */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /** The one visibility to list, or empty for the default rules (or for all; see {@link #allVisibilities()}). */
    public Optional<Visibility> visibility() {
        return Optional.ofNullable(visibility);
    }

    /** Whether Glance's {@code visibility=all} was asked for: every visibility the caller may see, community included. */
    public boolean allVisibilities() {
        return allVisibilities;
    }

    /** Which memberships put a shared image into the caller's list; default {accepted}. */
    public Set<MemberStatus> memberStatuses() {
        return memberStatuses;
    }

    /** Tags that must all be present. */
    public Set<String> tags() {
        return tags;
    }

    /** The {@code protected} value to match, or empty. */
    public Optional<Boolean> isProtected() {
        return Optional.ofNullable(protectedFilter);
    }

    /** The {@code os_hidden} value to match (default false), or empty to match both. */
    public Optional<Boolean> osHidden() {
        return Optional.ofNullable(osHidden);
    }

    /** Smallest size to match (inclusive), or empty. Images without size never match a size bound. */
    public Optional<Long> sizeMin() {
        return Optional.ofNullable(sizeMin);
    }

    /** Largest size to match (inclusive), or empty. */
    public Optional<Long> sizeMax() {
        return Optional.ofNullable(sizeMax);
    }

    /** The {@code checksum} to match, or empty. */
    public Optional<String> checksum() {
        return Optional.ofNullable(checksum);
    }

    /** The {@code os_hash_value} to match, or empty. */
    public Optional<String> osHashValue() {
        return Optional.ofNullable(osHashValue);
    }

    /** Conditions on {@code created_at}, all of which must hold. */
    public List<TimeFilter> createdAt() {
        return createdAt;
    }

    /** Conditions on {@code updated_at}, all of which must hold. */
    public List<TimeFilter> updatedAt() {
        return updatedAt;
    }

    /** Extra properties that must have exactly these values. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The sort keys as given; empty for the default. See {@link #effectiveSort()}. */
    public List<SortKey> sort() {
        return sort;
    }

    /**
     * The sort the list really uses: the given keys (default {@code created_at desc}) followed by the
     * tie-breakers {@code created_at} and {@code id} where missing, as Glance does. The tie-breakers
     * take the direction shared by all given keys, or {@code desc} if they differ. Because {@code id}
     * is unique the order is total, so marker paging is stable.
     */
    public List<SortKey> effectiveSort() {
        List<SortKey> keys = new ArrayList<>(sort);
        if (keys.isEmpty()) {
            keys.add(new SortKey(SortField.CREATED_AT, SortDirection.DESC));
        }
        SortDirection tie = keys.stream().map(SortKey::direction).distinct().count() == 1
                ? keys.get(0).direction() : SortDirection.DESC;
        for (SortField f : List.of(SortField.CREATED_AT, SortField.ID)) {
            if (keys.stream().noneMatch(k -> k.field() == f)) {
                keys.add(new SortKey(f, tie));
            }
        }
        return List.copyOf(keys);
    }

    /** The id of the last image of the previous page, or empty for the first page. */
    public Optional<String> marker() {
        return Optional.ofNullable(marker);
    }

    /** The page size asked for, or empty for the service's default. */
    public Optional<Integer> limit() {
        return Optional.ofNullable(limit);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ImageQuery)) {
            return false;
        }
        ImageQuery q = (ImageQuery) o;
        return ids.equals(q.ids) && names.equals(q.names) && statuses.equals(q.statuses)
                && diskFormats.equals(q.diskFormats) && containerFormats.equals(q.containerFormats)
                && Objects.equals(owner, q.owner) && visibility == q.visibility && allVisibilities == q.allVisibilities
                && memberStatuses.equals(q.memberStatuses) && tags.equals(q.tags)
                && Objects.equals(protectedFilter, q.protectedFilter) && Objects.equals(osHidden, q.osHidden)
                && Objects.equals(sizeMin, q.sizeMin) && Objects.equals(sizeMax, q.sizeMax)
                && Objects.equals(checksum, q.checksum) && Objects.equals(osHashValue, q.osHashValue)
                && createdAt.equals(q.createdAt) && updatedAt.equals(q.updatedAt) && properties.equals(q.properties)
                && sort.equals(q.sort) && Objects.equals(marker, q.marker) && Objects.equals(limit, q.limit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ids, names, statuses, owner, visibility, tags, properties, sort, marker, limit);
    }

    @Override
    public String toString() {
        return "ImageQuery{ids=" + ids + ", names=" + names + ", statuses=" + statuses + ", diskFormats=" + diskFormats
                + ", containerFormats=" + containerFormats + ", owner=" + owner + ", visibility="
                + (allVisibilities ? "all" : visibility) + ", memberStatuses=" + memberStatuses + ", tags=" + tags
                + ", protected=" + protectedFilter + ", osHidden=" + osHidden + ", size=[" + sizeMin + "," + sizeMax
                + "], createdAt=" + createdAt + ", updatedAt=" + updatedAt + ", properties=" + properties
                + ", sort=" + sort + ", marker=" + marker + ", limit=" + limit + "}";
    }

    /** Builds an {@link ImageQuery}. Not thread-safe. */
    public static final class Builder {
        private LinkedHashSet<String> ids = new LinkedHashSet<>();
        private LinkedHashSet<String> names = new LinkedHashSet<>();
        private LinkedHashSet<ImageStatus> statuses = new LinkedHashSet<>();
        private LinkedHashSet<DiskFormat> diskFormats = new LinkedHashSet<>();
        private LinkedHashSet<ContainerFormat> containerFormats = new LinkedHashSet<>();
        private @Nullable String owner;
        private @Nullable Visibility visibility;
        private boolean allVisibilities;
        private LinkedHashSet<MemberStatus> memberStatuses = new LinkedHashSet<>(Set.of(MemberStatus.ACCEPTED));
        private LinkedHashSet<String> tags = new LinkedHashSet<>();
        private @Nullable Boolean protectedFilter;
        private @Nullable Boolean osHidden = Boolean.FALSE;
        private @Nullable Long sizeMin;
        private @Nullable Long sizeMax;
        private @Nullable String checksum;
        private @Nullable String osHashValue;
        private ArrayList<TimeFilter> createdAt = new ArrayList<>();
        private ArrayList<TimeFilter> updatedAt = new ArrayList<>();
        private TreeMap<String, String> properties = new TreeMap<>();
        private ArrayList<SortKey> sort = new ArrayList<>();
        private @Nullable String marker;
        private @Nullable Integer limit;

        private Builder() {}

        /** Matches any of these ids. */
        public Builder ids(Collection<String> ids) {
            this.ids = new LinkedHashSet<>(ids);
            return this;
        }

        /** Matches any of these names (exactly). */
        public Builder names(Collection<String> names) {
            this.names = new LinkedHashSet<>(names);
            return this;
        }

        /** Matches exactly this name. */
        public Builder name(String name) {
            return names(List.of(name));
        }

        /** Matches any of these statuses. */
        public Builder statuses(Collection<ImageStatus> statuses) {
            this.statuses = new LinkedHashSet<>(statuses);
            return this;
        }

        /** Matches this status. */
        public Builder status(ImageStatus status) {
            return statuses(List.of(status));
        }

        /** Matches any of these disk formats. */
        public Builder diskFormats(Collection<DiskFormat> formats) {
            this.diskFormats = new LinkedHashSet<>(formats);
            return this;
        }

        /** Matches any of these container formats. */
        public Builder containerFormats(Collection<ContainerFormat> formats) {
            this.containerFormats = new LinkedHashSet<>(formats);
            return this;
        }

        /** Matches this owner, or null for no filter. */
        public Builder owner(@Nullable String owner) {
            this.owner = owner;
            return this;
        }

        /** Lists only images of this visibility (still only those the caller may see). */
        public Builder visibility(@Nullable Visibility visibility) {
            this.visibility = visibility;
            this.allVisibilities = false;
            return this;
        }

        /** Lists every image the caller may see, community images included ({@code visibility=all}). */
        public Builder allVisibilities() {
            this.visibility = null;
            this.allVisibilities = true;
            return this;
        }

        /** Which memberships list a shared image (Glance's {@code member_status}; default accepted). */
        public Builder memberStatuses(Collection<MemberStatus> statuses) {
            this.memberStatuses = new LinkedHashSet<>(statuses);
            return this;
        }

        /** Requires all these tags. */
        public Builder tags(Collection<String> tags) {
            this.tags = new LinkedHashSet<>(tags);
            return this;
        }

        /** Requires this tag too. */
        public Builder tag(String tag) {
            this.tags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /** Matches {@code protected}, or null for both. */
        public Builder isProtected(@Nullable Boolean isProtected) {
            this.protectedFilter = isProtected;
            return this;
        }

        /** Matches {@code os_hidden} (default false), or null for both. */
        public Builder osHidden(@Nullable Boolean osHidden) {
            this.osHidden = osHidden;
            return this;
        }

        /** Smallest size, inclusive, or null. */
        public Builder sizeMin(@Nullable Long sizeMin) {
            this.sizeMin = sizeMin;
            return this;
        }

        /** Largest size, inclusive, or null. */
        public Builder sizeMax(@Nullable Long sizeMax) {
            this.sizeMax = sizeMax;
            return this;
        }

        /** Matches this MD5 checksum, or null. */
        public Builder checksum(@Nullable String checksum) {
            this.checksum = checksum;
            return this;
        }

        /** Matches this {@code os_hash_value}, or null. */
        public Builder osHashValue(@Nullable String osHashValue) {
            this.osHashValue = osHashValue;
            return this;
        }

        /** Adds a condition on {@code created_at}. */
        public Builder createdAt(Comparison comparison, Instant instant) {
            this.createdAt.add(new TimeFilter(comparison, instant));
            return this;
        }

        /** Adds a condition on {@code updated_at}. */
        public Builder updatedAt(Comparison comparison, Instant instant) {
            this.updatedAt.add(new TimeFilter(comparison, instant));
            return this;
        }

        /** Requires an extra property with exactly this value. */
        public Builder property(String key, String value) {
            this.properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Appends a sort key. */
        public Builder sort(SortField field, SortDirection direction) {
            this.sort.add(new SortKey(field, direction));
            return this;
        }

        /** Replaces the sort keys. */
        public Builder sort(List<SortKey> keys) {
            this.sort = new ArrayList<>(keys);
            return this;
        }

        /** Starts after the image with this id, or null for the first page. */
        public Builder marker(@Nullable String marker) {
            this.marker = marker;
            return this;
        }

        /** The page size, or null for the default; values above the maximum are capped. */
        public Builder limit(@Nullable Integer limit) {
            this.limit = limit;
            return this;
        }

        /**
         * Builds the query.
         *
         * @throws InvalidRequestException if a bound is negative, a sort key repeats, or no member
         *     status is allowed
         */
        public ImageQuery build() {
            return new ImageQuery(this);
        }
    }
}
