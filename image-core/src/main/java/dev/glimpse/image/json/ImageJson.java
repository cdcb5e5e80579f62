package dev.glimpse.image.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageException;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImagePage;
import dev.glimpse.image.ImagePatch;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Reads and writes the catalogue's documents in Glance's Images API v2 format: what a REST layer,
 * the CLI or a test needs to speak Glance's JSON without an HTTP server.
 *
 * <p>Immutable and thread-safe. Malformed input is an {@link InvalidRequestException} (or, for
 * read-only and reserved keys in a create request, a {@link dev.glimpse.image.ForbiddenException}),
 * never a Jackson exception.
 */
public final class ImageJson {
    private static final ImageJson DEFAULTS = new ImageJson(false, false);

    private final WireFormat format;
    private final ObjectMapper mapper;

    private ImageJson(boolean showMultipleLocations, boolean showImageDirectUrl) {
        this.format = new WireFormat(showMultipleLocations, showImageDirectUrl);
        this.mapper = new ObjectMapper().registerModule(new GlanceJsonModule(showMultipleLocations, showImageDirectUrl));
    }

    /** Returns the codec with Glance's defaults: locations and {@code direct_url} are not shown. */
    public static ImageJson defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a codec that shows locations and/or {@code direct_url}, as Glance's
     * {@code show_multiple_locations} and {@code show_image_direct_url} options do.
     */
    public static ImageJson showing(boolean multipleLocations, boolean imageDirectUrl) {
        return new ImageJson(multipleLocations, imageDirectUrl);
    }

    /** Writes an image document ({@code GET /v2/images/{id}}). */
    public String write(Image image) {
        Objects.requireNonNull(image, "image");
        return generate(gen -> format.writeImage(image, gen));
    }

    /** Writes a member document ({@code GET /v2/images/{id}/members/{member}}). */
    public String write(ImageMember member) {
        Objects.requireNonNull(member, "member");
        return generate(gen -> WireFormat.writeMember(member, gen));
    }

    /**
     * Writes a list response ({@code GET /v2/images}): {@code images}, {@code first},
     * {@code schema} and, when there is a next page, {@code next} with the marker.
     */
    public String write(ImagePage page) {
        Objects.requireNonNull(page, "page");
        return generate(gen -> {
            gen.writeStartObject();
            gen.writeArrayFieldStart("images");
            for (Image image : page.images()) {
                format.writeImage(image, gen);
            }
            gen.writeEndArray();
            gen.writeStringField("first", "/v2/images");
            if (page.nextMarker() != null) {
                gen.writeStringField("next", "/v2/images?marker=" + page.nextMarker());
            }
            gen.writeStringField("schema", "/v2/schemas/images");
            gen.writeEndObject();
        });
    }

    /** Writes a member list response ({@code GET /v2/images/{id}/members}). */
    public String writeMembers(List<ImageMember> members) {
        Objects.requireNonNull(members, "members");
        return generate(gen -> {
            gen.writeStartObject();
            gen.writeArrayFieldStart("members");
            for (ImageMember m : members) {
                WireFormat.writeMember(m, gen);
            }
            gen.writeEndArray();
            gen.writeStringField("schema", "/v2/schemas/members");
            gen.writeEndObject();
        });
    }

    /**
     * Reads an image document as Glance returns it. {@code self}, {@code file}, {@code schema},
     * {@code direct_url} and {@code stores} are derived and ignored; other unknown keys are extra
     * properties and must be strings ({@code null} reads as {@code ""}, as Glance writes it).
     *
     * @throws InvalidRequestException if the document is malformed or breaks a constraint
     */
    public Image readImage(String json) {
        return WireFormat.readImage(tree(json));
    }

    /**
     * Reads a member document.
     *
     * @throws InvalidRequestException if the document is malformed
     */
    public ImageMember readMember(String json) {
        return WireFormat.readMember(tree(json));
    }

    /**
     * Reads a create request body ({@code POST /v2/images}).
     *
     * @throws InvalidRequestException if the document is malformed or a value is badly typed
     * @throws dev.glimpse.image.ForbiddenException if it sets a read-only or reserved attribute
     */
    public NewImage readNewImage(String json) {
        return WireFormat.readNewImage(tree(json));
    }

    /**
     * Reads an {@code application/openstack-images-v2.1-json-patch} document.
     *
     * @throws InvalidRequestException if the document is malformed
     */
    public ImagePatch readPatch(String json) {
        return ImagePatch.parseJsonPatch(json);
    }

