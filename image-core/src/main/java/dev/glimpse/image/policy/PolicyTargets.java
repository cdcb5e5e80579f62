package dev.glimpse.image.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds the target maps that Glance's default rules expect. The keys follow Glance's
 * {@code ImageTarget}: {@code project_id} is the owner of the thing acted on (so that
 * {@code role:member and project_id:%(project_id)s} means "a member of the owning project"),
 * {@code member_id} is the caller's project when it is a member of the image.
 */
public final class PolicyTargets {
    /**
     * Keys an extra property may not supply: they carry identity, and a user who could set an
     * image property named {@code member_id} or {@code project_id} would otherwise pass checks
     * such as {@code project_id:%(member_id)s}.
     */
    private static final Set<String> RESERVED = Set.of("project_id", "owner", "member_id", "member",
            "member_status", "visibility", "id", "image_id", "status", "protected");

    private PolicyTargets() {}

    /**
     * The target of an action on a collection or on no particular thing (list images, create a
     * namespace, list resource types): the caller's own project.
     */
    public static Map<String, String> project(String projectId) {
        Objects.requireNonNull(projectId, "projectId");
        return Map.of("project_id", projectId, "owner", projectId);
    }

    /**
     * The target of an action on an image.
     *
     * @param imageId the image id
     * @param owner the owning project, or null for an image without owner (only admins match it)
     * @param visibility the wire name of the image's visibility ({@code public}, {@code shared}, ...)
     * @param memberId the caller's project when it is a member of the image, else null
     * @param memberStatus that membership's status ({@code pending}, {@code accepted}, {@code rejected}), or null
     * @param extraProperties the image's extra properties, exposed as keys as Glance does; the
     *     identity keys above cannot be supplied this way
     */
    public static Map<String, String> image(String imageId, @Nullable String owner, String visibility,
            @Nullable String memberId, @Nullable String memberStatus, Map<String, String> extraProperties) {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(visibility, "visibility");
        Map<String, String> target = new HashMap<>();
        extraProperties.forEach((key, value) -> {
            if (!RESERVED.contains(key)) {
                target.put(key, value);
            }
        });
        target.put("id", imageId);
        target.put("image_id", imageId);
        target.put("visibility", visibility);
        if (owner != null) {
            target.put("owner", owner);
            target.put("project_id", owner);
        }
        if (memberId != null) {
            target.put("member_id", memberId);
            target.put("member", memberId);
        }
        if (memberStatus != null) {
            target.put("member_status", memberStatus);
        }
        return Map.copyOf(target);
    }

    /**
     * The target of an action on a metadata-definition namespace or its contents.
     *
     * @param owner the namespace's owner, or null when it has none (only admins match it)
     * @param visibility {@code public} or {@code private}
     */
    public static Map<String, String> namespace(@Nullable String owner, String visibility) {
        Objects.requireNonNull(visibility, "visibility");
        Map<String, String> target = new HashMap<>();
        target.put("visibility", visibility);
        if (owner != null) {
            target.put("owner", owner);
            target.put("project_id", owner);
        }
        return Map.copyOf(target);
    }
}
