package dev.glimpse.image.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ImageJson json = ImageJson.defaults();

    private static String resource(String name) throws IOException {
        try (InputStream in = ImageJsonTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Image sample() {
        return Image.builder().id("1bea47ed-f6a9-463b-b423-14b9cca9ad27").name("cirros").status(ImageStatus.ACTIVE)
                .visibility(Visibility.PUBLIC).owner("p1").diskFormat(DiskFormat.QCOW2)
                .containerFormat(ContainerFormat.BARE).size(13167616L).virtualSize(117440512L)
                .checksum("64d7c1cd2b6f60c92c14662941cb7913").osHashAlgo("sha512").osHashValue("abc")
                .minDisk(1).minRam(64).createdAt(Instant.parse("2024-05-05T17:15:10.123456Z"))
                .updatedAt(Instant.parse("2024-05-05T17:15:11Z")).tags(List.of("b", "a"))
                .locations(List.of(new ImageLocation("file:///images/1bea", Map.of("k", "v"), "fs1", ImageLocation.Status.ACTIVE)))
                .properties(Map.of("hw_disk_bus", "scsi", "os_glance_stage_host", "secret-host")).build();
    }

    @Test
    void readsGlanceShowResponse() throws IOException {
        Image image = json.readImage(resource("image-show-response.json"));
        assertThat(image.id()).isEqualTo("1bea47ed-f6a9-463b-b423-14b9cca9ad27");
        assertThat(image.name()).contains("cirros-0.6.2-x86_64-disk");
        assertThat(image.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(image.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(image.diskFormat()).contains(DiskFormat.QCOW2);
        assertThat(image.containerFormat()).contains(ContainerFormat.BARE);
        assertThat(image.size()).contains(13167616L);
        assertThat(image.virtualSize()).contains(117440512L);
        assertThat(image.minDisk()).isEqualTo(1);
        assertThat(image.minRam()).isEqualTo(64);
        assertThat(image.osHashAlgo()).contains("sha512");
        assertThat(image.createdAt()).isEqualTo(Instant.parse("2024-05-05T17:15:10Z"));
        assertThat(image.tags()).containsExactly("cirros", "small");
        // self/file/schema/stores are derived, not properties; a null extra property reads as "".
        assertThat(image.properties()).containsOnly(Map.entry("hw_disk_bus", "scsi"), Map.entry("os_distro", "cirros"),
                Map.entry("description", ""));
    }

    @Test
    void writesGlanceShapeWithExtraPropertiesAtTopLevel() throws IOException {
        JsonNode node = MAPPER.readTree(json.write(sample()));
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("id", "name", "status", "visibility", "protected", "os_hidden",
                "owner", "disk_format", "container_format", "size", "virtual_size", "checksum", "os_hash_algo",
                "os_hash_value", "min_disk", "min_ram", "created_at", "updated_at", "tags", "stores", "self", "file",
                "schema", "hw_disk_bus");
        assertThat(node.get("created_at").asText()).isEqualTo("2024-05-05T17:15:10Z");
        assertThat(node.get("updated_at").asText()).isEqualTo("2024-05-05T17:15:11Z");
        assertThat(node.get("disk_format").asText()).isEqualTo("qcow2");
        assertThat(node.get("size").isIntegralNumber()).isTrue();
        assertThat(node.get("protected").isBoolean()).isTrue();
        assertThat(node.get("tags").toString()).isEqualTo("[\"b\",\"a\"]");
        assertThat(node.get("self").asText()).isEqualTo("/v2/images/1bea47ed-f6a9-463b-b423-14b9cca9ad27");
        assertThat(node.get("file").asText()).isEqualTo("/v2/images/1bea47ed-f6a9-463b-b423-14b9cca9ad27/file");
        assertThat(node.get("schema").asText()).isEqualTo("/v2/schemas/image");
        assertThat(node.get("stores").asText()).isEqualTo("fs1");
        assertThat(node.get("hw_disk_bus").asText()).isEqualTo("scsi");
    }

    @Test
    void unsetValuesAreWrittenAsNull() throws IOException {
        Image queued = Image.builder().id("1bea47ed-f6a9-463b-b423-14b9cca9ad27").createdAt(Instant.EPOCH)
                .updatedAt(Instant.EPOCH).build();
        JsonNode node = MAPPER.readTree(json.write(queued));
        for (String key : List.of("name", "owner", "disk_format", "container_format", "size", "virtual_size",
                "checksum", "os_hash_algo", "os_hash_value")) {
            assertThat(node.get(key).isNull()).as(key).isTrue();
        }
        assertThat(node.has("stores")).isFalse();
        assertThat(node.get("created_at").asText()).isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void locationsAndDirectUrlOnlyWhenShown() throws IOException {
        JsonNode hidden = MAPPER.readTree(json.write(sample()));
        assertThat(hidden.has("locations")).isFalse();
        assertThat(hidden.has("direct_url")).isFalse();
        JsonNode shown = MAPPER.readTree(ImageJson.showing(true, true).write(sample()));
        assertThat(shown.get("direct_url").asText()).isEqualTo("file:///images/1bea");
        assertThat(shown.get("locations").toString())
                .isEqualTo("[{\"url\":\"file:///images/1bea\",\"metadata\":{\"k\":\"v\",\"store\":\"fs1\"}}]");
    }

    @Test
    void roundTripKeepsEverythingButSubSecondTimesAndHiddenProperties() {
        ImageJson codec = ImageJson.showing(true, false);
        Image original = sample();
        Image read = codec.readImage(codec.write(original));
        Image expected = original.toBuilder().createdAt(Instant.parse("2024-05-05T17:15:10Z"))
                .removeProperty("os_glance_stage_host")
                .locations(List.of(new ImageLocation("file:///images/1bea", Map.of("k", "v", "store", "fs1"), "fs1",
                        ImageLocation.Status.ACTIVE)))
                .build();
        assertThat(read).isEqualTo(expected);
    }

    @Test
    void worksThroughAnObjectMapperWithTheModule() throws IOException {
        ObjectMapper mapper = new ObjectMapper().registerModule(new GlanceJsonModule());
        Image image = sample();
        String text = mapper.writeValueAsString(image);
        assertThat(mapper.readValue(text, Image.class).id()).isEqualTo(image.id());
        assertThat(json.mapper().readValue(text, Image.class).name()).contains("cirros");
    }

    @Test
    void refusesMalformedImageDocuments() {
        String base = "{\"id\":\"1bea47ed-f6a9-463b-b423-14b9cca9ad27\",\"status\":\"queued\",\"visibility\":\"shared\","
                + "\"created_at\":\"2024-01-01T00:00:00Z\",\"updated_at\":\"2024-01-01T00:00:00Z\"";
        assertThat(json.readImage(base + "}").status()).isEqualTo(ImageStatus.QUEUED);
        for (String bad : List.of(base + ",\"foo\":1}", base + ",\"status\":\"sleeping\"}", base + ",\"min_disk\":-1}",
                base + ",\"size\":\"12\"}", base + ",\"tags\":\"a\"}", base + ",\"protected\":\"yes\"}",
                base.replace("2024-01-01T00:00:00Z\",\"updated", "yesterday\",\"updated") + "}",
                "{\"id\":\"x\"}", "[1]", "{not json", "")) {
            assertThatThrownBy(() -> json.readImage(bad)).as(bad).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void readsOlderNaiveTimes() {
        String doc = "{\"id\":\"1bea47ed-f6a9-463b-b423-14b9cca9ad27\",\"status\":\"queued\",\"visibility\":\"shared\","
                + "\"created_at\":\"2014-05-05T17:15:10.000000\",\"updated_at\":\"2014-05-05T19:15:10+02:00\"}";
        Image image = json.readImage(doc);
        assertThat(image.createdAt()).isEqualTo(Instant.parse("2014-05-05T17:15:10Z"));
        assertThat(image.updatedAt()).isEqualTo(Instant.parse("2014-05-05T17:15:10Z"));
    }

    @Test
    void membersReadAndWriteGlanceShape() throws IOException {
        ImageMember member = json.readMember(resource("image-member-details-response.json"));
        assertThat(member.imageId()).isEqualTo("0ae74cc5-5147-4239-9ce2-b0c580f7067e");
        assertThat(member.memberId()).isEqualTo("8989447062e04a818baf9e073fd04fa7");
        assertThat(member.status()).isEqualTo(MemberStatus.PENDING);
        assertThat(member.createdAt()).isEqualTo(Instant.parse("2013-11-26T07:21:21Z"));
        assertThat(MAPPER.readTree(json.write(member))).isEqualTo(MAPPER.readTree(resource("image-member-details-response.json")));
        JsonNode list = MAPPER.readTree(json.writeMembers(List.of(member)));
        assertThat(list.get("members")).hasSize(1);
        assertThat(list.get("schema").asText()).isEqualTo("/v2/schemas/members");
        assertThatThrownBy(() -> json.readMember("{\"image_id\":\"a\",\"member_id\":\"b\",\"status\":\"maybe\","
                + "\"created_at\":\"2013-11-26T07:21:21Z\",\"updated_at\":\"2013-11-26T07:21:21Z\"}"))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void memberRequests() {
        assertThat(json.readMemberCreate("{\"member\": \"8989447062e04a818baf9e073fd04fa7\"}"))
                .isEqualTo("8989447062e04a818baf9e073fd04fa7");
        assertThat(json.readMemberUpdate("{\"status\": \"accepted\"}")).isEqualTo(MemberStatus.ACCEPTED);
        for (String bad : List.of("{}", "{\"member\": 5}", "{\"member\": \" \"}", "[]", "nope")) {
            assertThatThrownBy(() -> json.readMemberCreate(bad)).as(bad).isInstanceOf(InvalidRequestException.class);
        }
        for (String bad : List.of("{}", "{\"status\": \"maybe\"}", "{\"status\": true}")) {
            assertThatThrownBy(() -> json.readMemberUpdate(bad)).as(bad).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void pageHasImagesFirstNextAndSchema() throws IOException {
        JsonNode page = MAPPER.readTree(json.write(new ImagePage(List.of(sample()), sample().id())));
        assertThat(page.get("images")).hasSize(1);
        assertThat(page.get("first").asText()).isEqualTo("/v2/images");
        assertThat(page.get("next").asText()).isEqualTo("/v2/images?marker=" + sample().id());
        assertThat(page.get("schema").asText()).isEqualTo("/v2/schemas/images");
        assertThat(MAPPER.readTree(json.write(new ImagePage(List.of(), null))).has("next")).isFalse();
    }

    @Test
    void readsCreateRequest() throws IOException {
        NewImage request = json.readNewImage(resource("image-create-request.json"));
        assertThat(request.id()).contains("b2173dd3-7ad6-4362-baa6-a68bce3565cb");
        assertThat(request.name()).contains("Ubuntu");
        assertThat(request.visibility()).contains(Visibility.COMMUNITY);
        assertThat(request.diskFormat()).contains(DiskFormat.RAW);
        assertThat(request.containerFormat()).contains(ContainerFormat.BARE);
        assertThat(request.minDisk()).isEqualTo(20);
        assertThat(request.tags()).containsExactly("lts");
        assertThat(request.properties()).containsOnly(Map.entry("os_distro", "ubuntu"));
    }

    @Test
    void createRequestRefusesReadOnlyReservedAndBadValues() {
        for (String key : List.of("status", "size", "checksum", "created_at", "self", "file", "schema", "direct_url",
                "stores", "os_glance_import_task", "deleted", "locations")) {
            assertThatThrownBy(() -> json.readNewImage("{\"" + key + "\":\"x\"}")).as(key)
                    .isInstanceOf(ForbiddenException.class);
        }
        for (String bad : List.of("{\"min_ram\":2147483648}", "{\"min_disk\":1.5}", "{\"disk_format\":\"floppy\"}",
                "{\"visibility\":\"everyone\"}", "{\"prop\":7}", "{\"prop\":null}", "{\"name\":5}", "[]")) {
            assertThatThrownBy(() -> json.readNewImage(bad)).as(bad).isInstanceOf(InvalidRequestException.class);
        }
        assertThat(json.readNewImage("{\"min_ram\":2147483647}").minRam()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void readsGlanceJsonPatch() throws IOException {
        ImagePatch patch = json.readPatch(resource("image-update-request.json"));
        assertThat(patch.operations()).containsExactly(
                new ImagePatch.Operation(ImagePatch.Op.REPLACE, "name", "Fedora 17"),
                new ImagePatch.Operation(ImagePatch.Op.REPLACE, "tags", List.of("fedora", "beefy")),
                new ImagePatch.Operation(ImagePatch.Op.ADD, "hw/video~model", "virtio"),
                new ImagePatch.Operation(ImagePatch.Op.REPLACE, "min_ram", 2048L),
                new ImagePatch.Operation(ImagePatch.Op.REMOVE, "os_version", null));
    }

    @Test
    void refusesMalformedJsonPatch() {
        for (String bad : List.of("{}", "[1]", "[{\"op\":\"move\",\"path\":\"/a\",\"from\":\"/b\"}]",
                "[{\"op\":\"test\",\"path\":\"/a\",\"value\":1}]", "[{\"path\":\"/a\",\"value\":1}]",
                "[{\"op\":\"add\",\"value\":1}]", "[{\"op\":\"add\",\"path\":\"/a\"}]", "[{\"op\":\"add\",\"path\":\"a\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"/a/b\",\"value\":1}]", "[{\"op\":\"add\",\"path\":\"/a/\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"//a\",\"value\":1}]", "[{\"op\":\"add\",\"path\":\"/\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"/a~2\",\"value\":1}]", "[{\"op\":\"add\",\"path\":\"/a~\",\"value\":1}]",
                "[{\"op\":1,\"path\":\"/a\",\"value\":1}]", "not json")) {
            assertThatThrownBy(() -> json.readPatch(bad)).as(bad).isInstanceOf(InvalidRequestException.class);
        }
        assertThat(json.readPatch("[]").isEmpty()).isTrue();
        assertThat(json.readPatch("[{\"op\":\"add\",\"path\":\"/locations/-\",\"value\":{}}]").operations().get(0).name())
                .isEqualTo("locations");
    }

    @Test
    void schemaDescribesTheWireFormat() throws IOException {
        JsonNode schema = ImageJson.imageSchema();
        JsonNode props = schema.get("properties");
        List<String> readOnly = new ArrayList<>();
        props.fields().forEachRemaining(e -> {
            if (e.getValue().path("readOnly").asBoolean(false)) {
                readOnly.add(e.getKey());
            }
        });
        assertThat(readOnly).containsExactlyInAnyOrder("status", "size", "virtual_size", "checksum", "os_hash_algo",
                "os_hash_value", "created_at", "updated_at", "direct_url", "stores", "self", "file", "schema");
        assertThat(schema.get("additionalProperties").get("type").asText()).isEqualTo("string");
        assertThat(props.get("visibility").get("enum").toString()).isEqualTo("[\"public\",\"community\",\"shared\",\"private\"]");
        assertThat(props.get("name").get("maxLength").asInt()).isEqualTo(255);
        assertThat(schema.get("links")).hasSize(3);
        JsonNode restricted = ImageJson.imageSchema(EnumSet.of(DiskFormat.QCOW2, DiskFormat.RAW), EnumSet.of(ContainerFormat.BARE));
        assertThat(restricted.get("properties").get("disk_format").get("enum").toString()).isEqualTo("[null,\"raw\",\"qcow2\"]");
        assertThat(restricted.get("properties").get("container_format").get("enum").toString()).isEqualTo("[null,\"bare\"]");

        // Glance's own response and ours both validate against the schema.
        assertThat(violations(schema, MAPPER.readTree(resource("image-show-response.json")))).containsExactly("description");
        assertThat(violations(schema, MAPPER.readTree(ImageJson.showing(true, true).write(sample())))).isEmpty();
    }

    /** A small validator for the keywords the image schema uses: type, enum, maxLength, pattern, additionalProperties. */
    private static List<String> violations(JsonNode schema, JsonNode doc) {
        List<String> bad = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode rule = schema.get("properties").get(e.getKey());
            if (rule == null) {
                rule = schema.get("additionalProperties");
            }
            if (!valid(rule, e.getValue())) {
                bad.add(e.getKey());
            }
        }
        return bad;
    }

    private static boolean valid(JsonNode rule, JsonNode value) {
        Set<String> types = new java.util.HashSet<>();
        if (rule.get("type").isArray()) {
            rule.get("type").forEach(t -> types.add(t.asText()));
        } else {
            types.add(rule.get("type").asText());
        }
        String actual = value.isNull() ? "null" : value.isTextual() ? "string" : value.isIntegralNumber() ? "integer"
                : value.isBoolean() ? "boolean" : value.isArray() ? "array" : value.isObject() ? "object" : "number";
        if (!types.contains(actual)) {
            return false;
        }
        if (rule.has("enum")) {
            boolean found = false;
            for (JsonNode option : rule.get("enum")) {
                found |= option.equals(value);
            }
            if (!found) {
                return false;
            }
        }
        if (value.isTextual() && rule.has("maxLength") && value.asText().length() > rule.get("maxLength").asInt()) {
            return false;
        }
        return !(value.isTextual() && rule.has("pattern") && !value.asText().matches(rule.get("pattern").asText()));
    }
}
