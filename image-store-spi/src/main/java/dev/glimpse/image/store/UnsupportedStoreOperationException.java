package dev.glimpse.image.store;

/**
 * The store lacks the {@link StoreCapability} the call needs, e.g. a write to the read-only http
 * store (Glance's {@code StoreAddDisabled}, HTTP 410).
 */
public class UnsupportedStoreOperationException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception naming the store and the missing capability. */
    public UnsupportedStoreOperationException(String storeId, StoreCapability missing) {
        super("store '" + storeId + "' does not support " + missing);
    }
}
