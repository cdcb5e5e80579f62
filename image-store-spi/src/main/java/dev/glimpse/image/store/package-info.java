/**
 * The storage driver SPI: image bytes in and out of a store, addressed by location.
 *
 * <p>An {@link dev.glimpse.image.store.ImageStore} writes, reads (whole or by
 * {@link dev.glimpse.image.store.ByteRange}), measures and deletes image data; every
 * {@link dev.glimpse.image.store.StoreLocation} it hands out names the store that owns it, and a
 * store refuses any location it does not own. Stores are found by
 * {@link dev.glimpse.image.store.ImageStoreProvider} ({@link java.util.ServiceLoader}) or registered
 * in code, and grouped with a default in an {@link dev.glimpse.image.store.ImageStoreRegistry}, as
 * Glance's {@code enabled_backends} and {@code default_backend} do. Byte-level failures are
 * {@link java.io.IOException}s: the JDK's own where one fits, else a
 * {@link dev.glimpse.image.store.StoreException} subclass. This package knows nothing of the
 * catalogue.
 */
@NullMarked
package dev.glimpse.image.store;

import org.jspecify.annotations.NullMarked;
