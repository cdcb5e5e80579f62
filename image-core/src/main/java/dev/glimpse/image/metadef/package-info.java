/**
 * Metadata definitions: namespaces, objects, properties, resource types and tags.
 */
@NullMarked
package dev.glimpse.image.metadef;

import org.jspecify.annotations.NullMarked;
