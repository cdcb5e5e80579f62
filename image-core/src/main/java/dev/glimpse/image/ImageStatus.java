package dev.glimpse.image;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The lifecycle status of an image, with Glance's wire names and its full transition table
 * ({@code glance/domain/__init__.py:Image.valid_state_targets}).
 *
 * <p>The table is data here; the catalogue enforces it in one place, and an illegal transition is a
 * {@link ConflictException}.
 */
public enum ImageStatus {
    /** Registered, no data yet. */
    QUEUED("queued"),
    /** Data is being uploaded. */
    SAVING("saving"),
    /** Data is being staged for an import (glance-direct). */
    UPLOADING("uploading"),
    /** An import is running. */
    IMPORTING("importing"),
    /** Data is present and may be downloaded. */
    ACTIVE("active"),
    /** An upload failed irrecoverably (Glance v2 never sets this; kept for the table). */
    KILLED("killed"),
    /** Deleted: no longer visible, data removed. Terminal. */
    DELETED("deleted"),
    /** Deleted, data waiting for the scrubber (delayed delete). Not visible. */
    PENDING_DELETE("pending_delete"),
    /** Active but its data may not be downloaded by ordinary users. */
    DEACTIVATED("deactivated");

    private static final Map<String, ImageStatus> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ImageStatus::wireName, Function.identity()));

    private final String wireName;

    ImageStatus(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the name Glance uses for this status, e.g. {@code "pending_delete"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the statuses this one may move to (Glance's {@code valid_state_targets}); empty for
     * {@link #DELETED}.
     */
    public Set<ImageStatus> allowedTargets() {
        switch (this) {
            case QUEUED:
                return EnumSet.of(SAVING, UPLOADING, IMPORTING, ACTIVE, DELETED);
            case SAVING:
                return EnumSet.of(ACTIVE, QUEUED, KILLED, DELETED);
            case UPLOADING:
                return EnumSet.of(IMPORTING, QUEUED, DELETED);
            case IMPORTING:
                return EnumSet.of(ACTIVE, QUEUED, DELETED);
            case ACTIVE:
                return EnumSet.of(DEACTIVATED, PENDING_DELETE, DELETED);
            case DEACTIVATED:
                return EnumSet.of(ACTIVE, DELETED);
            case PENDING_DELETE:
                return EnumSet.of(DELETED, ACTIVE);
            case KILLED:
                return EnumSet.of(DELETED);
            case DELETED:
                return EnumSet.noneOf(ImageStatus.class);
            default:
                throw new AssertionError(this);
        }
    }

    /** Whether the transition table allows moving from this status to {@code target}. */
    public boolean canTransitionTo(ImageStatus target) {
        return allowedTargets().contains(Objects.requireNonNull(target, "target"));
    }

    /**
     * Whether {@code disk_format} and {@code container_format} may still change: only while queued
     * or importing, as in Glance.
     */
    public boolean formatsMutable() {
        return this == QUEUED || this == IMPORTING;
    }

    /**
     * Whether an image in this status is gone for API callers: {@code deleted}, {@code pending_delete}
     * and {@code killed} images never appear in lists, and the first two are not found by get.
     */
    public boolean isHiddenFromList() {
        return this == DELETED || this == PENDING_DELETE || this == KILLED;
    }

    /**
     * Returns the status with the given wire name.
     *
     * @throws IllegalArgumentException if no status has that name
     */
    public static ImageStatus fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        ImageStatus status = BY_WIRE_NAME.get(wireName);
        if (status == null) {
            throw new IllegalArgumentException("unknown image status '" + wireName + "'; expected one of "
                    + Arrays.stream(values()).map(ImageStatus::wireName).collect(Collectors.joining(", ")));
        }
        return status;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
