package dev.glimpse.image;

import static dev.glimpse.image.ImageStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.ImageLifecycle;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageStatusTest {
    /** Glance's Image.valid_state_targets, typed out independently of the enum. */
    private static final Map<ImageStatus, Set<ImageStatus>> GLANCE = Map.of(
            QUEUED, Set.of(SAVING, ACTIVE, DELETED, UPLOADING, IMPORTING),
            SAVING, Set.of(ACTIVE, KILLED, DELETED, QUEUED),
            UPLOADING, Set.of(IMPORTING, QUEUED, DELETED),
            IMPORTING, Set.of(ACTIVE, DELETED, QUEUED),
            ACTIVE, Set.of(PENDING_DELETE, DELETED, DEACTIVATED),
            KILLED, Set.of(DELETED),
            PENDING_DELETE, Set.of(ACTIVE, DELETED),
            DELETED, Set.of(),
            DEACTIVATED, Set.of(ACTIVE, DELETED));

    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    private static Image image(ImageStatus status) {
        return Image.builder().id("00000000-0000-4000-8000-000000000001").status(status).createdAt(T).updatedAt(T)
                .diskFormat(DiskFormat.RAW).containerFormat(ContainerFormat.BARE).size(5L).virtualSize(5L).build();
    }

    @Test
    void transitionTableIsGlances() {
        for (ImageStatus from : values()) {
            assertThat(from.allowedTargets()).as(from.wireName()).isEqualTo(GLANCE.get(from));
        }
    }

    @Test
    void lifecycleAllowsExactlyTheTableAndRefusesTheRestAsConflict() {
        for (ImageStatus from : values()) {
            for (ImageStatus to : values()) {
                Image image = image(from);
                if (GLANCE.get(from).contains(to)) {
                    Image moved = ImageLifecycle.transition(image, to, T.plusSeconds(1)).build();
                    assertThat(moved.status()).isEqualTo(to);
                    assertThat(moved.updatedAt()).isEqualTo(T.plusSeconds(1));
                } else {
                    assertThatThrownBy(() -> ImageLifecycle.transition(image, to, T))
                            .as(from + " -> " + to).isInstanceOf(ConflictException.class);
                }
            }
        }
    }

    @Test
    void queuedClearsSizes() {
        Image back = ImageLifecycle.transition(image(SAVING), QUEUED, T).build();
        assertThat(back.size()).isEmpty();
        assertThat(back.virtualSize()).isEmpty();
        assertThat(ImageLifecycle.transition(image(ACTIVE), DEACTIVATED, T).build().size()).contains(5L);
    }

    @Test
    void leavingQueuedForDataNeedsBothFormats() {
        Image noFormats = image(QUEUED).toBuilder().diskFormat(null).build();
        for (ImageStatus to : EnumSet.of(SAVING, ACTIVE, IMPORTING)) {
            assertThatThrownBy(() -> ImageLifecycle.transition(noFormats, to, T)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("disk_format");
        }
        assertThat(ImageLifecycle.transition(noFormats, UPLOADING, T).build().status()).isEqualTo(UPLOADING);
        assertThat(ImageLifecycle.transition(noFormats, DELETED, T).build().status()).isEqualTo(DELETED);
    }

    @Test
    void formatsAreMutableOnlyWhileQueuedOrImporting() {
        for (ImageStatus s : values()) {
            assertThat(s.formatsMutable()).as(s.wireName()).isEqualTo(s == QUEUED || s == IMPORTING);
        }
    }

    @Test
    void wireNamesRoundTrip() {
        for (ImageStatus s : values()) {
            assertThat(ImageStatus.fromWireName(s.wireName())).isEqualTo(s);
        }
        assertThat(PENDING_DELETE.wireName()).isEqualTo("pending_delete");
        assertThatThrownBy(() -> ImageStatus.fromWireName("ACTIVE")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Visibility.fromWireName("community")).isEqualTo(Visibility.COMMUNITY);
        assertThatThrownBy(() -> Visibility.fromWireName("all")).isInstanceOf(IllegalArgumentException.class);
        assertThat(MemberStatus.fromWireName("rejected")).isEqualTo(MemberStatus.REJECTED);
        assertThatThrownBy(() -> MemberStatus.fromWireName("all")).isInstanceOf(IllegalArgumentException.class);
    }
}
