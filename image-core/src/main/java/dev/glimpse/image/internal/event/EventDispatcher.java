package dev.glimpse.image.internal.event;

import dev.glimpse.image.event.Event;
import dev.glimpse.image.event.EventType;
import dev.glimpse.image.spi.EventListener;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners, synchronously or on an executor. A listener that throws, or an
 * executor that refuses the task, is logged at WARN and otherwise ignored: the operation that
 * produced the event has already happened and must not be failed or rolled back by its observers.
 * Thread-safe.
 */
public final class EventDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final List<EventListener> listeners;
    private final @Nullable Executor executor;
    private final Set<String> disabled;
    private final String publisherId;
    private final Clock clock;

    /**
     * Creates a dispatcher.
     *
     * @param listeners who receives events, in order
     * @param executor where to deliver, or null to deliver on the caller's thread
     * @param disabled {@code disabled_notifications}: wire names or group prefixes to drop
     * @param publisherId the publisher id stamped on every event
     * @param clock the source of timestamps
     */
    public EventDispatcher(List<EventListener> listeners, @Nullable Executor executor, Set<String> disabled,
            String publisherId, Clock clock) {
        this.listeners = List.copyOf(listeners);
        this.executor = executor;
        this.disabled = Set.copyOf(disabled);
        this.publisherId = Objects.requireNonNull(publisherId, "publisherId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A dispatcher with no listeners. */
    public static EventDispatcher none() {
        return new EventDispatcher(List.of(), null, Set.of(), "image.localhost", Clock.systemUTC());
    }

    /** Whether events of this type would reach anybody; lets callers skip building payloads. */
    public boolean enabled(EventType type) {
        if (listeners.isEmpty()) {
            return false;
        }
        for (String entry : disabled) {
            if (type.matches(entry)) {
                return false;
            }
        }
        return true;
    }

    /** Sends an INFO event. */
    public void info(EventType type, Map<String, ? extends @Nullable Object> payload) {
        emit(type, Event.Priority.INFO, payload);
    }

    /** Sends an ERROR event. */
    public void error(EventType type, Map<String, ? extends @Nullable Object> payload) {
        emit(type, Event.Priority.ERROR, payload);
    }

    private void emit(EventType type, Event.Priority priority, Map<String, ? extends @Nullable Object> payload) {
        if (!enabled(type)) {
            return;
        }
        @SuppressWarnings("unchecked")
        Event event = new Event(type, priority, publisherId, clock.instant(), (Map<String, @Nullable Object>) payload);
        for (EventListener listener : listeners) {
            if (executor == null) {
                deliver(listener, event);
            } else {
                try {
                    executor.execute(() -> deliver(listener, event));
                } catch (RejectedExecutionException e) {
                    LOG.warn("event {} for listener {} dropped: executor refused it ({})", type, listener, e.toString());
                }
            }
        }
    }

    private static void deliver(EventListener listener, Event event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.warn("event listener {} failed on {}; the operation is not affected", listener, event.type(), e);
        }
    }
}
