package dev.glimpse.image;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One image record of the catalogue, with every attribute of Glance's Images API v2 and its extra
 * properties.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder()} or change a copy with
 * {@link #toBuilder()}; {@link Builder#build()} enforces Glance's constraints on values (UUID id,
 * lengths, string-valued properties, no 4-byte UTF-8, non-negative sizes) and throws
 * {@link InvalidRequestException} naming the bad value. Which attributes a caller may <em>write</em>
 * (read-only and reserved names) is a rule of the service, not of this value.
 *
 * <p>{@link #version()} is the persistence version used for compare-and-set writes: a repository
 * stores an update only if the record still has the version the caller read.
 */
public final class Image {
    /** Largest value of {@code min_disk} / {@code min_ram}: Glance's database integer limit. */
    public static final int MAX_MIN_VALUE = Integer.MAX_VALUE;

    private final String id;
    private final @Nullable String name;
    private final ImageStatus status;
    private final Visibility visibility;
    private final boolean protectedImage;
    private final boolean osHidden;
    private final @Nullable String owner;
    private final @Nullable DiskFormat diskFormat;
    private final @Nullable ContainerFormat containerFormat;
    private final @Nullable Long size;
    private final @Nullable Long virtualSize;
    private final @Nullable String checksum;
    private final @Nullable String osHashAlgo;
    private final @Nullable String osHashValue;
    private final int minDisk;
    private final int minRam;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final Set<String> tags;
    private final List<ImageLocation> locations;
    private final Map<String, String> properties;
    private final long version;

    private Image(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        if (!isUuid(id)) {
            throw new InvalidRequestException("image id '" + id + "' is not a UUID (expected 8-4-4-4-12 hex digits)");
        }
        this.name = checkText("name", b.name, 255);
        this.status = Objects.requireNonNull(b.status, "status");
        this.visibility = Objects.requireNonNull(b.visibility, "visibility");
        this.protectedImage = b.protectedImage;
        this.osHidden = b.osHidden;
        this.owner = checkText("owner", b.owner, 255);
        this.diskFormat = b.diskFormat;
        this.containerFormat = b.containerFormat;
        this.size = checkNonNegative("size", b.size);
        this.virtualSize = checkNonNegative("virtual_size", b.virtualSize);
        this.checksum = checkText("checksum", b.checksum, 32);
        this.osHashAlgo = checkText("os_hash_algo", b.osHashAlgo, 64);
        this.osHashValue = checkText("os_hash_value", b.osHashValue, 128);
        this.minDisk = checkMin("min_disk", b.minDisk);
        this.minRam = checkMin("min_ram", b.minRam);
        this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt");
        this.updatedAt = Objects.requireNonNull(b.updatedAt, "updatedAt");
        LinkedHashSet<String> tagCopy = new LinkedHashSet<>();
        for (String tag : b.tags) {
            checkText("tag", Objects.requireNonNull(tag, "tag"), 255);
            tagCopy.add(tag);
        }
        this.tags = Collections.unmodifiableSet(tagCopy);
        this.locations = List.copyOf(b.locations);
        TreeMap<String, String> props = new TreeMap<>();
        for (Map.Entry<String, String> e : b.properties.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "property key");
            if (key.isEmpty()) {
                throw new InvalidRequestException("property names must not be empty");
            }
            checkText("property name", key, 255);
            String value = e.getValue();
            if (value == null) {
                throw new InvalidRequestException("property '" + key + "' has no value; extra properties are strings");
            }
            checkPropertyValue(key, value);
            props.put(key, value);
        }
        this.properties = Collections.unmodifiableMap(props);
        if (b.version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + b.version);
        }
        this.version = b.version;
    }

    /** Returns an empty builder: status {@code queued}, visibility {@code shared}, everything else unset. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this image's values, to make a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.name = name;
        b.status = status;
        b.visibility = visibility;
        b.protectedImage = protectedImage;
        b.osHidden = osHidden;
        b.owner = owner;
        b.diskFormat = diskFormat;
        b.containerFormat = containerFormat;
        b.size = size;
        b.virtualSize = virtualSize;
        b.checksum = checksum;
        b.osHashAlgo = osHashAlgo;
        b.osHashValue = osHashValue;
        b.minDisk = minDisk;
        b.minRam = minRam;
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        b.tags = new LinkedHashSet<>(tags);
        b.locations = new ArrayList<>(locations);
        b.properties = new TreeMap<>(properties);
        b.version = version;
        return b;
    }

    /** The image id, a UUID string. */
    public String id() {
        return id;
    }

    /** The display name (not unique), or empty. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** The lifecycle status. */
    public ImageStatus status() {
        return status;
    }

    /** Who may see the image. */
    public Visibility visibility() {
        return visibility;
    }

    /** Whether the image is protected from deletion ({@code protected}). */
    public boolean isProtected() {
        return protectedImage;
    }

    /** Whether the image is hidden from default lists ({@code os_hidden}). */
    public boolean osHidden() {
        return osHidden;
    }

    /** The owning project, or empty for an image without owner (visible to everyone). */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /** The declared disk format, or empty while unset. */
    public Optional<DiskFormat> diskFormat() {
        return Optional.ofNullable(diskFormat);
    }

    /** The declared container format, or empty while unset. */
    public Optional<ContainerFormat> containerFormat() {
        return Optional.ofNullable(containerFormat);
    }

    /** The number of bytes stored, or empty before data is uploaded. */
    public Optional<Long> size() {
        return Optional.ofNullable(size);
    }

    /** The size of the virtual disk in bytes, or empty when unknown. */
    public Optional<Long> virtualSize() {
        return Optional.ofNullable(virtualSize);
    }

    /** The MD5 hex digest of the data ({@code checksum}), or empty. */
    public Optional<String> checksum() {
        return Optional.ofNullable(checksum);
    }

    /** The multihash algorithm ({@code os_hash_algo}, e.g. {@code sha512}), or empty. */
    public Optional<String> osHashAlgo() {
        return Optional.ofNullable(osHashAlgo);
    }

    /** The multihash hex digest ({@code os_hash_value}), or empty. */
    public Optional<String> osHashValue() {
        return Optional.ofNullable(osHashValue);
    }

    /** The minimum disk size in GB needed to boot the image. */
    public int minDisk() {
        return minDisk;
    }

    /** The minimum RAM in MB needed to boot the image. */
    public int minRam() {
        return minRam;
    }

    /** When the image was created. */
    public Instant createdAt() {
        return createdAt;
    }

    /** When the image last changed. */
    public Instant updatedAt() {
        return updatedAt;
    }

    /** The tags, in the order they were added; immutable. */
    public Set<String> tags() {
        return tags;
    }

    /** Where the data is kept, in order of preference; immutable. */
    public List<ImageLocation> locations() {
        return locations;
    }

    /**
     * The url of the first active location ({@code direct_url}), or empty when there is none.
     * Derived from {@link #locations()}.
     */
    public Optional<String> directUrl() {
        return locations.stream().filter(l -> l.status() == ImageLocation.Status.ACTIVE)
                .map(ImageLocation::url).findFirst();
    }

    /**
     * The ids of the stores holding active data ({@code stores}), in location order, without
     * duplicates. Derived from {@link #locations()}.
     */
    public List<String> stores() {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (ImageLocation l : locations) {
            if (l.status() == ImageLocation.Status.ACTIVE && l.storeId() != null) {
                ids.add(l.storeId());
            }
        }
        return List.copyOf(ids);
    }

    /** The extra properties (string to string), sorted by name; immutable. */
    public Map<String, String> properties() {
        return properties;
    }

    /** Returns one extra property. */
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** The persistence version: 0 before the record is first stored, then incremented by each write. */
    public long version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Image)) {
            return false;
        }
        Image other = (Image) o;
        return id.equals(other.id) && Objects.equals(name, other.name) && status == other.status
                && visibility == other.visibility && protectedImage == other.protectedImage
                && osHidden == other.osHidden && Objects.equals(owner, other.owner)
                && diskFormat == other.diskFormat && containerFormat == other.containerFormat
                && Objects.equals(size, other.size) && Objects.equals(virtualSize, other.virtualSize)
                && Objects.equals(checksum, other.checksum) && Objects.equals(osHashAlgo, other.osHashAlgo)
                && Objects.equals(osHashValue, other.osHashValue) && minDisk == other.minDisk
                && minRam == other.minRam && createdAt.equals(other.createdAt) && updatedAt.equals(other.updatedAt)
                && tags.equals(other.tags) && locations.equals(other.locations)
                && properties.equals(other.properties) && version == other.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, status, updatedAt, version);
    }

    @Override
    public String toString() {
        return "Image{id=" + id + ", name=" + name + ", status=" + status + ", visibility=" + visibility
                + ", owner=" + owner + ", version=" + version + "}";
    }

    static @Nullable String checkText(String what, @Nullable String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new InvalidRequestException(what + " is " + value.length()
                    + " characters long; at most " + maxLength + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            // A surrogate is half of a supplementary code point, which UTF-8 encodes in 4 bytes;
            // Glance refuses those (no_4byte_params) because MySQL's utf8 cannot store them.
            if (Character.isSurrogate(value.charAt(i))) {
                throw new InvalidRequestException(what + " contains a 4-byte UTF-8 character at index " + i
                        + "; such characters are not allowed");
            }
        }
        return value;
    }

    /**
     * Whether {@code id} is Glance's id form, a UUID in its canonical 8-4-4-4-12 hex form in any
     * case; checked by hand, not with a regex: a catalogue opened in a
     * fresh JVM builds every image once, and the regex engine runs interpreted for most of that.
     */
    static boolean isUuid(String id) {
        if (id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A property value's check, naming the property only when it fails (no string built per value). */
    private static void checkPropertyValue(String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                checkText("property '" + key + "'", value, Integer.MAX_VALUE);
            }
        }
    }

    private static @Nullable Long checkNonNegative(String what, @Nullable Long value) {
        if (value != null && value < 0) {
            throw new InvalidRequestException(what + " must not be negative, was " + value);
        }
        return value;
    }

    private static int checkMin(String what, int value) {
        if (value < 0) {
            throw new InvalidRequestException(what + " must be between 0 and " + MAX_MIN_VALUE + ", was " + value);
        }
        return value;
    }

    /** Builds an {@link Image}. Not thread-safe; reusable. */
    public static final class Builder {
        private @Nullable String id;
        private @Nullable String name;
        private ImageStatus status = ImageStatus.QUEUED;
        private Visibility visibility = Visibility.SHARED;
        private boolean protectedImage;
        private boolean osHidden;
        private @Nullable String owner;
        private @Nullable DiskFormat diskFormat;
        private @Nullable ContainerFormat containerFormat;
        private @Nullable Long size;
        private @Nullable Long virtualSize;
        private @Nullable String checksum;
        private @Nullable String osHashAlgo;
        private @Nullable String osHashValue;
        private int minDisk;
        private int minRam;
        private @Nullable Instant createdAt;
        private @Nullable Instant updatedAt;
        private LinkedHashSet<String> tags = new LinkedHashSet<>();
        private ArrayList<ImageLocation> locations = new ArrayList<>();
        private TreeMap<String, String> properties = new TreeMap<>();
        private long version;

        private Builder() {}

        /** Sets the id (a UUID string). Required. */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** Sets the name, or clears it with null. */
        public Builder name(@Nullable String name) {
            this.name = name;
            return this;
        }

        /** Sets the status (default {@code queued}). */
        public Builder status(ImageStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        /** Sets the visibility (default {@code shared}). */
        public Builder visibility(Visibility visibility) {
            this.visibility = Objects.requireNonNull(visibility, "visibility");
            return this;
        }

        /** Sets {@code protected}. */
        public Builder isProtected(boolean isProtected) {
            this.protectedImage = isProtected;
            return this;
        }

        /** Sets {@code os_hidden}. */
        public Builder osHidden(boolean osHidden) {
            this.osHidden = osHidden;
            return this;
        }

        /** Sets the owning project, or null for none. */
        public Builder owner(@Nullable String owner) {
            this.owner = owner;
            return this;
        }

        /** Sets the disk format, or null for unset. */
        public Builder diskFormat(@Nullable DiskFormat diskFormat) {
            this.diskFormat = diskFormat;
            return this;
        }

        /** Sets the container format, or null for unset. */
        public Builder containerFormat(@Nullable ContainerFormat containerFormat) {
            this.containerFormat = containerFormat;
            return this;
        }

        /** Sets the stored size in bytes, or null for unknown. */
        public Builder size(@Nullable Long size) {
            this.size = size;
            return this;
        }

        /** Sets the virtual size in bytes, or null for unknown. */
        public Builder virtualSize(@Nullable Long virtualSize) {
            this.virtualSize = virtualSize;
            return this;
        }

        /** Sets the MD5 hex digest, or null. */
        public Builder checksum(@Nullable String checksum) {
            this.checksum = checksum;
            return this;
        }

        /** Sets the multihash algorithm name, or null. */
        public Builder osHashAlgo(@Nullable String osHashAlgo) {
            this.osHashAlgo = osHashAlgo;
            return this;
        }

        /** Sets the multihash hex digest, or null. */
        public Builder osHashValue(@Nullable String osHashValue) {
            this.osHashValue = osHashValue;
            return this;
        }

        /** Sets {@code min_disk} in GB (0 to 2^31-1). */
        public Builder minDisk(int minDisk) {
            this.minDisk = minDisk;
            return this;
        }

        /** Sets {@code min_ram} in MB (0 to 2^31-1). */
        public Builder minRam(int minRam) {
            this.minRam = minRam;
            return this;
        }

        /** Sets the creation time. Required. */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
            return this;
        }

        /** Sets the last update time. Required. */
        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
            return this;
        }

        /** Replaces the tags (duplicates collapse; order kept). */
        public Builder tags(Collection<String> tags) {
            this.tags = new LinkedHashSet<>(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /** Adds one tag (no-op if present). */
        public Builder addTag(String tag) {
            this.tags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /** Removes one tag (no-op if absent). */
        public Builder removeTag(String tag) {
            this.tags.remove(tag);
            return this;
        }

        /** Replaces the locations. */
        public Builder locations(List<ImageLocation> locations) {
            this.locations = new ArrayList<>(Objects.requireNonNull(locations, "locations"));
            return this;
        }

        /** Appends one location. */
        public Builder addLocation(ImageLocation location) {
            this.locations.add(Objects.requireNonNull(location, "location"));
            return this;
        }

        /** Replaces all extra properties. */
        public Builder properties(Map<String, String> properties) {
            this.properties = new TreeMap<>(Objects.requireNonNull(properties, "properties"));
            return this;
        }

        /** Sets one extra property. */
        public Builder property(String key, String value) {
            this.properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Removes one extra property (no-op if absent). */
        public Builder removeProperty(String key) {
            this.properties.remove(key);
            return this;
        }

        /** Sets the persistence version; repositories set this, callers normally keep what they read. */
        public Builder version(long version) {
            this.version = version;
            return this;
        }

        /**
         * Builds the image.
         *
         * @throws NullPointerException if the id or either timestamp is missing
         * @throws InvalidRequestException if a value breaks one of Glance's constraints
         */
        public Image build() {
            return new Image(this);
        }
    }
}
