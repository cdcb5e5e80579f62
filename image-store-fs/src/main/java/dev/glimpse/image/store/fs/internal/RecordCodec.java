package dev.glimpse.image.store.fs.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The catalogue's storage format. Records are written in the compact binary form of
 * {@link BinaryRecords}, cheap to decode in a cold JVM; records written by earlier versions are one
 * JSON object each and are still read (the first byte tells them apart: JSON starts with
 * {@code '{'}), so an existing catalogue opens unchanged and turns binary at its next compaction.
 *
 * <p>The JSON records, read with Jackson's streaming API, were:
 * <p>Records: {@code {"t":"image","v":{...}}} stores an image whole (its new version);
 * {@code {"t":"purge","id":...}} removes an image and its members; {@code {"t":"member","v":{...}}}
 * stores a membership; {@code {"t":"unmember","image":...,"member":...}} removes one. Each record
 * carries the full new state of what it changes, so replaying it twice is harmless.
 *
 * <p>Field names follow Glance's wire names; locations keep what the API hides (store id, status).
 */
public final class RecordCodec {
    private static final JsonFactory JSON = new JsonFactory();

    /** A decoded record; exactly one of the shapes is filled. */
    public record Record(String type, @Nullable Image image, @Nullable ImageMember member, @Nullable String imageId,
            @Nullable String memberId) {}

    private RecordCodec() {}

    /** Encodes a record storing {@code image}. */
    public static byte[] image(Image image) {
        return BinaryRecords.image(image);
    }

    /** Encodes a record storing {@code image} in the older JSON form (kept to test reading old catalogues). */
    static byte[] imageJson(Image image) {
        return write(g -> {
            g.writeStringField("t", "image");
            g.writeFieldName("v");
            writeImage(g, image);
        });
    }

    /** Encodes a record removing image {@code id} and its members. */
    public static byte[] purge(String id) {
        return BinaryRecords.purge(id);
    }

    static byte[] purgeJson(String id) {
        return write(g -> {
            g.writeStringField("t", "purge");
            g.writeStringField("id", id);
        });
    }

    /** Encodes a record storing {@code member}. */
    public static byte[] member(ImageMember member) {
        return BinaryRecords.member(member);
    }

    static byte[] memberJson(ImageMember member) {
        return write(g -> {
            g.writeStringField("t", "member");
            g.writeFieldName("v");
            writeMember(g, member);
        });
    }

    /** Encodes a record removing a membership. */
    public static byte[] unmember(String imageId, String memberId) {
        return BinaryRecords.unmember(imageId, memberId);
    }

