package dev.glimpse.image;

import java.time.Instant;
import java.util.Objects;

/**
 * The sharing of one image with one project (Glance's image member).
 *
 * @param imageId the shared image's id
 * @param memberId the project the image is shared with (at most 255 characters)
 * @param status the member's answer
 * @param createdAt when the membership was created
 * @param updatedAt when it last changed
 */
public record ImageMember(String imageId, String memberId, MemberStatus status, Instant createdAt, Instant updatedAt) {

    /**
     * Validates the membership.
     *
     * @throws InvalidRequestException if the member id is blank, longer than 255 characters or
     *     contains 4-byte UTF-8 characters
     */
    public ImageMember {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (memberId.isBlank()) {
            throw new InvalidRequestException("member id must not be blank");
        }
        Image.checkText("member", memberId, 255);
    }

    /** Returns a copy with the given status and update time. */
    public ImageMember withStatus(MemberStatus newStatus, Instant when) {
        return new ImageMember(imageId, memberId, newStatus, createdAt, when);
    }
}
