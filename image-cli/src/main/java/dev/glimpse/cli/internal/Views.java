package dev.glimpse.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.json.ImageJson;
import java.util.List;

/**
 * Images and members as JSON objects in Glance's Images v2 wire format (snake_case keys, extra
 * properties at top level, {@code YYYY-MM-DDTHH:MM:SSZ} times), written by image-core's
 * {@link ImageJson} so that the CLI prints exactly what a Glance-compatible API would send; every
 * output format is drawn from them. Also the columns {@code openstack image list} shows.
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

    /** The image as Glance would send it from {@code GET /v2/images/{id}}, through core's codec. */
    public static ObjectNode image(ImageJson codec, Image image) {
        return (ObjectNode) codec.mapper().valueToTree(image);
    }

    /** The membership as Glance would send it from {@code GET /v2/images/{id}/members/{member}}. */
    public static ObjectNode member(ImageMember member) {
        return (ObjectNode) ImageJson.defaults().mapper().valueToTree(member);
    }

}
