package dev.glimpse.image.spi;

import dev.glimpse.image.event.Event;

/**
 * Receives the service's notifications ({@code image.create}, {@code metadef_tag.delete}, ...).
 *
 * <p>A listener is called after the operation has been persisted, synchronously on the caller's
 * thread or on the executor the host configured. An exception thrown by a listener is logged and
 * never rolls back or fails the operation: notifications report what happened, they do not vote on
 * it. Listeners must be thread-safe when an executor delivers events, and should return quickly
 * when events are delivered synchronously.
 */
@FunctionalInterface
public interface EventListener {
    /** Called once per event. */
    void onEvent(Event event);
}
