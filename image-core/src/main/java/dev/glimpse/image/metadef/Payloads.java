package dev.glimpse.image.metadef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Event payloads in the shape of glance/notifier.py's {@code format_metadef_*} functions. */
final class Payloads {
    private Payloads() {}

    static Map<String, @Nullable Object> namespace(MetadefNamespace ns, @Nullable String oldName) {
        Map<String, @Nullable Object> p = new LinkedHashMap<>();
        p.put("namespace", ns.namespace());
        p.put("namespace_old", oldName == null ? ns.namespace() : oldName);
        p.put("display_name", ns.displayName().orElse(null));
        p.put("protected", ns.isProtected());
        p.put("visibility", ns.visibility().wireName());
        p.put("owner", ns.owner().orElse(null));
        p.put("description", ns.description().orElse(null));
        p.put("created_at", time(ns.createdAt().orElse(null)));
        p.put("updated_at", time(ns.updatedAt().orElse(null)));
        p.put("deleted", false);
        p.put("deleted_at", null);
        return p;
    }

    static Map<String, @Nullable Object> object(String namespace, MetadefObject o, @Nullable String oldName) {
        Map<String, @Nullable Object> p = new LinkedHashMap<>();
        p.put("namespace", namespace);
        p.put("name", o.name());
        p.put("name_old", oldName == null ? o.name() : oldName);
        List<Object> properties = new ArrayList<>();
        o.properties().values().forEach(d -> properties.add(property(namespace, d, null)));
        p.put("properties", properties);
        p.put("required", o.required());
        p.put("description", o.description().orElse(null));
        p.put("created_at", time(o.createdAt().orElse(null)));
        p.put("updated_at", time(o.updatedAt().orElse(null)));
        p.put("deleted", false);
        p.put("deleted_at", null);
        return p;
    }

    static Map<String, @Nullable Object> property(String namespace, PropertyDefinition d, @Nullable String oldName) {
        Map<String, @Nullable Object> p = new LinkedHashMap<>();
        p.put("namespace", namespace);
        p.put("name", d.name());
        p.put("name_old", oldName == null ? d.name() : oldName);
        p.put("type", d.type().wireName());
        p.put("title", d.title());
        p.put("description", d.description().orElse(null));
        p.put("enum", d.enumValues().isEmpty() ? null : d.enumValues());
        p.put("pattern", d.pattern().orElse(null));
        p.put("minimum", d.minimum().map(m -> (Object) m.toPlainString()).orElse(null));
        p.put("maximum", d.maximum().map(m -> (Object) m.toPlainString()).orElse(null));
        p.put("minLength", d.minLength().orElse(null));
        p.put("maxLength", d.maxLength().orElse(null));
        p.put("readonly", d.readonly());
        p.put("default", d.defaultValue().orElse(null));
        return p;
    }

    static Map<String, @Nullable Object> tag(String namespace, MetadefTag t, @Nullable String oldName) {
        Map<String, @Nullable Object> p = new LinkedHashMap<>();
        p.put("namespace", namespace);
        p.put("name", t.name());
        p.put("name_old", oldName == null ? t.name() : oldName);
        p.put("created_at", time(t.createdAt()));
        p.put("updated_at", time(t.updatedAt()));
        p.put("deleted", false);
        p.put("deleted_at", null);
        return p;
    }

    static Map<String, @Nullable Object> association(String namespace, ResourceTypeAssociation a) {
        Map<String, @Nullable Object> p = new LinkedHashMap<>();
        p.put("namespace", namespace);
        p.put("name", a.name());
        p.put("prefix", a.prefix());
        p.put("properties_target", a.propertiesTarget());
        p.put("created_at", time(a.createdAt()));
        p.put("updated_at", time(a.updatedAt()));
        p.put("deleted", false);
        p.put("deleted_at", null);
        return p;
    }

    private static @Nullable String time(@Nullable Instant time) {
        return time == null ? null : time.toString();
    }
}
