/**
 * Glance's Images API v2 wire format for the catalogue, with Jackson: {@link dev.glimpse.image.json.ImageJson}
 * (the entry point: images, members, pages, create requests, JSON patches, the image schema) and
 * {@link dev.glimpse.image.json.GlanceJsonModule} for hosts that configure their own {@code ObjectMapper}.
 * Keys are snake_case, extra properties are top-level keys, times are {@code YYYY-MM-DDTHH:MM:SSZ}.
 */
@NullMarked
package dev.glimpse.image.json;

import org.jspecify.annotations.NullMarked;
