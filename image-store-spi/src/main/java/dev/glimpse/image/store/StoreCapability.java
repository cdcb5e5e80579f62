package dev.glimpse.image.store;

/**
 * What a store can do, after glance_store's capability bit masks. Callers check
 * {@link ImageStore#capabilities()} before asking; a store asked for something it cannot do throws
 * {@link UnsupportedStoreOperationException}.
 */
public enum StoreCapability {
    /** Whole images can be read. */
    READ,
    /** A byte range of an image can be read without reading what precedes it. */
    RANGE_READ,
    /** New images can be written. */
    WRITE,
    /** Images can be deleted. */
    DELETE
}
