/**
 * The filesystem image store and the file-backed catalogue repository.
 */
@NullMarked
package dev.glimpse.image.store.fs;

import org.jspecify.annotations.NullMarked;
