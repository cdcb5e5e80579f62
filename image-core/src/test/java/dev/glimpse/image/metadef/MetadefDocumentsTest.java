package dev.glimpse.image.metadef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.InvalidRequestException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetadefDocumentsTest {

    @Test
    void glanceStyleDocumentReadsAndRoundTrips() {
        String json = """
                {"namespace": "OS::Compute::Hypervisor", "display_name": "Hypervisor Selection",
                 "description": "d", "visibility": "public", "protected": true,
                 "resource_type_associations": [{"name": "OS::Glance::Image"}],
                 "properties": {
                   "hypervisor_type": {"title": "Hypervisor Type", "type": "string", "enum": ["qemu", "kvm"]},
                   "hw_cpu_sockets": {"title": "Sockets", "type": "integer", "minimum": 1, "maximum": 8, "default": 2},
                   "list": {"title": "L", "type": "array", "items": {"type": "integer", "enum": [1, 2]}, "uniqueItems": true}
                 },
                 "objects": [{"name": "Obj", "required": ["p"], "properties": {"p": {"title": "P", "type": "boolean"}}}],
                 "tags": [{"name": "fast"}],
                 "self": "/v2/metadefs/namespaces/OS::Compute::Hypervisor", "schema": "/v2/schemas/metadefs/namespace"}
                """;
        MetadefNamespace ns = MetadefDocuments.read(json);
        assertThat(ns.visibility()).isEqualTo(MetadefVisibility.PUBLIC);
        assertThat(ns.isProtected()).isTrue();
        assertThat(ns.properties().get("hypervisor_type").enumValues()).containsExactly("qemu", "kvm");
        assertThat(ns.properties().get("hw_cpu_sockets").defaultValue()).contains("2");
        assertThat(ns.properties().get("list").items().orElseThrow().enumValues()).containsExactly("1", "2");
        assertThat(ns.objects().get("Obj").required()).containsExactly("p");
        assertThat(MetadefDocuments.read(MetadefDocuments.write(ns))).isEqualTo(ns);
        assertThat(MetadefDocuments.write(ns)).contains("\"minimum\" : 1").contains("\"enum\" : [ 1, 2 ]");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"namespace\": \"n\", \"visiblity\": \"public\"}                              | visiblity: unknown field",
        "{\"display_name\": \"x\"}                                                     | namespace is required",
        "{\"namespace\": \"n\", \"visibility\": \"shared\"}                             | unknown namespace visibility",
        "{\"namespace\": \"n\", \"protected\": \"yes\"}                                 | protected must be true or false",
        "{\"namespace\": \"n\", \"properties\": {\"p\": {\"type\": \"string\"}}}        | title is required",
        "{\"namespace\": \"n\", \"properties\": {\"p\": {\"title\": \"t\"}}}            | properties.p.type is required",
        "{\"namespace\": \"n\", \"properties\": {\"p\": {\"title\": \"t\", \"type\": \"str\"}}} | unknown property type 'str'",
        "{\"namespace\": \"n\", \"properties\": {\"p\": {\"title\": \"t\", \"type\": \"string\", \"maxLenght\": 3}}} | properties.p.maxLenght: unknown field",
        "{\"namespace\": \"n\", \"properties\": {\"p\": {\"title\": \"t\", \"type\": \"string\", \"pattern\": \"[\"}}} | not a valid regular expression",
        "{\"namespace\": \"n\", \"properties\": {\"p\": {\"title\": \"t\", \"type\": \"integer\", \"minimum\": 5, \"maximum\": 1}}} | minimum 5 is greater than maximum 1",
        "{\"namespace\": \"n\", \"properties\": {\"p\": {\"title\": \"t\", \"type\": \"integer\", \"enum\": [\"one\"]}}} | enum value 'one' is not an integer",
        "{\"namespace\": \"n\", \"properties\": {\"p\": {\"title\": \"t\", \"type\": \"string\", \"minimum\": 1}}} | apply to integer and number properties only",
        "{\"namespace\": \"n\", \"properties\": {\"p\": {\"title\": \"t\", \"type\": \"string\", \"minLength\": -1}}} | must not be negative",
        "{\"namespace\": \"n\", \"objects\": [{\"name\": \"o\", \"required\": [\"missing\"]}]} | required property 'missing'",
        "{\"namespace\": \"n\", \"tags\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}        | already has a tag named 'a'",
        "{\"namespace\": \"n\", \"created_at\": \"yesterday\"}                         | not an ISO-8601 UTC time",
        "{\"namespace\": \"n\", \"namespace\": \"m\"}                                   | Duplicate field",
        "[1]                                                                      | must be a JSON object",
    })
    void invalidDocumentsNameTheProblem(String json, String message) {
        assertThatThrownBy(() -> MetadefDocuments.read(json)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(message);
    }

    @Test
    void namespaceLimitsFromGlancesSchema() {
        assertThatThrownBy(() -> MetadefNamespace.builder("n".repeat(81)).build())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("namespace is 81 characters");
        assertThatThrownBy(() -> MetadefNamespace.builder("n").description("d".repeat(501)).build())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 500");
        assertThatThrownBy(() -> MetadefNamespace.builder("n").owner("o".repeat(256)).build())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 255");
        assertThatThrownBy(() -> MetadefNamespace.builder(" ").build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> MetadefTag.of("bad\nname")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("control character");
        assertThat(MetadefNamespace.builder("n".repeat(80)).build().namespace()).hasSize(80);
    }

    @Test
    void standardDefinitionsCoverTheDocumentedImageProperties() {
        Set<String> imageProperties = new HashSet<>();
        for (MetadefNamespace ns : StandardMetadefs.namespaces()) {
            assertThat(ns.visibility()).as(ns.namespace()).isEqualTo(MetadefVisibility.PUBLIC);
            assertThat(ns.isProtected()).as(ns.namespace()).isTrue();
            assertThat(MetadefDocuments.read(MetadefDocuments.write(ns))).isEqualTo(ns);
            ResourceTypeAssociation image = ns.resourceTypeAssociations().get(ResourceType.IMAGE);
            assertThat(image).as(ns.namespace() + " applies to images").isNotNull();
            ns.properties().keySet().forEach(p -> imageProperties.add(image.prefixed(p)));
        }
        assertThat(imageProperties).contains("hw_disk_bus", "hw_scsi_model", "hw_vif_model", "hw_video_model",
                "hw_machine_type", "hw_firmware_type", "hw_cpu_policy", "hw_cpu_thread_policy", "hw_cpu_sockets",
                "hw_cpu_cores", "hw_cpu_threads", "hw_cpu_max_sockets", "hw_cpu_max_cores", "hw_cpu_max_threads",
                "hw_watchdog_action", "hw_rng_model", "hypervisor_type", "vm_mode", "os_distro", "os_version", "os_type",
                "hw_tpm_model", "hw_tpm_version", "img_signature", "img_signature_hash_method", "img_signature_key_type",
                "img_signature_certificate_uuid", "architecture", "kernel_id", "ramdisk_id", "instance_uuid");
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "integer | 7       | ",
        "integer | +3      | ",
        "integer | 1.5     | is not an integer",
        "integer | 100     | is greater than the maximum 10",
        "integer | -1      | is less than the minimum 0",
        "number  | 2.5     | ",
        "number  | 1e1     | ",
        "number  | 10.01   | is greater than the maximum 10",
        "number  | NaN     | is not a number",
        "boolean | True    | ",
        "boolean | no      | ",
        "boolean | maybe   | is not a boolean",
        "object  | {\"a\":1} | ",
        "object  | [1]     | is not a JSON object",
    })
    void valuesAreCheckedByType(String type, String value, String problem) {
        PropertyDefinition.Builder b = PropertyDefinition.builder("p").title("P").type(PropertyType.fromWireName(type));
        if (type.equals("integer") || type.equals("number")) {
            b.minimum(0).maximum(10);
        }
        List<String> problems = PropertyValues.problems(b.build(), value);
        if (problem == null) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).singleElement().asString().contains(problem);
        }
    }

    @Test
    void stringAndArrayRules() {
        PropertyDefinition s = PropertyDefinition.builder("s").title("S").type(PropertyType.STRING).pattern("^v[0-9]+$")
                .minLength(2).maxLength(4).build();
        assertThat(PropertyValues.problems(s, "v12")).isEmpty();
        assertThat(PropertyValues.problems(s, "v12345")).containsExactly("is longer than 4 characters");
        assertThat(PropertyValues.problems(s, "x")).containsExactly("is shorter than 2 characters",
                "does not match the pattern ^v[0-9]+$");
        PropertyDefinition unanchored = PropertyDefinition.builder("u").title("U").type(PropertyType.STRING)
                .pattern("[0-9]").build();
        assertThat(PropertyValues.problems(unanchored, "abc1def")).as("JSON schema patterns are not anchored").isEmpty();
        PropertyDefinition integers = PropertyDefinition.builder("i").title("I").type(PropertyType.INTEGER)
                .enumValues("1", "2").build();
        assertThat(PropertyValues.problems(integers, "02")).isEmpty();
        assertThat(PropertyValues.problems(integers, "3")).containsExactly("is not one of [1, 2]");
        PropertyDefinition array = PropertyDefinition.builder("a").title("A").type(PropertyType.ARRAY)
                .items(new PropertyDefinition.Items(PropertyType.STRING, List.of("x", "y", "z"))).minItems(1).maxItems(2)
                .uniqueItems(true).build();
        assertThat(PropertyValues.problems(array, "x, y")).isEmpty();
        assertThat(PropertyValues.problems(array, "x,x")).containsExactly("has repeated items");
        assertThat(PropertyValues.problems(array, "x,y,z")).containsExactly("has more than 2 items");
        assertThat(PropertyValues.problems(array, "")).containsExactly("has fewer than 1 items");
        assertThat(PropertyValues.problems(array, "w")).containsExactly("has item 'w' that is not one of [x, y, z]");
        assertThat(Map.of()).isEmpty();
    }
}
