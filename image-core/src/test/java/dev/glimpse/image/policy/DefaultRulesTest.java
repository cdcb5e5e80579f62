package dev.glimpse.image.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glimpse.image.RequestContext;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Glance's default rules against personas: admin of another project, member and reader of the
 * owning project, member of another project, another project that is an image member, and an
 * owner-project user with no role at all.
 */
class DefaultRulesTest {
    private static final Policy POLICY = Policy.defaults();

    private static RequestContext persona(String name) {
        return switch (name) {
            case "admin" -> RequestContext.admin("elsewhere", "root");
            case "owner" -> RequestContext.member("owner", "alice");
            case "reader" -> RequestContext.builder().projectId("owner").userId("rita").roles(Set.of("reader")).build();
            case "norole" -> RequestContext.builder().projectId("owner").userId("nobody").build();
            case "other" -> RequestContext.member("other", "bob");
            case "imgmember" -> RequestContext.member("friend", "carol");
            case "service" -> RequestContext.builder().projectId("svc").userId("nova").roles(Set.of("service")).build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Map<String, String> imageTarget(String persona, String visibility) {
        String member = persona.equals("imgmember") ? "friend" : null;
        return PolicyTargets.image("img-1", "owner", visibility, member, member == null ? null : "accepted", Map.of());
    }

    // persona | private | shared | community | public
    @ParameterizedTest(name = "get_image {0}")
    @CsvSource({
        "admin,     true,  true,  true,  true",
        "owner,     true,  true,  true,  true",
        "reader,    true,  true,  true,  true",
        "norole,    false, false, false, false",
        "other,     false, true,  true,  true",
        "imgmember, true,  true,  true,  true",
        "service,   false, false, false, false",
    })
    void getImage(String persona, boolean priv, boolean shared, boolean community, boolean pub) {
        assertVisibilityRow("get_image", persona, priv, shared, community, pub);
    }

    @ParameterizedTest(name = "download_image {0}")
    @CsvSource({
        "admin,     true,  true,  true,  true",
        "owner,     true,  true,  true,  true",
        "reader,    false, false, false, false",
        "norole,    false, false, false, false",
        "other,     false, true,  true,  true",
        "imgmember, true,  true,  true,  true",
    })
    void downloadImage(String persona, boolean priv, boolean shared, boolean community, boolean pub) {
        assertVisibilityRow("download_image", persona, priv, shared, community, pub);
        assertVisibilityRow("download_from_store", persona, priv, shared, community, pub);
    }

    private void assertVisibilityRow(String action, String persona, boolean... expected) {
        String[] visibilities = {"private", "shared", "community", "public"};
        for (int i = 0; i < visibilities.length; i++) {
            assertThat(POLICY.check(action, persona(persona), imageTarget(persona, visibilities[i])))
                    .as("%s by %s on a %s image", action, persona, visibilities[i])
                    .isEqualTo(expected[i]);
        }
    }

    // persona | expected, for owner-only write actions on an image owned by "owner"
    @ParameterizedTest(name = "{0} by {1}")
    @CsvSource({
        "modify_image, admin, true", "modify_image, owner, true", "modify_image, reader, false",
        "modify_image, other, false", "modify_image, imgmember, false", "modify_image, norole, false",
        "delete_image, admin, true", "delete_image, owner, true", "delete_image, reader, false", "delete_image, other, false",
        "upload_image, owner, true", "upload_image, reader, false", "upload_image, imgmember, false",
        "deactivate, owner, true", "deactivate, other, false", "reactivate, owner, true", "reactivate, reader, false",
        "communitize_image, owner, true", "communitize_image, other, false",
        "publicize_image, admin, true", "publicize_image, owner, false",
        "set_image_location, owner, true", "set_image_location, other, false",
        "delete_image_location, owner, false", "delete_image_location, admin, true",
        "get_image_location, reader, true", "get_image_location, other, false",
        "add_image_location, owner, true", "add_image_location, service, true", "add_image_location, reader, false",
        "fetch_image_location, service, true", "fetch_image_location, owner, false", "fetch_image_location, admin, true",
        "copy_image, owner, false", "copy_image, admin, true",
        "add_member, owner, true", "add_member, imgmember, false", "add_member, reader, false",
        "delete_member, owner, true", "delete_member, other, false",
        "get_member, reader, true", "get_member, imgmember, true", "get_member, other, false", "get_member, admin, true",
        "get_members, owner, true", "get_members, imgmember, true", "get_members, norole, false",
        "modify_member, imgmember, true", "modify_member, owner, false", "modify_member, other, false",
        "modify_member, admin, true",
        "stores_info_detail, service, true", "stores_info_detail, owner, false",
        "tasks_api_access, owner, false", "tasks_api_access, admin, true", "get_task, norole, true",
        "cache_image, owner, false", "cache_list, admin, true", "manage_image_cache, admin, true",
    })
    void imageActions(String action, String persona, boolean expected) {
        assertThat(POLICY.check(action, persona(persona), imageTarget(persona, "shared")))
                .as("%s by %s", action, persona).isEqualTo(expected);
    }

    @Test
    void addImageRequiresOwnerToBeTheCallersProject() {
        assertThat(POLICY.check("add_image", persona("owner"), PolicyTargets.project("owner"))).isTrue();
        Map<String, String> foreignOwner = Map.of("project_id", "owner", "owner", "someone-else");
        assertThat(POLICY.check("add_image", persona("owner"), foreignOwner)).isFalse();
        assertThat(POLICY.check("add_image", persona("admin"), foreignOwner)).isTrue();
        assertThat(POLICY.check("add_image", persona("reader"), PolicyTargets.project("owner"))).isFalse();
    }

    @Test
    void listingIsForReadersOfTheirOwnProject() {
        assertThat(POLICY.check("get_images", persona("reader"), PolicyTargets.project("owner"))).isTrue();
        assertThat(POLICY.check("get_images", persona("norole"), PolicyTargets.project("owner"))).isFalse();
        assertThat(POLICY.check("get_metadef_namespaces", persona("reader"), PolicyTargets.project("owner"))).isTrue();
    }

    @ParameterizedTest(name = "{0} by {1} on a {2} namespace")
    @CsvSource({
        "get_metadef_namespace, reader, private, true", "get_metadef_namespace, other, private, false",
        "get_metadef_namespace, other, public, true", "get_metadef_namespace, norole, public, false",
        "get_metadef_namespace, admin, private, true",
        "get_metadef_object, other, public, true", "get_metadef_objects, other, private, false",
        "get_metadef_property, other, public, true", "get_metadef_properties, other, private, false",
        "get_metadef_tag, reader, private, true", "get_metadef_tags, other, private, false",
        "list_metadef_resource_types, other, public, true", "get_metadef_resource_type, other, private, false",
        "add_metadef_namespace, owner, private, false", "add_metadef_namespace, admin, private, true",
        "modify_metadef_namespace, owner, private, false", "delete_metadef_namespace, admin, public, true",
        "add_metadef_object, owner, private, false", "modify_metadef_object, admin, private, true",
        "delete_metadef_object, owner, public, false",
        "add_metadef_property, owner, private, false", "modify_metadef_property, admin, private, true",
        "remove_metadef_property, owner, private, false",
        "add_metadef_tag, owner, private, false", "add_metadef_tags, admin, private, true",
        "modify_metadef_tag, owner, private, false", "delete_metadef_tag, admin, public, true",
        "delete_metadef_tags, owner, public, false",
        "add_metadef_resource_type_association, owner, private, false",
        "remove_metadef_resource_type_association, admin, private, true",
    })
    void metadefActions(String action, String persona, String visibility, boolean expected) {
        assertThat(POLICY.check(action, persona(persona), PolicyTargets.namespace("owner", visibility)))
                .as("%s by %s on a %s namespace", action, persona, visibility).isEqualTo(expected);
    }

    @Test
    void metadefAdminIsOneOverridePoint() {
        Policy delegated = POLICY.withRules(Map.of("metadef_admin", "role:admin or role:member"));
        assertThat(delegated.check("add_metadef_namespace", persona("owner"), PolicyTargets.project("owner"))).isTrue();
        assertThat(delegated.check("delete_metadef_tags", persona("reader"), PolicyTargets.project("owner"))).isFalse();
    }
}
