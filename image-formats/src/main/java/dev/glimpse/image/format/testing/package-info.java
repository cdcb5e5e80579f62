/**
 * Builders of small valid and deliberately broken images, for the unit tests of host applications.
 */
@NullMarked
package dev.glimpse.image.format.testing;

import org.jspecify.annotations.NullMarked;
