/** Delivery of events to listeners. Not API. */
@NullMarked
package dev.glimpse.image.internal.event;

import org.jspecify.annotations.NullMarked;
