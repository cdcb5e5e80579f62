/**
 * Container-format validation behind {@link dev.glimpse.image.format.FormatInspector#validate(java.nio.file.Path,
 * dev.glimpse.image.format.ContainerFormat)}: OVA and docker tar archives read in one bounded pass,
 * OVF descriptors parsed with DTDs and external entities off, compressed files recognised by their
 * magic. Not API: may change at any time.
 */
@NullMarked
package dev.glimpse.image.format.internal.container;

import org.jspecify.annotations.NullMarked;
