package dev.glimpse.image;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Optional facts about an upload ({@code PUT /v2/images/{id}/file}): the size the client declared
 * ({@code x-openstack-image-size} or {@code Content-Length}) and the store to write to (Glance's
 * {@code X-Image-Meta-Store}). Immutable; build with {@link #builder()}.
 */
public final class UploadOptions {
    private static final UploadOptions DEFAULTS = builder().build();

    private final long declaredSize;
    private final @Nullable String storeId;

    private UploadOptions(Builder builder) {
        this.declaredSize = builder.declaredSize;
        this.storeId = builder.storeId;
    }

    /** No declared size, the default store. */
    public static UploadOptions defaults() {
        return DEFAULTS;
    }

    /** Returns an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The declared size in bytes, if any: the upload fails if the data is larger or smaller. */
    public OptionalLong declaredSize() {
        return declaredSize < 0 ? OptionalLong.empty() : OptionalLong.of(declaredSize);
    }

    /** The id of the store to write to, if not the default one. */
    public Optional<String> storeId() {
        return Optional.ofNullable(storeId);
    }

    /** Returns a builder initialised with these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.declaredSize = declaredSize;
        b.storeId = storeId;
        return b;
    }

    /** Builds {@link UploadOptions}. Not thread-safe. */
    public static final class Builder {
        private long declaredSize = -1;
        private @Nullable String storeId;

        private Builder() {}

        /**
         * Declares the size of the data in bytes.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder declaredSize(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("declared size must not be negative: " + size);
            }
            this.declaredSize = size;
            return this;
        }

        /** Names the store to write to (an id of the service's store registry). */
        public Builder storeId(String storeId) {
            this.storeId = Objects.requireNonNull(storeId, "storeId");
            return this;
        }

        /** Builds the options. */
        public UploadOptions build() {
            return new UploadOptions(this);
        }
    }
}
