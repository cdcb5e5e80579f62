package dev.glimpse.image.internal.data;

import dev.glimpse.image.ImageException;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.QuotaExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The one place where an upload's byte count is limited: every limit (Glance's
 * {@code image_size_cap}, the declared size, storage quotas) is checked here as the bytes arrive,
 * before they reach a digest or the store, and the upload stops at the first byte over any limit.
 *
 * <p>Quotas are added with {@link #limit}; each brings the exception that names it. Not
 * thread-safe: used by the pipeline's reading thread only.
 */
public final class SizeGuard {
    /** Marks an unknown declared size. */
    public static final long UNKNOWN = -1;

    private record Limit(long maxBytes, LongFunction<ImageException> exceeded) {}

    private final long declaredSize;
    private final List<Limit> limits = new ArrayList<>();

    private SizeGuard(long declaredSize) {
        if (declaredSize < 0 && declaredSize != UNKNOWN) {
            throw new InvalidRequestException("declared image size must not be negative: " + declaredSize);
        }
        this.declaredSize = declaredSize;
    }

    /**
     * Returns a guard for an upload of {@code declaredSize} bytes ({@link #UNKNOWN} if not
     * declared) under {@code imageSizeCap} (Glance's {@code image_size_cap}; a value below 0
     * means no cap).
     *
     * @throws QuotaExceededException if the declared size already exceeds the cap
     */
    public static SizeGuard of(long declaredSize, long imageSizeCap) {
        SizeGuard guard = new SizeGuard(declaredSize);
        if (imageSizeCap >= 0) {
            guard.limit(imageSizeCap, seen -> new QuotaExceededException("image data exceeds the image size cap of "
                    + imageSizeCap + " bytes (image_size_cap)"));
        }
        return guard;
    }

    /**
     * Adds a limit: more than {@code maxBytes} bytes raises the exception {@code exceeded} makes
     * from the count seen. A declared size over the limit fails at once, before any byte is read.
     */
    public SizeGuard limit(long maxBytes, LongFunction<ImageException> exceeded) {
        Objects.requireNonNull(exceeded, "exceeded");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        limits.add(new Limit(maxBytes, exceeded));
        if (declaredSize != UNKNOWN && declaredSize > maxBytes) {
            throw exceeded.apply(declaredSize);
        }
        return this;
    }

    /** The declared size, or {@link #UNKNOWN}. */
    public long declaredSize() {
        return declaredSize;
    }

    /** Checks the running count; called after each chunk. */
    void check(long seen) {
        for (Limit limit : limits) {
            if (seen > limit.maxBytes()) {
                throw limit.exceeded().apply(seen);
            }
        }
        if (declaredSize != UNKNOWN && seen > declaredSize) {
            throw new InvalidRequestException("image data exceeds its declared size of " + declaredSize + " bytes");
        }
    }

    /** Checks the final count at the end of the stream. */
    void checkEnd(long total) {
        check(total);
        if (declaredSize != UNKNOWN && total != declaredSize) {
            throw new InvalidRequestException("image data is " + total + " bytes, but " + declaredSize
                    + " were declared");
        }
    }
}
