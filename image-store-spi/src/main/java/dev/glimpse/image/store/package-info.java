/**
 * The storage driver SPI: image bytes in and out of a store, addressed by location URI.
 */
@NullMarked
package dev.glimpse.image.store;

import org.jspecify.annotations.NullMarked;
