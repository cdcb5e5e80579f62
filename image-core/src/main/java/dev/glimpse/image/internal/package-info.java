/**
 * Implementation of the catalogue service. Not API: may change at any time.
 */
@NullMarked
package dev.glimpse.image.internal;

import org.jspecify.annotations.NullMarked;
