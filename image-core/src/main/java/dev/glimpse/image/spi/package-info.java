/**
 * Service provider interfaces of the catalogue: persistence and event listeners.
 */
@NullMarked
package dev.glimpse.image.spi;

import org.jspecify.annotations.NullMarked;
