/**
 * Safe detection, measurement and validation of disk and container formats. The entry point is {@link dev.glimpse.image.format.FormatInspector}.
 */
@NullMarked
package dev.glimpse.image.format;

import org.jspecify.annotations.NullMarked;