    static byte[] unmemberJson(String imageId, String memberId) {
        return write(g -> {
            g.writeStringField("t", "unmember");
            g.writeStringField("image", imageId);
            g.writeStringField("member", memberId);
        });
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode catalogue record", e);
        }
        return out.toByteArray();
    }

    private static void writeImage(JsonGenerator g, Image image) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", image.id());
        g.writeNumberField("version", image.version());
        writeOptional(g, "name", image.name().orElse(null));
        g.writeStringField("status", image.status().wireName());
        g.writeStringField("visibility", image.visibility().wireName());
        g.writeBooleanField("protected", image.isProtected());
        g.writeBooleanField("os_hidden", image.osHidden());
        writeOptional(g, "owner", image.owner().orElse(null));
        writeOptional(g, "disk_format", image.diskFormat().map(DiskFormat::wireName).orElse(null));
        writeOptional(g, "container_format", image.containerFormat().map(ContainerFormat::wireName).orElse(null));
        if (image.size().isPresent()) {
            g.writeNumberField("size", image.size().get());
        }
        if (image.virtualSize().isPresent()) {
            g.writeNumberField("virtual_size", image.virtualSize().get());
        }
        writeOptional(g, "checksum", image.checksum().orElse(null));
        writeOptional(g, "os_hash_algo", image.osHashAlgo().orElse(null));
        writeOptional(g, "os_hash_value", image.osHashValue().orElse(null));
        g.writeNumberField("min_disk", image.minDisk());
        g.writeNumberField("min_ram", image.minRam());
        g.writeStringField("created_at", image.createdAt().toString());
        g.writeStringField("updated_at", image.updatedAt().toString());
        g.writeArrayFieldStart("tags");
        for (String tag : image.tags()) {
            g.writeString(tag);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("locations");
        for (ImageLocation location : image.locations()) {
            g.writeStartObject();
            g.writeStringField("url", location.url());
            writeOptional(g, "store", location.storeId());
            g.writeStringField("status", location.status().wireName());
            writeMap(g, "metadata", location.metadata());
            g.writeEndObject();
        }
        g.writeEndArray();
        writeMap(g, "properties", image.properties());
        g.writeEndObject();
    }

    private static void writeMember(JsonGenerator g, ImageMember member) throws IOException {
        g.writeStartObject();
        g.writeStringField("image_id", member.imageId());
        g.writeStringField("member_id", member.memberId());
        g.writeStringField("status", member.status().wireName());
        g.writeStringField("created_at", member.createdAt().toString());
        g.writeStringField("updated_at", member.updatedAt().toString());
        g.writeEndObject();
    }

    private static void writeOptional(JsonGenerator g, String field, @Nullable String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> entry : map.entrySet()) {
            g.writeStringField(entry.getKey(), entry.getValue());
        }
        g.writeEndObject();
    }

    /**
     * Decodes a record.
     *
     * @throws IOException if the record is not valid catalogue JSON or breaks the model's rules
     */
    public static Record decode(byte[] payload) throws IOException {
        if (payload.length > 0 && payload[0] != '{') {
            try {
                return BinaryRecords.decode(payload);
            } catch (RuntimeException e) {
                // Cut short (index out of bounds) or refused by the model: the record is damaged.
                throw new IOException("invalid catalogue record: " + e, e);
            }
        }
        return decodeJson(payload);
    }

    private static Record decodeJson(byte[] payload) throws IOException {
        try (JsonParser p = JSON.createParser(payload)) {
            expect(p, JsonToken.START_OBJECT);
            String type = null;
            Image image = null;
            ImageMember member = null;
            String imageId = null;
            String memberId = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "t" -> type = p.getText();
                    case "v" -> {
                        if ("member".equals(type)) {
                            member = readMember(p);
                        } else {
                            image = readImage(p);
                        }
                    }
                    case "id", "image" -> imageId = p.getText();
                    case "member" -> memberId = p.getText();
                    default -> p.skipChildren();
                }
            }
            if (type == null) {
                throw new IOException("catalogue record without a type");
            }
            boolean complete = switch (type) {
                case "image" -> image != null;
                case "member" -> member != null;
                case "purge" -> imageId != null;
                case "unmember" -> imageId != null && memberId != null;
                default -> throw new IOException("unknown catalogue record type '" + type + "'");
            };
            if (!complete) {
                throw new IOException("incomplete catalogue record of type '" + type + "'");
            }
            return new Record(type, image, member, imageId, memberId);
        } catch (RuntimeException e) {
            // The model refuses values it would never have stored: the record is damaged.
            throw new IOException("invalid catalogue record: " + e.getMessage(), e);
        }
    }

    private static Image readImage(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("image record is not an object");
        }
        Image.Builder b = Image.builder();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            switch (field) {
                case "id" -> b.id(p.getText());
                case "version" -> b.version(p.getLongValue());
                case "name" -> b.name(p.getText());
                case "status" -> b.status(ImageStatus.fromWireName(p.getText()));
                case "visibility" -> b.visibility(Visibility.fromWireName(p.getText()));
                case "protected" -> b.isProtected(p.getBooleanValue());
                case "os_hidden" -> b.osHidden(p.getBooleanValue());
                case "owner" -> b.owner(p.getText());
                case "disk_format" -> b.diskFormat(DiskFormat.fromWireName(p.getText()));
                case "container_format" -> b.containerFormat(ContainerFormat.fromWireName(p.getText()));
                case "size" -> b.size(p.getLongValue());
                case "virtual_size" -> b.virtualSize(p.getLongValue());
                case "checksum" -> b.checksum(p.getText());
                case "os_hash_algo" -> b.osHashAlgo(p.getText());
                case "os_hash_value" -> b.osHashValue(p.getText());
                case "min_disk" -> b.minDisk(p.getIntValue());
                case "min_ram" -> b.minRam(p.getIntValue());
                case "created_at" -> b.createdAt(instant(p.getText()));
                case "updated_at" -> b.updatedAt(instant(p.getText()));
                case "tags" -> {
                    List<String> tags = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        tags.add(p.getText());
                    }
                    b.tags(tags);
                }
                case "locations" -> {
                    List<ImageLocation> locations = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        locations.add(readLocation(p));
                    }
                    b.locations(locations);
                }
                case "properties" -> b.properties(readMap(p));
                default -> {
                    if (token.isStructStart()) {
                        p.skipChildren();
                    }
                }
            }
        }
        return b.build();
    }

    private static ImageLocation readLocation(JsonParser p) throws IOException {
        String url = null;
        String store = null;
        ImageLocation.Status status = ImageLocation.Status.ACTIVE;
        Map<String, String> metadata = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "url" -> url = p.getText();
                case "store" -> store = p.getText();
                case "status" -> status = locationStatus(p.getText());
                case "metadata" -> metadata = readMap(p);
                default -> p.skipChildren();
            }
        }
        if (url == null) {
            throw new IOException("location without a url");
        }
        return new ImageLocation(url, metadata, store, status);
    }

    private static ImageLocation.Status locationStatus(String wireName) throws IOException {
        for (ImageLocation.Status status : ImageLocation.Status.values()) {
            if (status.wireName().equals(wireName)) {
                return status;
            }
        }
        throw new IOException("unknown location status '" + wireName + "'");
    }

    private static Map<String, String> readMap(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            map.put(key, p.getText());
        }
        return map;
    }

    private static ImageMember readMember(JsonParser p) throws IOException {
        String imageId = null;
        String memberId = null;
        MemberStatus status = null;
        Instant created = null;
        Instant updated = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "image_id" -> imageId = p.getText();
                case "member_id" -> memberId = p.getText();
                case "status" -> status = MemberStatus.fromWireName(p.getText());
                case "created_at" -> created = instant(p.getText());
                case "updated_at" -> updated = instant(p.getText());
                default -> p.skipChildren();
            }
        }
        if (imageId == null || memberId == null || status == null || created == null || updated == null) {
            throw new IOException("incomplete member record");
        }
        return new ImageMember(imageId, memberId, status, created, updated);
    }

    /**
     * Parses {@link Instant#toString()}'s output. The common shape
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} is parsed by hand, many times faster than
     * {@link Instant#parse} (opening the catalogue parses two per image); anything else falls back.
     */
    static Instant instant(String text) {
        int n = text.length();
        if (n >= 20 && n <= 30 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(n - 1) == 'Z') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int nanos = 0;
            boolean ok = year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24
                    && minute >= 0 && minute < 60 && second >= 0 && second < 60;
            if (ok && n > 20) {
                int fraction = n - 21; // digits between '.' and 'Z'
                ok = text.charAt(19) == '.' && fraction >= 1 && fraction <= 9;
                if (ok) {
                    nanos = digits(text, 20, n - 1);
                    ok = nanos >= 0;
                    for (int i = fraction; i < 9 && ok; i++) {
                        nanos *= 10;
                    }
                }
            } else if (ok) {
                ok = n == 20;
            }
            if (ok && day <= java.time.YearMonth.of(year, month).lengthOfMonth()) {
                long days = java.time.LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
            }
        }
        return Instant.parse(text);
    }

    /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void expect(JsonParser p, JsonToken token) throws IOException {
        if (p.nextToken() != token) {
            throw new IOException("expected " + token + " in catalogue record");
        }
    }
}
