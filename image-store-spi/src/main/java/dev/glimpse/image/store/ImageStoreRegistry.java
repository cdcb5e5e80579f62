package dev.glimpse.image.store;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * The named stores of one deployment and the default one new images are written to: Glance's
 * {@code enabled_backends} and {@code default_backend}.
 *
 * <p>Immutable and thread-safe once built. It does not own the stores' lifecycles unless
 * {@link #close()} is called, which closes every store.
 */
public final class ImageStoreRegistry implements AutoCloseable {
    private final Map<String, ImageStore> stores;
    private final ImageStore defaultStore;

    private ImageStoreRegistry(Map<String, ImageStore> stores, ImageStore defaultStore) {
        this.stores = stores;
        this.defaultStore = defaultStore;
    }

    /** Returns a registry holding just {@code store}, which is also the default. */
    public static ImageStoreRegistry of(ImageStore store) {
        return builder().store(store).build();
    }

    /** Returns an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The store new images are written to when none is named. */
    public ImageStore defaultStore() {
        return defaultStore;
    }

    /** The store with the given id, if registered. */
    public Optional<ImageStore> store(String storeId) {
        return Optional.ofNullable(stores.get(Objects.requireNonNull(storeId, "storeId")));
    }

    /** Every registered store, in registration order. */
    public Collection<ImageStore> stores() {
        return stores.values();
    }

    /**
     * The store that owns {@code location}, found by the store id the location records.
     *
     * @throws InvalidLocationException if no store has that id, or that store does not own the URI
     */
    public ImageStore storeFor(StoreLocation location) throws InvalidLocationException {
        ImageStore store = stores.get(location.storeId());
        if (store == null) {
            throw new InvalidLocationException("location " + location.uri() + " names unknown store '"
                    + location.storeId() + "'; known stores: " + stores.keySet());
        }
        if (!store.owns(location.uri())) {
            throw new InvalidLocationException(
                    "store '" + store.id() + "' does not own location " + location.uri());
        }
        return store;
    }

    /**
     * Resolves a URI given without a store id (e.g. by a user adding a location) to a location of
     * the first store, in registration order, that owns it.
     *
     * @throws InvalidLocationException if no store owns it
     */
    public StoreLocation locate(URI uri) throws InvalidLocationException {
        Objects.requireNonNull(uri, "uri");
        for (ImageStore store : stores.values()) {
            if (store.owns(uri)) {
                return store.location(uri);
            }
        }
        throw new InvalidLocationException("no store owns location " + uri + "; known stores: " + stores.keySet());
    }

    /** Closes every store, reporting the first failure after trying all. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (ImageStore store : stores.values()) {
            try {
                store.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Builds an {@link ImageStoreRegistry}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, ImageStore> stores = new LinkedHashMap<>();
        private final Map<String, ImageStoreProvider> providers = new LinkedHashMap<>();
        private @Nullable String defaultStoreId;

        private Builder() {}

        /**
         * Adds a store built in code. The first store added is the default unless
         * {@link #defaultStore} names another.
         *
         * @throws IllegalArgumentException if a store with the same id was already added
         */
        public Builder store(ImageStore store) {
            Objects.requireNonNull(store, "store");
            String id = store.id();
            if (id.startsWith("os_glance_")) {
                // Glance reserves these ids for its staging and tasks stores.
                throw new IllegalArgumentException("store id '" + id + "' uses the reserved prefix os_glance_");
            }
            if (stores.putIfAbsent(id, store) != null) {
                throw new IllegalArgumentException("store id '" + id + "' is already registered");
            }
            return this;
        }

        /**
         * Registers a provider in code, so {@link #load} can create stores of its type without a
         * {@link ServiceLoader} lookup. It takes precedence over one found by the loader.
         */
        public Builder provider(ImageStoreProvider provider) {
            Objects.requireNonNull(provider, "provider");
            providers.put(provider.type(), provider);
            return this;
        }

        /**
         * Creates a store of {@code type} with {@code options} and adds it under {@code storeId}.
         * Providers registered with {@link #provider} are used first; otherwise one is looked up
         * with {@link ServiceLoader} in {@code classLoader} (explicit, so that containers with
         * several class loaders find the right one).
         *
         * @throws IllegalArgumentException if no provider has that type, or an option is bad
         * @throws IOException if the store cannot be set up
         */
        public Builder load(ClassLoader classLoader, String storeId, String type, Map<String, String> options)
                throws IOException {
            Objects.requireNonNull(classLoader, "classLoader");
            Objects.requireNonNull(storeId, "storeId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(options, "options");
            ImageStoreProvider provider = providers.get(type);
            if (provider == null) {
                List<String> found = new ArrayList<>();
                for (ImageStoreProvider candidate : ServiceLoader.load(ImageStoreProvider.class, classLoader)) {
                    found.add(candidate.type());
                    if (candidate.type().equals(type) && provider == null) {
                        provider = candidate;
                    }
                }
                if (provider == null) {
                    throw new IllegalArgumentException("no store provider of type '" + type + "' for store '"
                            + storeId + "'; providers found: " + found + " in code: " + providers.keySet());
                }
            }
            ImageStore store = provider.create(storeId, Map.copyOf(options));
            if (!store.id().equals(storeId)) {
                throw new IllegalStateException("provider " + provider.getClass().getName() + " created store '"
                        + store.id() + "' when asked for '" + storeId + "'");
            }
            return store(store);
        }

        /** Names the default store (Glance's {@code default_backend}). */
        public Builder defaultStore(String storeId) {
            this.defaultStoreId = Objects.requireNonNull(storeId, "storeId");
            return this;
        }

        /**
         * Builds the registry.
         *
         * @throws IllegalStateException if no store was added or the default names none of them
         */
        public ImageStoreRegistry build() {
            if (stores.isEmpty()) {
                throw new IllegalStateException("a store registry needs at least one store");
            }
            String id = defaultStoreId != null ? defaultStoreId : stores.keySet().iterator().next();
            ImageStore defaultStore = stores.get(id);
            if (defaultStore == null) {
                throw new IllegalStateException("default store '" + id + "' is not one of " + stores.keySet());
            }
            return new ImageStoreRegistry(Collections.unmodifiableMap(new LinkedHashMap<>(stores)), defaultStore);
        }
    }
}
