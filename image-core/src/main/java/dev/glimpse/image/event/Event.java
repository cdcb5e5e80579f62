package dev.glimpse.image.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One notification.
 *
 * <p>The payload keeps Glance's notification shape (snake_case keys, timestamps as ISO-8601
 * strings) so that a host can forward it to a message bus unchanged; its values are strings,
 * numbers, booleans, null, and lists and maps of those. It is deeply unmodifiable.
 *
 * @param type what happened
 * @param priority INFO for success, ERROR for a failure report (e.g. a failed upload)
 * @param publisherId who sent it (Glance's {@code default_publisher_id}, e.g. {@code image.localhost})
 * @param timestamp when it was sent
 * @param payload the event's data
 */
public record Event(EventType type, Priority priority, String publisherId, Instant timestamp,
        Map<String, @Nullable Object> payload) {

    /** The notification priority, as oslo.messaging names them. */
    public enum Priority {
        /** The operation succeeded. */
        INFO,
        /** The operation failed; the payload says why. */
        ERROR
    }

    /** Validates and deep-copies the payload. */
    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(publisherId, "publisherId");
        Objects.requireNonNull(timestamp, "timestamp");
        payload = copyMap(Objects.requireNonNull(payload, "payload"));
    }

    /** The payload value under {@code key} as a string, or null when absent or null. */
    public @Nullable String payloadString(String key) {
        Object value = payload.get(key);
        return value == null ? null : value.toString();
    }

    private static Map<String, @Nullable Object> copyMap(Map<String, ? extends @Nullable Object> map) {
        Map<String, @Nullable Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "payload key"), copyValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Object copyValue(@Nullable Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return copyMap((Map<String, ?>) map);
        }
        if (value instanceof List<?> list) {
            List<@Nullable Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(copyValue(element)));
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("event payload values must be strings, numbers, booleans, null,"
                + " lists or maps; found " + value.getClass().getName());
    }
}
