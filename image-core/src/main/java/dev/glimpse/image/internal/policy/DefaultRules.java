package dev.glimpse.image.internal.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Glance's default rules (glance/policies/*.py at HEAD, with the new S-RBAC defaults that
 * oslo.policy enforces since 4.4), written out in full. The building blocks keep Glance's names
 * so that the rules can be compared with its source line by line.
 */
public final class DefaultRules {
    private static final String ADMIN = "role:admin";
    private static final String PROJECT_MEMBER = "role:member and project_id:%(project_id)s";
    private static final String PROJECT_READER = "role:reader and project_id:%(project_id)s";
    private static final String IMAGE_MEMBER_CHECK = "project_id:%(member_id)s";
    private static final String VISIBLE_BY_SHARING = IMAGE_MEMBER_CHECK
            + " or 'community':%(visibility)s or 'public':%(visibility)s or 'shared':%(visibility)s";
    private static final String ADMIN_OR_PROJECT_MEMBER = ADMIN + " or (" + PROJECT_MEMBER + ")";
    private static final String ADMIN_OR_PROJECT_READER = ADMIN + " or (" + PROJECT_READER + ")";
    private static final String ADMIN_OR_PROJECT_READER_GET_IMAGE = ADMIN
            + " or (role:reader and (project_id:%(project_id)s or " + VISIBLE_BY_SHARING + "))";
    private static final String ADMIN_OR_PROJECT_MEMBER_DOWNLOAD_IMAGE = ADMIN
            + " or (role:member and (project_id:%(project_id)s or " + VISIBLE_BY_SHARING + "))";
    private static final String ADMIN_OR_PROJECT_MEMBER_CREATE_IMAGE = ADMIN
            + " or (" + PROJECT_MEMBER + " and project_id:%(owner)s)";
    private static final String ADMIN_OR_PROJECT_READER_GET_NAMESPACE = ADMIN
            + " or (role:reader and (project_id:%(project_id)s or 'public':%(visibility)s))";
    private static final String ADMIN_OR_SHARED_MEMBER = ADMIN + " or (role:member and " + IMAGE_MEMBER_CHECK + ")";
    private static final String ADMIN_OR_PROJECT_READER_OR_SHARED_MEMBER = ADMIN
            + " or (role:reader and (project_id:%(project_id)s or " + IMAGE_MEMBER_CHECK + "))";
    private static final String METADEF_ADMIN = "rule:metadef_admin";

    private static final Map<String, String> RULES = build();

    private DefaultRules() {}

    /** The default rules, by name, in Glance's order. Unmodifiable. */
    public static Map<String, String> rules() {
        return RULES;
    }

