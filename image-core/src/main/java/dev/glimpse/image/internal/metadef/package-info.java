/** Implementation of the metadata-definition catalogue. Not API. */
@NullMarked
package dev.glimpse.image.internal.metadef;

import org.jspecify.annotations.NullMarked;
