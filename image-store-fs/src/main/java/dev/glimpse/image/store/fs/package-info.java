/**
 * The filesystem image store ({@link dev.glimpse.image.store.fs.FilesystemImageStore}) and the
 * file-backed catalogue repository: Glimpse's embedded defaults, with no server to run.
 */
@NullMarked
package dev.glimpse.image.store.fs;

import org.jspecify.annotations.NullMarked;
