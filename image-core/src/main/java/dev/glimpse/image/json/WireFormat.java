package dev.glimpse.image.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.AttributeNames;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Reads and writes the Images v2 documents; shared by {@link GlanceJsonModule} and {@link ImageJson}. */
final class WireFormat {
    /** Glance's {@code isotime}: seconds precision, literal Z. */
    static final DateTimeFormatter ISO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** Properties Glance keeps but never shows ({@code ResponseSerializer._hidden_properties}). */
    private static final Set<String> HIDDEN = Set.of("os_glance_stage_host", "os_glance_hash_op_host");

    /** Keys that appear in an image document but are not extra properties. */
    private static final Set<String> NOT_PROPERTIES = AttributeNames.BASE;

    private final boolean showLocations;
    private final boolean showDirectUrl;

    WireFormat(boolean showLocations, boolean showDirectUrl) {
        this.showLocations = showLocations;
        this.showDirectUrl = showDirectUrl;
    }

    static String time(Instant instant) {
        return ISO_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    void writeImage(Image image, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("id", image.id());
        writeNullable(gen, "name", image.name().orElse(null));
        gen.writeStringField("status", image.status().wireName());
        gen.writeStringField("visibility", image.visibility().wireName());
        gen.writeBooleanField("protected", image.isProtected());
        gen.writeBooleanField("os_hidden", image.osHidden());
        writeNullable(gen, "owner", image.owner().orElse(null));
        writeNullable(gen, "disk_format", image.diskFormat().map(DiskFormat::wireName).orElse(null));
        writeNullable(gen, "container_format", image.containerFormat().map(ContainerFormat::wireName).orElse(null));
        writeNullableLong(gen, "size", image.size().orElse(null));
        writeNullableLong(gen, "virtual_size", image.virtualSize().orElse(null));
        writeNullable(gen, "checksum", image.checksum().orElse(null));
        writeNullable(gen, "os_hash_algo", image.osHashAlgo().orElse(null));
        writeNullable(gen, "os_hash_value", image.osHashValue().orElse(null));
        gen.writeNumberField("min_disk", image.minDisk());
        gen.writeNumberField("min_ram", image.minRam());
        gen.writeStringField("created_at", time(image.createdAt()));
        gen.writeStringField("updated_at", time(image.updatedAt()));
        gen.writeArrayFieldStart("tags");
        for (String tag : image.tags()) {
            gen.writeString(tag);
        }
        gen.writeEndArray();
        if (showLocations) {
            gen.writeArrayFieldStart("locations");
            for (ImageLocation l : image.locations()) {
                if (l.status() != ImageLocation.Status.ACTIVE) {
                    continue;
                }
                gen.writeStartObject();
                gen.writeStringField("url", l.url());
                gen.writeObjectFieldStart("metadata");
                for (Map.Entry<String, String> e : l.metadata().entrySet()) {
                    gen.writeStringField(e.getKey(), e.getValue());
                }
                if (l.storeId() != null && !l.metadata().containsKey("store")) {
                    gen.writeStringField("store", l.storeId());
                }
                gen.writeEndObject();
                gen.writeEndObject();
            }
            gen.writeEndArray();
        }
        if (showDirectUrl && image.directUrl().isPresent()) {
            gen.writeStringField("direct_url", image.directUrl().get());
        }
        List<String> stores = image.stores();
        if (!stores.isEmpty()) {
            gen.writeStringField("stores", String.join(",", stores));
        }
        gen.writeStringField("self", "/v2/images/" + image.id());
        gen.writeStringField("file", "/v2/images/" + image.id() + "/file");
        gen.writeStringField("schema", "/v2/schemas/image");
        for (Map.Entry<String, String> e : image.properties().entrySet()) {
            if (!HIDDEN.contains(e.getKey()) && !NOT_PROPERTIES.contains(e.getKey())) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
        }
        gen.writeEndObject();
    }

    static void writeMember(ImageMember member, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("image_id", member.imageId());
        gen.writeStringField("member_id", member.memberId());
        gen.writeStringField("status", member.status().wireName());
        gen.writeStringField("created_at", time(member.createdAt()));
        gen.writeStringField("updated_at", time(member.updatedAt()));
        gen.writeStringField("schema", "/v2/schemas/member");
        gen.writeEndObject();
    }

    private static void writeNullable(JsonGenerator gen, String name, @Nullable String value) throws IOException {
        if (value == null) {
            gen.writeNullField(name);
        } else {
            gen.writeStringField(name, value);
        }
    }

    private static void writeNullableLong(JsonGenerator gen, String name, @Nullable Long value) throws IOException {
        if (value == null) {
            gen.writeNullField(name);
        } else {
            gen.writeNumberField(name, value);
        }
    }

    // ---- reading

    static Image readImage(JsonNode node) {
        requireObject(node, "image");
        Image.Builder b = Image.builder()
                .id(requiredText(node, "id"))
                .name(optionalText(node, "name"))
                .status(enumValue(node, "status", ImageStatus::fromWireName, true))
                .visibility(enumValue(node, "visibility", Visibility::fromWireName, true))
                .isProtected(bool(node, "protected"))
                .osHidden(bool(node, "os_hidden"))
                .owner(optionalText(node, "owner"))
                .diskFormat(enumValue(node, "disk_format", DiskFormat::fromWireName, false))
                .containerFormat(enumValue(node, "container_format", ContainerFormat::fromWireName, false))
                .size(optionalLong(node, "size"))
                .virtualSize(optionalLong(node, "virtual_size"))
                .checksum(optionalText(node, "checksum"))
                .osHashAlgo(optionalText(node, "os_hash_algo"))
                .osHashValue(optionalText(node, "os_hash_value"))
                .minDisk(intRange(node, "min_disk"))
                .minRam(intRange(node, "min_ram"))
                .createdAt(parseTime(requiredText(node, "created_at"), "created_at"))
                .updatedAt(parseTime(requiredText(node, "updated_at"), "updated_at"))
                .tags(tags(node));
        JsonNode locations = node.get("locations");
        if (locations != null && !locations.isNull()) {
            b.locations(readLocations(locations));
        }
        b.properties(extraProperties(node, true));
        return b.build();
    }

    static ImageMember readMember(JsonNode node) {
        requireObject(node, "member");
        MemberStatus status = enumValue(node, "status", MemberStatus::fromWireName, true);
        return new ImageMember(requiredText(node, "image_id"), requiredText(node, "member_id"), status,
                parseTime(requiredText(node, "created_at"), "created_at"),
                parseTime(requiredText(node, "updated_at"), "updated_at"));
    }

    /**
     * Reads a create request body ({@code POST /v2/images}). Read-only and disallowed keys are
     * refused with 403 as Glance does; other unknown keys become extra properties (strings only).
     */
    static NewImage readNewImage(JsonNode node) {
        requireObject(node, "image");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (AttributeNames.isReserved(key)) {
                throw new ForbiddenException("attribute '" + key + "' is reserved");
            }
            if (AttributeNames.READ_ONLY.contains(key) && !key.equals("id")) {
                throw new ForbiddenException("attribute '" + key + "' is read-only");
            }
            if (key.equals("locations")) {
                throw new ForbiddenException("locations cannot be set when creating an image");
            }
        }
        NewImage.Builder b = NewImage.builder()
                .id(optionalText(node, "id"))
                .name(optionalText(node, "name"))
                .visibility(enumValue(node, "visibility", Visibility::fromWireName, false))
                .isProtected(bool(node, "protected"))
                .osHidden(bool(node, "os_hidden"))
                .owner(optionalText(node, "owner"))
                .diskFormat(enumValue(node, "disk_format", DiskFormat::fromWireName, false))
                .containerFormat(enumValue(node, "container_format", ContainerFormat::fromWireName, false))
                .minDisk(intRange(node, "min_disk"))
                .minRam(intRange(node, "min_ram"))
                .tags(tags(node));
        b.properties(extraProperties(node, false));
        return b.build();
    }

