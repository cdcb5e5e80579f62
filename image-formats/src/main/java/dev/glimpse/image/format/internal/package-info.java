/**
 * Per-format parsers, region capture and byte helpers behind {@link dev.glimpse.image.format.FormatInspector}. Not API: may change at any time.
 */
@NullMarked
package dev.glimpse.image.format.internal;

import org.jspecify.annotations.NullMarked;