    /**
     * Reads the body of {@code POST /v2/images/{id}/members}: {@code {"member": "<project id>"}}.
     *
     * @return the project id to share the image with
     * @throws InvalidRequestException if the document has no string {@code member}
     */
    public String readMemberCreate(String json) {
        JsonNode node = tree(json);
        JsonNode member = node.isObject() ? node.get("member") : null;
        if (member == null || !member.isTextual() || member.asText().isBlank()) {
            throw new InvalidRequestException("member request must be {\"member\": \"<project id>\"}");
        }
        return member.asText();
    }

    /**
     * Reads the body of {@code PUT /v2/images/{id}/members/{member}}: {@code {"status": "accepted"}}.
     *
     * @return the new member status
     * @throws InvalidRequestException if the status is missing or not pending, accepted or rejected
     */
    public MemberStatus readMemberUpdate(String json) {
        JsonNode node = tree(json);
        JsonNode status = node.isObject() ? node.get("status") : null;
        if (status == null || !status.isTextual()) {
            throw new InvalidRequestException("member update must be {\"status\": \"pending|accepted|rejected\"}");
        }
        try {
            return MemberStatus.fromWireName(status.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }

    /** Returns an {@code ObjectMapper} with {@link GlanceJsonModule} registered as this codec is configured. */
    public ObjectMapper mapper() {
        return mapper.copy();
    }

    /**
     * Returns the image JSON schema Glance serves at {@code /v2/schemas/image}, for every format.
     */
    public static JsonNode imageSchema() {
        return imageSchema(EnumSet.allOf(DiskFormat.class), EnumSet.allOf(ContainerFormat.class));
    }

    /**
     * Returns the image JSON schema for the given allowed formats, as Glance builds it from
     * {@code [image_format]} ({@code glance/api/v2/images.py:get_schema}): the base properties with
     * their types, limits and {@code readOnly} marks, the custom properties of Glance's
     * {@code schema-image.json}, {@code additionalProperties} of type string, and the links.
     */
    public static JsonNode imageSchema(Collection<DiskFormat> diskFormats, Collection<ContainerFormat> containerFormats) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode schema = f.objectNode();
        schema.put("name", "image");
        ObjectNode props = schema.putObject("properties");
        String uuid = "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";
        props.putObject("id").put("type", "string").put("description", "An identifier for the image").put("pattern", uuid);
        nullableString(props, "name", "Descriptive name for the image").put("maxLength", 255);
        ObjectNode status = props.putObject("status").put("type", "string").put("readOnly", true)
                .put("description", "Status of the image");
        ArrayNode statuses = status.putArray("enum");
        for (ImageStatus s : ImageStatus.values()) {
            statuses.add(s.wireName());
        }
        ObjectNode visibility = props.putObject("visibility").put("type", "string")
                .put("description", "Scope of image accessibility");
        ArrayNode visibilities = visibility.putArray("enum");
        for (Visibility v : Visibility.values()) {
            visibilities.add(v.wireName());
        }
        props.putObject("protected").put("type", "boolean").put("description", "If true, image will not be deletable.");
        props.putObject("os_hidden").put("type", "boolean")
                .put("description", "If true, image will not appear in default image list response.");
        nullableString(props, "owner", "Owner of the image").put("maxLength", 255);
        ObjectNode disk = nullableString(props, "disk_format", "Format of the disk");
        ArrayNode diskEnum = disk.putArray("enum").addNull();
        for (DiskFormat d : DiskFormat.values()) {
            if (diskFormats.contains(d)) {
                diskEnum.add(d.wireName());
            }
        }
        ObjectNode container = nullableString(props, "container_format", "Format of the container");
        ArrayNode containerEnum = container.putArray("enum").addNull();
        for (ContainerFormat c : ContainerFormat.values()) {
            if (containerFormats.contains(c)) {
                containerEnum.add(c.wireName());
            }
        }
        nullableType(props, "size", "integer", "Size of image file in bytes").put("readOnly", true);
        nullableType(props, "virtual_size", "integer", "Virtual size of image in bytes").put("readOnly", true);
        nullableString(props, "checksum", "md5 hash of image contents.").put("maxLength", 32).put("readOnly", true);
        nullableString(props, "os_hash_algo", "Algorithm to calculate the os_hash_value").put("maxLength", 64)
                .put("readOnly", true);
        nullableString(props, "os_hash_value",
                "Hexdigest of the image contents using the algorithm specified by the os_hash_algo")
                .put("maxLength", 128).put("readOnly", true);
        props.putObject("min_disk").put("type", "integer").put("minimum", 0).put("maximum", Image.MAX_MIN_VALUE)
                .put("description", "Amount of disk space (in GB) required to boot image.");
        props.putObject("min_ram").put("type", "integer").put("minimum", 0).put("maximum", Image.MAX_MIN_VALUE)
                .put("description", "Amount of ram (in MB) required to boot image.");
        props.putObject("created_at").put("type", "string").put("readOnly", true)
                .put("description", "Date and time of image registration");
        props.putObject("updated_at").put("type", "string").put("readOnly", true)
                .put("description", "Date and time of the last image modification");
        ObjectNode tags = props.putObject("tags").put("type", "array").put("description", "List of strings related to the image");
        tags.putObject("items").put("type", "string").put("maxLength", 255);
        ObjectNode locations = props.putObject("locations").put("type", "array")
                .put("description", "A set of URLs to access the image file kept in external store");
        ObjectNode item = locations.putObject("items").put("type", "object");
        ObjectNode itemProps = item.putObject("properties");
        itemProps.putObject("url").put("type", "string").put("maxLength", 255);
        itemProps.putObject("metadata").put("type", "object");
        ObjectNode validation = itemProps.putObject("validation_data").put("type", "object").put("writeOnly", true);
        validation.putObject("properties").putObject("os_hash_algo").put("type", "string");
        item.putArray("required").add("url").add("metadata");
        props.putObject("direct_url").put("type", "string").put("readOnly", true)
                .put("description", "URL to access the image file kept in external store");
        props.putObject("stores").put("type", "string").put("readOnly", true)
                .put("description", "Store in which image data resides.  Only present when the operator has enabled"
                        + " multiple stores.  May be a comma-separated list of store identifiers.");
        props.putObject("self").put("type", "string").put("readOnly", true).put("description", "An image self url");
        props.putObject("file").put("type", "string").put("readOnly", true).put("description", "An image file url");
        props.putObject("schema").put("type", "string").put("readOnly", true).put("description", "An image schema url");
        // Custom properties from Glance's etc/schema-image.json.
        custom(props, "kernel_id", "ID of image stored in Glance that should be used as the kernel when booting an"
                + " AMI-style image.", true).put("pattern", uuid);
        custom(props, "ramdisk_id", "ID of image stored in Glance that should be used as the ramdisk when booting an"
                + " AMI-style image.", true).put("pattern", uuid);
        custom(props, "instance_uuid", "Metadata which can be used to record which instance this image is associated"
                + " with. (Informational only, does not create an instance snapshot.)", false);
        custom(props, "architecture", "Operating system architecture as specified in"
                + " https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html", false);
        custom(props, "os_distro", "Common name of operating system distribution as specified in"
                + " https://docs.openstack.org/python-glanceclient/latest/cli/property-keys.html", false);
        custom(props, "os_version", "Operating system version as specified by the distributor.", false);
        custom(props, "description", "A human-readable string describing this image.", false);
        custom(props, "cinder_encryption_key_id", "Identifier in the OpenStack Key Management Service for the"
                + " encryption key for the Block Storage Service to use when mounting a volume created from this image",
                false);
        ObjectNode policy = custom(props, "cinder_encryption_key_deletion_policy", "States the condition under which"
                + " the Image Service will delete the object associated with the 'cinder_encryption_key_id' image"
                + " property.", false);
        policy.putArray("enum").add("on_image_deletion").add("do_not_delete");
        schema.putObject("additionalProperties").put("type", "string");
        ArrayNode links = schema.putArray("links");
        links.addObject().put("rel", "self").put("href", "{self}");
        links.addObject().put("rel", "enclosure").put("href", "{file}");
        links.addObject().put("rel", "describedby").put("href", "{schema}");
        return schema;
    }

    private static ObjectNode nullableString(ObjectNode props, String name, String description) {
        return nullableType(props, name, "string", description);
    }

    private static ObjectNode nullableType(ObjectNode props, String name, String type, String description) {
        ObjectNode p = props.putObject(name);
        p.putArray("type").add("null").add(type);
        p.put("description", description);
        return p;
    }

    private static ObjectNode custom(ObjectNode props, String name, String description, boolean nullable) {
        ObjectNode p = props.putObject(name);
        if (nullable) {
            p.putArray("type").add("null").add("string");
        } else {
            p.put("type", "string");
        }
        p.put("description", description);
        p.put("is_base", false);
        return p;
    }

    private JsonNode tree(String json) {
        Objects.requireNonNull(json, "json");
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new InvalidRequestException("document is empty");
            }
            return node;
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof ImageException) {
                throw (ImageException) e.getCause();
            }
            throw new InvalidRequestException("document is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("document is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator gen) throws IOException;
    }

    private String generate(Writer writer) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
            writer.write(gen);
        } catch (IOException e) {
            // A StringWriter does not fail; anything here is a bug.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
