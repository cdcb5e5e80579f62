package dev.glimpse.image.internal.governance;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Image and member notification payloads in the shape of glance/notifier.py's format functions. */
public final class ImagePayloads {
    private ImagePayloads() {}

    /** The image payload ({@code format_image_notification}); no locations, as Glance leaves them out. */
    public static Map<String, @Nullable Object> image(Image image) {
        Map<String, @Nullable Object> p = new LinkedHashMap<>();
        p.put("id", image.id());
        p.put("name", image.name().orElse(null));
        p.put("status", image.status().wireName());
        p.put("created_at", image.createdAt().toString());
        p.put("updated_at", image.updatedAt().toString());
        p.put("min_disk", image.minDisk());
        p.put("min_ram", image.minRam());
        p.put("protected", image.isProtected());
        p.put("checksum", image.checksum().orElse(null));
        p.put("owner", image.owner().orElse(null));
        p.put("disk_format", image.diskFormat().map(f -> (Object) f.wireName()).orElse(null));
        p.put("container_format", image.containerFormat().map(f -> (Object) f.wireName()).orElse(null));
        p.put("size", image.size().map(v -> (Object) v).orElse(null));
        p.put("virtual_size", image.virtualSize().map(v -> (Object) v).orElse(null));
        p.put("is_public", image.visibility() == Visibility.PUBLIC);
        p.put("visibility", image.visibility().wireName());
        p.put("properties", new TreeMap<>(image.properties()));
        p.put("tags", new ArrayList<>(image.tags()));
        p.put("deleted", false);
        p.put("deleted_at", null);
        return p;
    }

    /** The image payload of a deleted image. */
    public static Map<String, @Nullable Object> deletedImage(Image image, Instant when) {
        Map<String, @Nullable Object> p = image(image);
        p.put("deleted", true);
        p.put("deleted_at", when.toString());
        return p;
    }

    /** The member payload ({@code format_image_member_notification}). */
    public static Map<String, @Nullable Object> member(ImageMember member, boolean deleted, @Nullable Instant when) {
        Map<String, @Nullable Object> p = new LinkedHashMap<>();
        p.put("image_id", member.imageId());
        p.put("member_id", member.memberId());
        p.put("status", member.status().wireName());
        p.put("created_at", member.createdAt().toString());
        p.put("updated_at", member.updatedAt().toString());
        p.put("deleted", deleted);
        p.put("deleted_at", deleted && when != null ? when.toString() : null);
        return p;
    }
}
