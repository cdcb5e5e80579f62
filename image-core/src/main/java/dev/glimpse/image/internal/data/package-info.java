/**
 * The image data path: the one-pass upload pipeline (size guard, checksum, multihash, streaming
 * inspection and store write, concurrently, in bounded memory) and the verifying download stream.
 * Not API: may change at any time.
 */
@NullMarked
package dev.glimpse.image.internal.data;

import org.jspecify.annotations.NullMarked;
