package dev.glimpse.image;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a caller may say when registering an image ({@code POST /v2/images}): only the writable
 * attributes exist here, so read-only ones (status, size, checksum, times) cannot be supplied.
 *
 * <p>Immutable. Values are checked by {@link ImageService#create}: the same constraints as
 * {@link Image}, plus the reserved and read-only property names (forbidden) and the allowed formats.
 */
public final class NewImage {
    private final @Nullable String id;
    private final @Nullable String name;
    private final @Nullable Visibility visibility;
    private final boolean protectedImage;
    private final boolean osHidden;
    private final @Nullable String owner;
    private final @Nullable DiskFormat diskFormat;
    private final @Nullable ContainerFormat containerFormat;
    private final int minDisk;
    private final int minRam;
    private final Set<String> tags;
    private final Map<String, String> properties;

    private NewImage(Builder b) {
        this.id = b.id;
        this.name = b.name;
        this.visibility = b.visibility;
        this.protectedImage = b.protectedImage;
        this.osHidden = b.osHidden;
        this.owner = b.owner;
        this.diskFormat = b.diskFormat;
        this.containerFormat = b.containerFormat;
        this.minDisk = b.minDisk;
        this.minRam = b.minRam;
        this.tags = Collections.unmodifiableSet(new LinkedHashSet<>(b.tags));
        this.properties = Collections.unmodifiableMap(new TreeMap<>(b.properties));
    }

    /** Returns an empty builder (every attribute at Glance's default). */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder with this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.name = name;
        b.visibility = visibility;
        b.protectedImage = protectedImage;
        b.osHidden = osHidden;
        b.owner = owner;
        b.diskFormat = diskFormat;
        b.containerFormat = containerFormat;
        b.minDisk = minDisk;
        b.minRam = minRam;
        b.tags = new LinkedHashSet<>(tags);
        b.properties = new TreeMap<>(properties);
        return b;
    }

    /** The requested id, or empty to have one generated. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** The name, or empty. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** The requested visibility, or empty for the default ({@code shared}). */
    public Optional<Visibility> visibility() {
        return Optional.ofNullable(visibility);
    }

    /** Whether the image is protected. */
    public boolean isProtected() {
        return protectedImage;
    }

    /** Whether the image is hidden from default lists. */
    public boolean osHidden() {
        return osHidden;
    }

    /** The requested owner, or empty for the caller's project. */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /** The disk format, or empty. */
    public Optional<DiskFormat> diskFormat() {
        return Optional.ofNullable(diskFormat);
    }

    /** The container format, or empty. */
    public Optional<ContainerFormat> containerFormat() {
        return Optional.ofNullable(containerFormat);
    }

    /** {@code min_disk} in GB. */
    public int minDisk() {
        return minDisk;
    }

    /** {@code min_ram} in MB. */
    public int minRam() {
        return minRam;
    }

    /** The tags. */
    public Set<String> tags() {
        return tags;
    }

    /** The extra properties. */
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return "NewImage{id=" + id + ", name=" + name + ", visibility=" + visibility + ", owner=" + owner + "}";
    }

    /** Builds a {@link NewImage}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String id;
        private @Nullable String name;
        private @Nullable Visibility visibility;
        private boolean protectedImage;
        private boolean osHidden;
        private @Nullable String owner;
        private @Nullable DiskFormat diskFormat;
        private @Nullable ContainerFormat containerFormat;
        private int minDisk;
        private int minRam;
        private LinkedHashSet<String> tags = new LinkedHashSet<>();
        private TreeMap<String, String> properties = new TreeMap<>();

        private Builder() {}

        /** Asks for a specific id (a UUID); a duplicate is a conflict. */
        public Builder id(@Nullable String id) {
            this.id = id;
            return this;
        }

        /** Sets the name. */
        public Builder name(@Nullable String name) {
            this.name = name;
            return this;
        }

        /** Sets the visibility (default {@code shared}). */
        public Builder visibility(@Nullable Visibility visibility) {
            this.visibility = visibility;
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

        /** Sets the owner; only administrators may name a project other than their own. */
        public Builder owner(@Nullable String owner) {
            this.owner = owner;
            return this;
        }

        /** Sets the disk format. */
        public Builder diskFormat(@Nullable DiskFormat diskFormat) {
            this.diskFormat = diskFormat;
            return this;
        }

        /** Sets the container format. */
        public Builder containerFormat(@Nullable ContainerFormat containerFormat) {
            this.containerFormat = containerFormat;
            return this;
        }

        /** Sets {@code min_disk} in GB. */
        public Builder minDisk(int minDisk) {
            this.minDisk = minDisk;
            return this;
        }

        /** Sets {@code min_ram} in MB. */
        public Builder minRam(int minRam) {
            this.minRam = minRam;
            return this;
        }

        /** Replaces the tags. */
        public Builder tags(Collection<String> tags) {
            this.tags = new LinkedHashSet<>(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /** Adds a tag. */
        public Builder addTag(String tag) {
            this.tags.add(Objects.requireNonNull(tag, "tag"));
            return this;
        }

        /** Replaces the extra properties. */
        public Builder properties(Map<String, String> properties) {
            this.properties = new TreeMap<>(Objects.requireNonNull(properties, "properties"));
            return this;
        }

        /** Sets one extra property. */
        public Builder property(String key, String value) {
            this.properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Builds the request. Validation happens in {@link ImageService#create}. */
        public NewImage build() {
            return new NewImage(this);
        }
    }
}
