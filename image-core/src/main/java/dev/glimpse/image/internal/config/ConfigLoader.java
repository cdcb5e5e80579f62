package dev.glimpse.image.internal.config;

import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.config.InvalidConfigException;
import dev.glimpse.image.config.ProjectLimits;
import dev.glimpse.image.config.StoreBackend;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads glance-api.conf-style INI files into a {@link GlimpseConfig}. */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT])?(I?B)?", Pattern.CASE_INSENSITIVE);
    private static final String DEFAULT = "DEFAULT";
    private static final String STORE = "glance_store";
    private static final String LIMITS = "project_limits";
    private static final Set<String> LIMIT_OPTIONS =
            Set.of("image_count_total", "image_count_uploading", "image_size_total", "image_stage_total");
    private static final Set<String> BACKEND_OPTIONS = Set.of("filesystem_store_datadir", "filesystem_store_datadirs",
            "store_description", "weight", "filesystem_store_file_perm", "filesystem_store_chunk_size",
            "filesystem_thin_provisioning");
    /**
     * Options Glance has and Glimpse accepts without using, so that an existing glance-api.conf
     * loads without a wall of warnings (they belong to the REST server, Keystone or oslo.log).
     */
    private static final Map<String, Set<String>> IGNORED = Map.of(
            DEFAULT, Set.of("bind_host", "bind_port", "workers", "debug", "verbose", "log_file", "log_dir",
                    "use_keystone_limits", "transport_url", "public_endpoint", "enabled_import_methods",
                    "node_staging_uri", "worker_self_reference_url", "do_secure_hash", "http_retries"),
            STORE, Set.of("stores", "default_store", "filesystem_store_file_perm", "filesystem_store_chunk_size",
                    "filesystem_thin_provisioning"));
    private static final Set<String> IGNORED_SECTIONS = Set.of("keystone_authtoken", "paste_deploy", "oslo_messaging_notifications",
            "oslo_concurrency", "oslo_middleware", "cors", "profiler", "oslo_limit", "os_glance_staging_store",
            "os_glance_tasks_store", "wsgi", "task", "taskflow_executor", "image_import_opts", "import_filtering_opts");

    private final GlimpseConfig.Builder builder = GlimpseConfig.builder();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Map<String, IniFile.Value>> merged = new LinkedHashMap<>();
    private final Map<String, String> backendTypes = new LinkedHashMap<>();

    private ConfigLoader() {}

    /** Loads the files in order over the defaults. */
    public static GlimpseConfig load(List<Path> files) {
        ConfigLoader loader = new ConfigLoader();
        for (Path file : files) {
            IniFile ini = IniFile.parse(read(file), file.toString());
            loader.warnings.addAll(ini.warnings());
            ini.sections().forEach((section, options) ->
                    loader.merged.computeIfAbsent(section, s -> new LinkedHashMap<>()).putAll(options));
        }
        return loader.apply();
    }

    private static String read(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidConfigException(file.toString(), null, null, "not valid UTF-8");
        } catch (IOException e) {
            throw new InvalidConfigException(file.toString(), null, null, "cannot be read: " + e);
        }
    }

    private GlimpseConfig apply() {
        Map<String, BiConsumer<String, IniFile.Value>> defaults = new HashMap<>();
        defaults.put("hashing_algorithm", (o, v) -> builder.hashingAlgorithm(v.text().strip()));
        defaults.put("limit_param_default", (o, v) -> builder.limitParamDefault(integer(v)));
        defaults.put("api_limit_max", (o, v) -> builder.apiLimitMax(integer(v)));
        defaults.put("show_image_direct_url", (o, v) -> builder.showImageDirectUrl(bool(v)));
        defaults.put("show_multiple_locations", (o, v) -> builder.showMultipleLocations(bool(v)));
        defaults.put("image_size_cap", (o, v) -> builder.imageSizeCap(size(v, 1)));
        defaults.put("user_storage_quota", (o, v) -> builder.userStorageQuota(size(v, 1)));
        defaults.put("image_property_quota", (o, v) -> builder.imagePropertyQuota(integer(v)));
        defaults.put("image_tag_quota", (o, v) -> builder.imageTagQuota(integer(v)));
        defaults.put("image_member_quota", (o, v) -> builder.imageMemberQuota(integer(v)));
        defaults.put("image_location_quota", (o, v) -> builder.imageLocationQuota(integer(v)));
        defaults.put("delayed_delete", (o, v) -> builder.delayedDelete(bool(v)));
        defaults.put("scrub_time", (o, v) -> builder.scrubTime(Duration.ofSeconds(integer(v))));
        defaults.put("scrub_pool_size", (o, v) -> builder.scrubPoolSize(integer(v)));
        defaults.put("wakeup_time", (o, v) -> builder.wakeupTime(Duration.ofSeconds(integer(v))));
        defaults.put("default_publisher_id", (o, v) -> builder.defaultPublisherId(v.text().strip()));
        defaults.put("disabled_notifications", (o, v) -> builder.disabledNotifications(list(v)));
        defaults.put("enabled_backends", (o, v) -> enabledBackends(v));
        section(DEFAULT, defaults);

        Map<String, BiConsumer<String, IniFile.Value>> store = new HashMap<>();
        store.put("enabled_backends", (o, v) -> enabledBackends(v));
        store.put("default_backend", (o, v) -> { });
        store.put("filesystem_store_datadir", (o, v) -> builder.filesystemStoreDatadir(path(v)));
        store.put("filesystem_store_datadirs", (o, v) -> builder.filesystemStoreDatadirs(dataDirectories(v)));
        section(STORE, store);

        Map<String, BiConsumer<String, IniFile.Value>> formats = new HashMap<>();
        formats.put("disk_formats", (o, v) -> builder.diskFormats(list(v)));
        formats.put("container_formats", (o, v) -> builder.containerFormats(list(v)));
        formats.put("require_image_format_match", (o, v) -> builder.requireImageFormatMatch(bool(v)));
        section("image_format", formats);

        section("oslo_policy", Map.of("policy_file", (o, v) -> {
            Path policy = path(v);
            if (!Files.isRegularFile(policy)) {
                throw new IllegalArgumentException("policy file " + policy + " does not exist");
            }
            builder.policyFile(policy);
        }, "enforce_new_defaults", (o, v) -> {
            if (!bool(v)) {
                throw new IllegalArgumentException("only the new (S-RBAC) default rules are supported;"
                        + " write legacy rules into the policy file instead");
            }
        }, "enforce_scope", (o, v) -> bool(v)));

        section("database", Map.of("connection", (o, v) -> builder.databaseConnection(v.text())));

        limits();
        backendSections();

        for (String section : merged.keySet()) {
            if (!isKnownSection(section)) {
                warn(null, section, null, "unknown section; its options are ignored");
            }
        }
        builder.warnings(warnings);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            String option = e.getMessage().startsWith("limit_param_default") ? "limit_param_default" : "default_backend";
            IniFile.Value value = find(option.equals("default_backend") ? STORE : DEFAULT, option);
            throw new InvalidConfigException(value == null ? null : value.file(),
                    option.equals("default_backend") ? STORE : DEFAULT, option, e.getMessage());
        }
    }

    private boolean isKnownSection(String section) {
        return section.equals(DEFAULT) || section.equals(STORE) || section.equals("image_format")
                || section.equals("oslo_policy") || section.equals("database") || section.equals(LIMITS)
                || section.startsWith(LIMITS + ":") || IGNORED_SECTIONS.contains(section)
                || backendIds().contains(section);
    }

    private Set<String> backendIds() {
        return backendTypes.keySet();
    }

    private void section(String name, Map<String, BiConsumer<String, IniFile.Value>> handlers) {
        Map<String, IniFile.Value> options = merged.getOrDefault(name, Map.of());
        for (Map.Entry<String, IniFile.Value> option : options.entrySet()) {
            BiConsumer<String, IniFile.Value> handler = handlers.get(option.getKey());
            if (handler == null) {
                if (!IGNORED.getOrDefault(name, Set.of()).contains(option.getKey())) {
                    warn(option.getValue().file(), name, option.getKey(), "unknown option; ignored");
                }
                continue;
            }
            run(name, option.getKey(), option.getValue(), handler);
        }
    }

    private static void run(String section, String option, IniFile.Value value, BiConsumer<String, IniFile.Value> handler) {
        try {
            handler.accept(option, value);
        } catch (InvalidConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(value.file(), section, option,
                    "line " + value.line() + ": " + e.getMessage());
        }
    }

    private void enabledBackends(IniFile.Value value) {
        for (String entry : list(value)) {
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("'" + entry + "' is not id:type");
            }
            String id = entry.substring(0, colon).strip();
            String type = entry.substring(colon + 1).strip();
            if (id.startsWith("os_glance_")) {
                throw new IllegalArgumentException("backend id '" + id
                        + "' is reserved (ids starting with os_glance_ are Glance's own stores)");
            }
            if (backendTypes.putIfAbsent(id, type) != null) {
                throw new IllegalArgumentException("backend id '" + id + "' appears twice");
            }
        }
    }

    /** Builds each enabled backend from its own section, then sets default_backend. */
    private void backendSections() {
        for (Map.Entry<String, String> backend : backendTypes.entrySet()) {
            String id = backend.getKey();
            String type = backend.getValue();
            Map<String, IniFile.Value> options = merged.getOrDefault(id, Map.of());
            String[] description = {null};
            int[] weight = {0};
            List<StoreBackend.DataDirectory> dirs = new ArrayList<>();
            for (Map.Entry<String, IniFile.Value> option : options.entrySet()) {
                String key = option.getKey();
                IniFile.Value v = option.getValue();
                if (!BACKEND_OPTIONS.contains(key)) {
                    warn(v.file(), id, key, "unknown option; ignored");
                    continue;
                }
                run(id, key, v, (o, val) -> {
                    switch (o) {
                        case "store_description" -> description[0] = val.text().strip();
                        case "weight" -> weight[0] = integer(val);
                        case "filesystem_store_datadir" -> dirs.add(0, new StoreBackend.DataDirectory(path(val), 0));
                        case "filesystem_store_datadirs" -> dirs.addAll(dataDirectories(val));
                        default -> { }
                    }
                });
            }
            if (type.equals("file") && dirs.isEmpty()) {
                IniFile.Value declared = find(DEFAULT, "enabled_backends");
                throw new InvalidConfigException(declared == null ? null : declared.file(), id,
                        "filesystem_store_datadir", "backend '" + id + "' is of type file but section [" + id
                                + "] sets neither filesystem_store_datadir nor filesystem_store_datadirs");
            }
            builder.addBackend(new StoreBackend(id, type, description[0], weight[0], dirs));
        }
        IniFile.Value defaultBackend = find(STORE, "default_backend");
        if (defaultBackend != null) {
            builder.defaultBackend(defaultBackend.text().strip());
        }
    }

    private void limits() {
        ProjectLimits defaults = limitSection(LIMITS, ProjectLimits.UNLIMITED);
        builder.defaultProjectLimits(defaults);
        for (String section : merged.keySet()) {
            if (section.startsWith(LIMITS + ":")) {
                String project = section.substring(LIMITS.length() + 1).strip();
                if (project.isEmpty()) {
                    throw new InvalidConfigException(null, section, null, "section names no project id");
                }
                builder.projectLimits(project, limitSection(section, defaults));
            }
        }
    }

    private ProjectLimits limitSection(String section, ProjectLimits base) {
        long[] values = {base.imageCountTotal(), base.imageCountUploading(), base.imageSizeTotalBytes(),
                base.imageStageTotalBytes()};
        for (Map.Entry<String, IniFile.Value> option : merged.getOrDefault(section, Map.of()).entrySet()) {
            if (!LIMIT_OPTIONS.contains(option.getKey())) {
                warn(option.getValue().file(), section, option.getKey(), "unknown option; ignored");
                continue;
            }
            run(section, option.getKey(), option.getValue(), (o, v) -> {
                switch (o) {
                    case "image_count_total" -> values[0] = integer(v);
                    case "image_count_uploading" -> values[1] = integer(v);
                    // Keystone's image_size_total and image_stage_total count MiB.
                    case "image_size_total" -> values[2] = signedSize(v, 1L << 20);
                    case "image_stage_total" -> values[3] = signedSize(v, 1L << 20);
                    default -> { }
                }
            });
        }
        return new ProjectLimits(values[0], values[1], values[2], values[3]);
    }

    private IniFile.@Nullable Value find(String section, String option) {
        return merged.getOrDefault(section, Map.of()).get(option);
    }

    private void warn(@Nullable String file, String section, @Nullable String option, String message) {
        String warning = (file == null ? "" : file + " ") + "[" + section + "]" + (option == null ? "" : " " + option)
                + ": " + message;
        LOG.warn(warning);
        warnings.add(warning);
    }

    static int integer(IniFile.Value value) {
        String text = value.text().strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an integer");
        }
    }

    static boolean bool(IniFile.Value value) {
        return switch (value.text().strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("'" + value.text().strip()
                    + "' is not a boolean (true/false, yes/no, on/off, 1/0)");
        };
    }

    static List<String> list(IniFile.Value value) {
        String text = value.text().strip();
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\n]")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A size: digits with an optional binary unit K, M, G or T (optionally followed by B or iB). */
    static long size(IniFile.Value value, long unitWithoutSuffix) {
        String text = value.text().strip();
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 1073741824, 500M, 1G, 2TB)");
        }
        long unit = m.group(2) == null ? (m.group(3) == null ? unitWithoutSuffix : 1)
                : switch (Character.toUpperCase(m.group(2).charAt(0))) {
                    case 'K' -> 1L << 10;
                    case 'M' -> 1L << 20;
                    case 'G' -> 1L << 30;
                    default -> 1L << 40;
                };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    private static long signedSize(IniFile.Value value, long unitWithoutSuffix) {
        String text = value.text().strip();
        if (text.startsWith("-")) {
            integer(value);
            return -1;
        }
        return size(value, unitWithoutSuffix);
    }

    static Path path(IniFile.Value value) {
        String text = value.text().strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a path is required");
        }
        Path path = Path.of(text);
        if (!path.isAbsolute()) {
            Path parent = Path.of(value.file()).toAbsolutePath().getParent();
            path = parent == null ? path.toAbsolutePath() : parent.resolve(path);
        }
        return path.normalize();
    }

    static List<StoreBackend.DataDirectory> dataDirectories(IniFile.Value value) {
        List<StoreBackend.DataDirectory> dirs = new ArrayList<>();
        for (String entry : list(value)) {
            int colon = entry.lastIndexOf(':');
            String dir = entry;
            int priority = 0;
            if (colon > 0) {
                String suffix = entry.substring(colon + 1).strip();
                if (suffix.matches("-?\\d+")) {
                    dir = entry.substring(0, colon).strip();
                    priority = Integer.parseInt(suffix);
                }
            }
            dirs.add(new StoreBackend.DataDirectory(path(new IniFile.Value(dir, value.file(), value.line())), priority));
        }
        // Higher priority first, as glance_store fills them.
        dirs.sort((a, b) -> Integer.compare(b.priority(), a.priority()));
        return dirs;
    }
}