    private static List<ImageLocation> readLocations(JsonNode locations) {
        if (!locations.isArray()) {
            throw new InvalidRequestException("locations must be an array");
        }
        List<ImageLocation> result = new ArrayList<>();
        for (JsonNode l : locations) {
            requireObject(l, "location");
            String url = requiredText(l, "url");
            Map<String, String> metadata = new LinkedHashMap<>();
            JsonNode meta = l.get("metadata");
            if (meta != null && !meta.isNull()) {
                requireObject(meta, "location metadata");
                for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                        throw new InvalidRequestException("location metadata '" + e.getKey() + "' must be a string");
                    }
                    metadata.put(e.getKey(), e.getValue().asText());
                }
            }
            result.add(new ImageLocation(url, metadata, metadata.get("store"), ImageLocation.Status.ACTIVE));
        }
        return result;
    }

    private static Map<String, String> extraProperties(JsonNode node, boolean nullAsEmpty) {
        Map<String, String> props = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (NOT_PROPERTIES.contains(key)) {
                continue;
            }
            JsonNode v = e.getValue();
            if (v.isNull() && nullAsEmpty) {
                props.put(key, "");
            } else if (v.isTextual()) {
                props.put(key, v.asText());
            } else {
                throw new InvalidRequestException("extra property '" + key + "' must be a string, was " + v.getNodeType()
                        .toString().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return props;
    }

    static Instant parseTime(String text, String field) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    // Older Glance releases wrote naive UTC times ("2014-05-05T17:15:10.000000").
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e) {
                    throw new InvalidRequestException(field + " '" + text + "' is not an ISO 8601 time", e);
                }
            }
        }
    }

    private static void requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException(what + " must be a JSON object");
        }
    }

    private static String requiredText(JsonNode node, String field) {
        String value = optionalText(node, field);
        if (value == null) {
            throw new InvalidRequestException("'" + field + "' is required");
        }
        return value;
    }

    private static @Nullable String optionalText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException("'" + field + "' must be a string");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequestException("'" + field + "' must be true or false");
        }
        return v.asBoolean();
    }

    private static @Nullable Long optionalLong(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidRequestException("'" + field + "' must be an integer");
        }
        return v.asLong();
    }

    private static int intRange(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber()) {
            throw new InvalidRequestException("'" + field + "' must be an integer");
        }
        if (!v.canConvertToLong() || v.asLong() < 0 || v.asLong() > Image.MAX_MIN_VALUE) {
            throw new InvalidRequestException("'" + field + "' must be between 0 and " + Image.MAX_MIN_VALUE
                    + ", was " + v.asText());
        }
        return v.asInt();
    }

    private static List<String> tags(JsonNode node) {
        JsonNode v = node.get("tags");
        List<String> tags = new ArrayList<>();
        if (v == null || v.isNull()) {
            return tags;
        }
        if (!v.isArray()) {
            throw new InvalidRequestException("'tags' must be an array of strings");
        }
        for (JsonNode t : v) {
            if (!t.isTextual()) {
                throw new InvalidRequestException("'tags' must be an array of strings");
            }
            tags.add(t.asText());
        }
        return tags;
    }

    private static <E> @Nullable E enumValue(JsonNode node, String field, Function<String, E> parse, boolean required) {
        String text = required ? requiredText(node, field) : optionalText(node, field);
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field + ": " + e.getMessage(), e);
        }
    }
}
