package dev.glimpse.image.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.event.Event;
import dev.glimpse.image.event.EventType;
import dev.glimpse.image.spi.EventListener;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @Test
    void deliversSynchronouslyInOrderWithPublisherAndTime() {
        List<String> seen = new ArrayList<>();
        EventListener first = e -> seen.add("first " + e.type().wireName());
        EventListener second = e -> seen.add("second " + e.payloadString("id") + " " + e.publisherId() + " " + e.timestamp());
        EventDispatcher dispatcher = new EventDispatcher(List.of(first, second), null, Set.of(), "image.test", CLOCK);
        dispatcher.info(EventType.IMAGE_CREATE, Map.of("id", "i1"));
        assertThat(seen).containsExactly("first image.create", "second i1 image.test 2026-01-02T03:04:05Z");
    }

    @Test
    void aFailingListenerNeitherThrowsNorStopsTheOthers() {
        List<Event> seen = new ArrayList<>();
        EventListener broken = e -> {
            throw new IllegalStateException("listener bug");
        };
        EventListener linkage = e -> {
            throw new NoClassDefFoundError("missing");
        };
        EventDispatcher dispatcher = new EventDispatcher(List.of(broken, linkage, seen::add), null, Set.of(), "p", CLOCK);
        assertThatCode(() -> dispatcher.error(EventType.IMAGE_UPLOAD, Map.of("message", "boom"))).doesNotThrowAnyException();
        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(e.priority()).isEqualTo(Event.Priority.ERROR);
            assertThat(e.payload()).containsEntry("message", "boom");
        });
    }

    @Test
    void deliversOnTheExecutor() throws InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "events"));
        List<String> threads = new CopyOnWriteArrayList<>();
        EventDispatcher dispatcher = new EventDispatcher(
                List.of(e -> threads.add(Thread.currentThread().getName()), e -> {
                    throw new RuntimeException("ignored");
                }), executor, Set.of(), "p", CLOCK);
        dispatcher.info(EventType.IMAGE_UPDATE, Map.of());
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).containsExactly("events");
        // A shut-down executor refuses work; the caller still does not see an exception.
        assertThatCode(() -> dispatcher.info(EventType.IMAGE_UPDATE, Map.of())).doesNotThrowAnyException();
    }

    @Test
    void disabledNotificationsByNameOrGroup() {
        List<String> seen = new ArrayList<>();
        EventDispatcher dispatcher = new EventDispatcher(List.of(e -> seen.add(e.type().wireName())), null,
                Set.of("image.member", "metadef_tag.delete"), "p", CLOCK);
        for (EventType type : List.of(EventType.IMAGE_MEMBER_CREATE, EventType.IMAGE_CREATE,
                EventType.METADEF_TAG_DELETE, EventType.METADEF_TAG_CREATE)) {
            dispatcher.info(type, Map.of());
        }
        assertThat(seen).containsExactly("image.create", "metadef_tag.create");
        assertThat(EventType.IMAGE_MEMBER_CREATE.matches("image")).isTrue();
        assertThat(EventType.IMAGE_CREATE.matches("imag")).isFalse();
    }

    @Test
    void payloadIsDeeplyCopiedAndUnmodifiable() {
        Map<String, Object> nested = new HashMap<>();
        nested.put("k", "v");
        List<Object> tags = new ArrayList<>(List.of("a"));
        Map<String, Object> payload = new HashMap<>();
        payload.put("properties", nested);
        payload.put("tags", tags);
        payload.put("deleted_at", null);
        Event event = new Event(EventType.IMAGE_DELETE, Event.Priority.INFO, "p", Instant.EPOCH, payload);
        nested.put("k", "changed");
        tags.add("b");
        assertThat(event.payload()).containsEntry("deleted_at", null);
        assertThat(event.payload().get("properties")).isEqualTo(Map.of("k", "v"));
        assertThat(event.payload().get("tags")).isEqualTo(List.of("a"));
        assertThatThrownBy(() -> event.payload().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new Event(EventType.IMAGE_DELETE, Event.Priority.INFO, "p", Instant.EPOCH,
                Map.of("bad", new Object()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wireNamesRoundTrip() {
        for (EventType type : EventType.values()) {
            assertThat(EventType.fromWireName(type.wireName())).isSameAs(type);
        }
        assertThatThrownBy(() -> EventType.fromWireName("image.exploded")).isInstanceOf(IllegalArgumentException.class);
    }
}
