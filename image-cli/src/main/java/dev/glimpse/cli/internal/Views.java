package dev.glimpse.cli.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Images and members as JSON objects in Glance's Images v2 wire format (snake_case keys, extra
 * properties at top level, {@code YYYY-MM-DDTHH:MM:SSZ} times), which every output format of the
 * CLI is drawn from; and the columns {@code openstack image list} shows.
 */
public final class Views {
    /** {@code image list}: ID, Name, Status. */
    public static final List<Column> IMAGE_LIST = List.of(
            new Column("id", "ID"), new Column("name", "Name"), new Column("status", "Status"));

    /** {@code image list --long}. */
    public static final List<Column> IMAGE_LIST_LONG = List.of(
            new Column("id", "ID"), new Column("name", "Name"), new Column("disk_format", "Disk Format"),
            new Column("container_format", "Container Format"), new Column("size", "Size"),
            new Column("checksum", "Checksum"), new Column("status", "Status"), new Column("visibility", "Visibility"),
            new Column("protected", "Protected"), new Column("owner", "Project"), new Column("tags", "Tags"));

    /** Every column {@code -c} may name by heading in an image listing. */
    public static final List<Column> IMAGE_KNOWN = List.of(
            new Column("id", "ID"), new Column("name", "Name"), new Column("disk_format", "Disk Format"),
            new Column("container_format", "Container Format"), new Column("size", "Size"),
            new Column("virtual_size", "Virtual Size"), new Column("checksum", "Checksum"),
            new Column("status", "Status"), new Column("visibility", "Visibility"),
            new Column("protected", "Protected"), new Column("owner", "Project"), new Column("owner", "Owner"),
            new Column("tags", "Tags"), new Column("min_disk", "Min Disk"), new Column("min_ram", "Min RAM"),
            new Column("os_hidden", "Hidden"), new Column("created_at", "Created At"),
            new Column("updated_at", "Updated At"));

    /** {@code image member list}. */
    public static final List<Column> MEMBER_LIST = List.of(
            new Column("image_id", "Image ID"), new Column("member_id", "Member ID"), new Column("status", "Status"));

    private Views() {}

    /** The image as Glance would send it from {@code GET /v2/images/{id}}. */
    public static ObjectNode image(Image image) {
        ObjectNode node = Printer.object();
        node.put("id", image.id());
        node.put("name", image.name().orElse(null));
        node.put("status", image.status().wireName());
        node.put("visibility", image.visibility().wireName());
        node.put("protected", image.isProtected());
        node.put("os_hidden", image.osHidden());
        node.put("owner", image.owner().orElse(null));
        node.put("disk_format", image.diskFormat().map(f -> f.wireName()).orElse(null));
        node.put("container_format", image.containerFormat().map(f -> f.wireName()).orElse(null));
        node.put("size", image.size().orElse(null));
        node.put("virtual_size", image.virtualSize().orElse(null));
        node.put("checksum", image.checksum().orElse(null));
        node.put("os_hash_algo", image.osHashAlgo().orElse(null));
        node.put("os_hash_value", image.osHashValue().orElse(null));
        node.put("min_disk", image.minDisk());
        node.put("min_ram", image.minRam());
        node.put("created_at", time(image.createdAt()));
        node.put("updated_at", time(image.updatedAt()));
        ArrayNode tags = node.putArray("tags");
        new TreeSet<>(image.tags()).forEach(tags::add);
        image.directUrl().ifPresent(url -> node.put("direct_url", url));
        node.put("self", "/v2/images/" + image.id());
        node.put("file", "/v2/images/" + image.id() + "/file");
        node.put("schema", "/v2/schemas/image");
        for (Map.Entry<String, String> property : new java.util.TreeMap<>(image.properties()).entrySet()) {
            node.put(property.getKey(), property.getValue());
        }
        return node;
    }

    /** The membership as Glance would send it from {@code GET /v2/images/{id}/members/{member}}. */
    public static ObjectNode member(ImageMember member) {
        ObjectNode node = Printer.object();
        node.put("image_id", member.imageId());
        node.put("member_id", member.memberId());
        node.put("status", member.status().wireName());
        node.put("created_at", time(member.createdAt()));
        node.put("updated_at", time(member.updatedAt()));
        node.put("schema", "/v2/schemas/member");
        return node;
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
