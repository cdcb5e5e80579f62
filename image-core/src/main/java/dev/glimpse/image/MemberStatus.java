package dev.glimpse.image;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A member project's answer to an image shared with it. Only {@link #ACCEPTED} memberships put the
 * image into the member's default list; any membership lets the member get the image by id.
 */
public enum MemberStatus {
    /** The member has not answered yet (the initial status). */
    PENDING("pending"),
    /** The member accepted the image: it appears in the member's image list. */
    ACCEPTED("accepted"),
    /** The member declined the image. */
    REJECTED("rejected");

    private final String wireName;

    MemberStatus(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the name Glance uses, e.g. {@code "accepted"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the status with the given wire name.
     *
     * @throws IllegalArgumentException if no member status has that name
     */
    public static MemberStatus fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        for (MemberStatus s : values()) {
            if (s.wireName.equals(wireName)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown member status '" + wireName + "'; expected one of "
                + Arrays.stream(values()).map(MemberStatus::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