    private static Map<String, String> build() {
        Map<String, String> r = new LinkedHashMap<>();
        // glance/policies/base.py
        r.put("default", "");
        r.put("context_is_admin", ADMIN);
        r.put("service_api", "role:service or role:admin");
        // glance/policies/image.py
        r.put("add_image", ADMIN_OR_PROJECT_MEMBER_CREATE_IMAGE);
        r.put("delete_image", ADMIN_OR_PROJECT_MEMBER);
        r.put("get_image", ADMIN_OR_PROJECT_READER_GET_IMAGE);
        r.put("get_images", ADMIN_OR_PROJECT_READER);
        r.put("modify_image", ADMIN_OR_PROJECT_MEMBER);
        r.put("publicize_image", ADMIN);
        r.put("communitize_image", ADMIN_OR_PROJECT_MEMBER);
        r.put("download_image", ADMIN_OR_PROJECT_MEMBER_DOWNLOAD_IMAGE);
        r.put("download_from_store", ADMIN_OR_PROJECT_MEMBER_DOWNLOAD_IMAGE);
        r.put("upload_image", ADMIN_OR_PROJECT_MEMBER);
        r.put("delete_image_location", ADMIN);
        r.put("get_image_location", ADMIN_OR_PROJECT_READER);
        r.put("set_image_location", ADMIN_OR_PROJECT_MEMBER);
        r.put("add_image_location", "rule:service_api or (" + PROJECT_MEMBER + " and project_id:%(owner)s)");
        r.put("fetch_image_location", "rule:service_api");
        r.put("add_member", ADMIN_OR_PROJECT_MEMBER);
        r.put("delete_member", ADMIN_OR_PROJECT_MEMBER);
        r.put("get_member", ADMIN_OR_PROJECT_READER_OR_SHARED_MEMBER);
        r.put("get_members", ADMIN_OR_PROJECT_READER_OR_SHARED_MEMBER);
        r.put("modify_member", ADMIN_OR_SHARED_MEMBER);
        r.put("manage_image_cache", ADMIN);
        r.put("deactivate", ADMIN_OR_PROJECT_MEMBER);
        r.put("reactivate", ADMIN_OR_PROJECT_MEMBER);
        r.put("copy_image", ADMIN);
        // glance/policies/cache.py
        r.put("cache_image", ADMIN);
        r.put("cache_list", ADMIN);
        r.put("cache_delete", ADMIN);
        r.put("cache_clean", ADMIN);
        r.put("cache_prune", ADMIN);
        r.put("list_cached_nodes", ADMIN);
        // glance/policies/discovery.py
        r.put("stores_info_detail", "role:admin or role:service");
        // glance/policies/tasks.py: internal rules, the API itself is gated by tasks_api_access
        r.put("get_task", "rule:default");
        r.put("get_tasks", "rule:default");
        r.put("add_task", "rule:default");
        r.put("modify_task", "rule:default");
        r.put("tasks_api_access", ADMIN);
        // glance/policies/metadef.py
        r.put("metadef_default", "");
        r.put("metadef_admin", ADMIN);
        r.put("get_metadef_namespace", ADMIN_OR_PROJECT_READER_GET_NAMESPACE);
        r.put("get_metadef_namespaces", ADMIN_OR_PROJECT_READER);
        r.put("modify_metadef_namespace", METADEF_ADMIN);
        r.put("add_metadef_namespace", METADEF_ADMIN);
        r.put("delete_metadef_namespace", METADEF_ADMIN);
        r.put("get_metadef_object", ADMIN_OR_PROJECT_READER_GET_NAMESPACE);
        r.put("get_metadef_objects", ADMIN_OR_PROJECT_READER_GET_NAMESPACE);
        r.put("modify_metadef_object", METADEF_ADMIN);
        r.put("add_metadef_object", METADEF_ADMIN);
        r.put("delete_metadef_object", METADEF_ADMIN);
        r.put("list_metadef_resource_types", ADMIN_OR_PROJECT_READER_GET_NAMESPACE);
        r.put("get_metadef_resource_type", ADMIN_OR_PROJECT_READER_GET_NAMESPACE);
        r.put("add_metadef_resource_type_association", METADEF_ADMIN);
        r.put("remove_metadef_resource_type_association", METADEF_ADMIN);
        r.put("get_metadef_property", ADMIN_OR_PROJECT_READER_GET_NAMESPACE);
        r.put("get_metadef_properties", ADMIN_OR_PROJECT_READER_GET_NAMESPACE);
        r.put("modify_metadef_property", METADEF_ADMIN);
        r.put("add_metadef_property", METADEF_ADMIN);
        r.put("remove_metadef_property", METADEF_ADMIN);
        r.put("get_metadef_tag", ADMIN_OR_PROJECT_READER_GET_NAMESPACE);
        r.put("get_metadef_tags", ADMIN_OR_PROJECT_READER_GET_NAMESPACE);
        r.put("modify_metadef_tag", METADEF_ADMIN);
        r.put("add_metadef_tag", METADEF_ADMIN);
        r.put("add_metadef_tags", METADEF_ADMIN);
        r.put("delete_metadef_tag", METADEF_ADMIN);
        r.put("delete_metadef_tags", METADEF_ADMIN);
        return java.util.Collections.unmodifiableMap(r);
    }
}
