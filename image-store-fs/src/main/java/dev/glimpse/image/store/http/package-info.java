/**
 * The read-only http store: image data that already lives at an http(s) URL, read in place, as
 * Glance's {@code http} store does. Uses the JDK's {@link java.net.http.HttpClient}.
 */
@NullMarked
package dev.glimpse.image.store.http;

import org.jspecify.annotations.NullMarked;
