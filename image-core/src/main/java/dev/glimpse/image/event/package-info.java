/**
 * Notifications in the manner of Glance's: {@link dev.glimpse.image.event.Event} (type, priority,
 * time, payload in Glance's notification shape) and {@link dev.glimpse.image.event.EventType}
 * (the wire names such as {@code image.create}). Listeners implement
 * {@link dev.glimpse.image.spi.EventListener}.
 */
@NullMarked
package dev.glimpse.image.event;

import org.jspecify.annotations.NullMarked;
