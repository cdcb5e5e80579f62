/**
 * Implementation details of the filesystem and http stores and the file-backed catalogue:
 * ServiceLoader providers, the catalogue's log format. Not API: may change at any time.
 */
@NullMarked
package dev.glimpse.image.store.fs.internal;

import org.jspecify.annotations.NullMarked;
