/**
 * The image catalogue: {@link dev.glimpse.image.ImageService} and the image model, in the manner of Glance's Images API v2.
 */
@NullMarked
package dev.glimpse.image;

import org.jspecify.annotations.NullMarked;
