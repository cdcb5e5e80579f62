package dev.glimpse.image.config;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Every option of a Glimpse service, with Glance's defaults. Immutable and thread-safe; build one
 * with {@link #builder()} or read INI files with {@link #load(Path...)}.
 *
 * <p>File layout (later files override earlier ones, as with repeated {@code --config-file}):
 * <pre>
 * [DEFAULT]
 * hashing_algorithm = sha512          # hashlib name: md5 sha1 sha224 sha256 sha384 sha512 sha3_*
 * limit_param_default = 25
 * api_limit_max = 1000
 * show_image_direct_url = false
 * show_multiple_locations = false
 * image_size_cap = 1099511627776      # bytes; units K, M, G, T (binary) allowed: 1T
 * user_storage_quota = 0              # bytes or 10G; 0 = unlimited
 * image_property_quota = 128          # negative = unlimited
 * image_tag_quota = 128
 * image_member_quota = 128
 * image_location_quota = 10
 * delayed_delete = false
 * scrub_time = 0                      # seconds an image stays pending_delete before its data is deleted
 * scrub_pool_size = 1
 * wakeup_time = 300                   # seconds between scrubber runs when run as a background service
 * enabled_backends = fast:file, cheap:file
 * default_publisher_id = image.localhost
 * disabled_notifications = image.send, metadef_tag
 *
 * [glance_store]
 * default_backend = fast
 * filesystem_store_datadir = /var/lib/glance/images    # single-store layout
 * filesystem_store_datadirs = /a:100, /b:50             # alternative: several directories
 *
 * [fast]                              # one section per enabled backend
 * filesystem_store_datadir = /ssd/images
 * store_description = SSD
 * weight = 100
 *
 * [image_format]
 * disk_formats = ami,ari,aki,vhd,vhdx,vmdk,raw,qcow2,vdi,iso,ploop
 * container_formats = ami,ari,aki,bare,ovf,ova,docker,compressed
 * require_image_format_match = true
 *
 * [oslo_policy]
 * policy_file = policy.yaml           # relative paths are resolved against the config file's directory
 *
 * [database]
 * connection = file:///var/lib/glimpse/catalogue   # or memory: (default); later jdbc:...
 *
 * [project_limits]                    # Keystone-style registered limits, for every project
 * image_count_total = 100             # negative = unlimited (the default for all four)
 * image_count_uploading = 10
 * image_size_total = 1024             # MiB, as Keystone's unified limits count; or 1T
 * image_stage_total = 1024            # MiB; or 500G
 *
 * [project_limits:PROJECT_ID]         # per-project overrides of any of the four
 * image_size_total = 10G
 * </pre>
 * Values: booleans {@code true/false/yes/no/on/off/1/0}; lists comma separated; comments are
 * lines starting with {@code #} or {@code ;} (as in oslo.config, text after a value is part of the
 * value). Invalid values are refused with {@link InvalidConfigException} naming the file, section
 * and option; unknown options and sections are logged at WARN and listed in {@link #warnings()}.
 */
public final class GlimpseConfig {
    /** Glance's default {@code image_size_cap}: 1 TiB. */
    public static final long DEFAULT_IMAGE_SIZE_CAP = 1L << 40;

    private static final Map<String, String> DIGESTS = Map.ofEntries(
            Map.entry("md5", "MD5"), Map.entry("sha1", "SHA-1"), Map.entry("sha224", "SHA-224"),
            Map.entry("sha256", "SHA-256"), Map.entry("sha384", "SHA-384"), Map.entry("sha512", "SHA-512"),
            Map.entry("sha3_224", "SHA3-224"), Map.entry("sha3_256", "SHA3-256"),
            Map.entry("sha3_384", "SHA3-384"), Map.entry("sha3_512", "SHA3-512"));

    private final String hashingAlgorithm;
    private final int limitParamDefault;
    private final int apiLimitMax;
    private final boolean showImageDirectUrl;
    private final boolean showMultipleLocations;
    private final long imageSizeCap;
    private final long userStorageQuota;
    private final int imagePropertyQuota;
    private final int imageTagQuota;
    private final int imageMemberQuota;
    private final int imageLocationQuota;
    private final boolean delayedDelete;
    private final Duration scrubTime;
    private final int scrubPoolSize;
    private final Duration wakeupTime;
    private final String defaultPublisherId;
    private final List<String> disabledNotifications;
    private final Map<String, StoreBackend> enabledBackends;
    private final @Nullable String defaultBackend;
    private final Path filesystemStoreDatadir;
    private final List<StoreBackend.DataDirectory> filesystemStoreDatadirs;
    private final List<String> diskFormats;
    private final List<String> containerFormats;
    private final boolean requireImageFormatMatch;
    private final @Nullable Path policyFile;
    private final String databaseConnection;
    private final ProjectLimits defaultProjectLimits;
    private final Map<String, ProjectLimits> projectLimits;
    private final List<String> warnings;

    private GlimpseConfig(Builder b) {
        this.hashingAlgorithm = b.hashingAlgorithm;
        this.limitParamDefault = b.limitParamDefault;
        this.apiLimitMax = b.apiLimitMax;
        this.showImageDirectUrl = b.showImageDirectUrl;
        this.showMultipleLocations = b.showMultipleLocations;
        this.imageSizeCap = b.imageSizeCap;
        this.userStorageQuota = b.userStorageQuota;
        this.imagePropertyQuota = b.imagePropertyQuota;
        this.imageTagQuota = b.imageTagQuota;
        this.imageMemberQuota = b.imageMemberQuota;
        this.imageLocationQuota = b.imageLocationQuota;
        this.delayedDelete = b.delayedDelete;
        this.scrubTime = b.scrubTime;
        this.scrubPoolSize = b.scrubPoolSize;
        this.wakeupTime = b.wakeupTime;
        this.defaultPublisherId = b.defaultPublisherId;
        this.disabledNotifications = List.copyOf(b.disabledNotifications);
        this.enabledBackends = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.enabledBackends));
        this.defaultBackend = b.defaultBackend;
        this.filesystemStoreDatadir = b.filesystemStoreDatadir;
        this.filesystemStoreDatadirs = List.copyOf(b.filesystemStoreDatadirs);
        this.diskFormats = List.copyOf(b.diskFormats);
        this.containerFormats = List.copyOf(b.containerFormats);
        this.requireImageFormatMatch = b.requireImageFormatMatch;
        this.policyFile = b.policyFile;
        this.databaseConnection = b.databaseConnection;
        this.defaultProjectLimits = b.defaultProjectLimits;
        this.projectLimits = Map.copyOf(b.projectLimits);
        this.warnings = List.copyOf(b.warnings);
    }

    /** A configuration with every option at its default. */
    public static GlimpseConfig defaults() {
        return builder().build();
    }

    /** Returns a builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised with this configuration's values (warnings are not carried over). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hashingAlgorithm = hashingAlgorithm;
        b.limitParamDefault = limitParamDefault;
        b.apiLimitMax = apiLimitMax;
        b.showImageDirectUrl = showImageDirectUrl;
        b.showMultipleLocations = showMultipleLocations;
        b.imageSizeCap = imageSizeCap;
        b.userStorageQuota = userStorageQuota;
        b.imagePropertyQuota = imagePropertyQuota;
        b.imageTagQuota = imageTagQuota;
        b.imageMemberQuota = imageMemberQuota;
        b.imageLocationQuota = imageLocationQuota;
        b.delayedDelete = delayedDelete;
        b.scrubTime = scrubTime;
        b.scrubPoolSize = scrubPoolSize;
        b.wakeupTime = wakeupTime;
        b.defaultPublisherId = defaultPublisherId;
        b.disabledNotifications = disabledNotifications;
        b.enabledBackends = new LinkedHashMap<>(enabledBackends);
        b.defaultBackend = defaultBackend;
        b.filesystemStoreDatadir = filesystemStoreDatadir;
        b.filesystemStoreDatadirs = filesystemStoreDatadirs;
        b.diskFormats = diskFormats;
        b.containerFormats = containerFormats;
        b.requireImageFormatMatch = requireImageFormatMatch;
        b.policyFile = policyFile;
        b.databaseConnection = databaseConnection;
        b.defaultProjectLimits = defaultProjectLimits;
        b.projectLimits = new LinkedHashMap<>(projectLimits);
        return b;
    }

    /**
     * Reads INI files, later files overriding earlier ones, over the defaults.
     *
     * @throws InvalidConfigException if a file cannot be read or a value is invalid; the exception
     *     names the file, section and option
     */
    public static GlimpseConfig load(Path... files) {
        return ConfigLoader.load(List.of(files));
    }

    /** {@code hashing_algorithm}: the hashlib name of the multihash algorithm ({@code os_hash_algo}). */
    public String hashingAlgorithm() {
        return hashingAlgorithm;
    }

    /** The {@link java.security.MessageDigest} name of {@link #hashingAlgorithm()}, e.g. {@code SHA-512}. */
    public String hashingAlgorithmJavaName() {
        return DIGESTS.get(hashingAlgorithm);
    }

    /** The hashlib names accepted for {@code hashing_algorithm}. */
    public static Set<String> supportedHashingAlgorithms() {
        return DIGESTS.keySet();
    }

    /** {@code limit_param_default}: page size of a list without a limit. */
    public int limitParamDefault() {
        return limitParamDefault;
    }

    /** {@code api_limit_max}: the largest page size a list returns. */
    public int apiLimitMax() {
        return apiLimitMax;
    }

    /** {@code show_image_direct_url}: whether images show {@code direct_url}. */
    public boolean showImageDirectUrl() {
        return showImageDirectUrl;
    }

    /** {@code show_multiple_locations}: whether images show and accept {@code locations}. */
    public boolean showMultipleLocations() {
        return showMultipleLocations;
    }

    /** {@code image_size_cap}: the largest image in bytes. */
    public long imageSizeCap() {
        return imageSizeCap;
    }

    /** {@code user_storage_quota}: total bytes a project may store; 0 means unlimited. */
    public long userStorageQuota() {
        return userStorageQuota;
    }

    /** {@code image_property_quota}: extra properties per image; negative means unlimited. */
    public int imagePropertyQuota() {
        return imagePropertyQuota;
    }

    /** {@code image_tag_quota}: tags per image; negative means unlimited. */
    public int imageTagQuota() {
        return imageTagQuota;
    }

    /** {@code image_member_quota}: members per image; negative means unlimited. */
    public int imageMemberQuota() {
        return imageMemberQuota;
    }

    /** {@code image_location_quota}: locations per image; negative means unlimited. */
    public int imageLocationQuota() {
        return imageLocationQuota;
    }

    /** {@code delayed_delete}: whether deleting an image with data leaves it pending_delete for the scrubber. */
    public boolean delayedDelete() {
        return delayedDelete;
    }

    /** {@code scrub_time}: how long an image stays pending_delete before the scrubber deletes its data. */
    public Duration scrubTime() {
        return scrubTime;
    }

    /** {@code scrub_pool_size}: how many images the scrubber deletes in parallel. */
    public int scrubPoolSize() {
        return scrubPoolSize;
    }

    /** {@code wakeup_time}: the interval between scrubber runs when it runs in the background. */
    public Duration wakeupTime() {
        return wakeupTime;
    }

    /** {@code default_publisher_id}: the publisher id of events. */
    public String defaultPublisherId() {
        return defaultPublisherId;
    }

    /** {@code disabled_notifications}: event names or groups that are not sent. */
    public List<String> disabledNotifications() {
        return disabledNotifications;
    }

    /** {@code enabled_backends} with each backend's section, by id, in file order. Empty: single store. */
    public Map<String, StoreBackend> enabledBackends() {
        return enabledBackends;
    }

    /** {@code [glance_store] default_backend}: where uploads go when several backends are enabled. */
    public Optional<String> defaultBackend() {
        return Optional.ofNullable(defaultBackend);
    }

    /** {@code [glance_store] filesystem_store_datadir} of the single-store layout. */
    public Path filesystemStoreDatadir() {
        return filesystemStoreDatadir;
    }

    /** {@code [glance_store] filesystem_store_datadirs}; when not empty it replaces the single directory. */
    public List<StoreBackend.DataDirectory> filesystemStoreDatadirs() {
        return filesystemStoreDatadirs;
    }

    /** {@code [image_format] disk_formats}: the disk formats images may declare. */
    public List<String> diskFormats() {
        return diskFormats;
    }

    /** {@code [image_format] container_formats}: the container formats images may declare. */
    public List<String> containerFormats() {
        return containerFormats;
    }

    /** {@code [image_format] require_image_format_match}: refuse data whose format differs from disk_format. */
    public boolean requireImageFormatMatch() {
        return requireImageFormatMatch;
    }

    /** {@code [oslo_policy] policy_file}: rules over the defaults; absent means the defaults alone. */
    public Optional<Path> policyFile() {
        return Optional.ofNullable(policyFile);
    }

    /**
     * {@code [database] connection}: where the catalogue lives: {@code memory:} (the default,
     * lost at exit), {@code file:///path} (the file-backed repository in that directory), or a
     * {@code jdbc:} URL for a future JDBC catalogue.
     */
    public String databaseConnection() {
        return databaseConnection;
    }

    /** The directory of a {@code file:} database connection, if that is the kind configured. */
    public Optional<Path> databaseDirectory() {
        if (!databaseConnection.startsWith("file:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(java.net.URI.create(databaseConnection)));
    }

    /** The limits in {@code [project_limits]}, which apply to every project without its own section. */
    public ProjectLimits defaultProjectLimits() {
        return defaultProjectLimits;
    }

    /** The per-project overrides ({@code [project_limits:ID]}), merged with the defaults, by project id. */
    public Map<String, ProjectLimits> projectLimitOverrides() {
        return projectLimits;
    }

    /** The limits that apply to a project. */
    public ProjectLimits limitsFor(String projectId) {
        return projectLimits.getOrDefault(Objects.requireNonNull(projectId, "projectId"), defaultProjectLimits);
    }

    /** Warnings from loading: unknown sections and options, repeated options. Empty for a built config. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "GlimpseConfig{database=" + databaseConnection + ", delayed_delete=" + delayedDelete
                + ", image_size_cap=" + imageSizeCap + ", backends=" + enabledBackends.keySet() + "}";
    }

    /**
     * Builds a {@link GlimpseConfig}. Setters check their argument and throw
     * {@link IllegalArgumentException} naming the option; {@link #build()} checks options that
     * depend on each other. Not thread-safe.
     */
    public static final class Builder {
        private String hashingAlgorithm = "sha512";
        private int limitParamDefault = 25;
        private int apiLimitMax = 1000;
        private boolean showImageDirectUrl;
        private boolean showMultipleLocations;
        private long imageSizeCap = DEFAULT_IMAGE_SIZE_CAP;
        private long userStorageQuota;
        private int imagePropertyQuota = 128;
        private int imageTagQuota = 128;
        private int imageMemberQuota = 128;
        private int imageLocationQuota = 10;
        private boolean delayedDelete;
        private Duration scrubTime = Duration.ZERO;
        private int scrubPoolSize = 1;
        private Duration wakeupTime = Duration.ofSeconds(300);
        private String defaultPublisherId = "image.localhost";
        private List<String> disabledNotifications = List.of();
        private Map<String, StoreBackend> enabledBackends = new LinkedHashMap<>();
        private @Nullable String defaultBackend;
        private Path filesystemStoreDatadir = Path.of("/var/lib/glance/images");
        private List<StoreBackend.DataDirectory> filesystemStoreDatadirs = List.of();
        private List<String> diskFormats = Arrays.stream(DiskFormat.values()).map(DiskFormat::wireName).toList();
        private List<String> containerFormats =
                Arrays.stream(ContainerFormat.values()).map(ContainerFormat::wireName).toList();
        private boolean requireImageFormatMatch = true;
        private @Nullable Path policyFile;
        private String databaseConnection = "memory:";
        private ProjectLimits defaultProjectLimits = ProjectLimits.UNLIMITED;
        private Map<String, ProjectLimits> projectLimits = new LinkedHashMap<>();
        private List<String> warnings = List.of();

        private Builder() {}

        /** Sets {@code hashing_algorithm} (a hashlib name, see {@link #supportedHashingAlgorithms()}). */
        public Builder hashingAlgorithm(String name) {
            Objects.requireNonNull(name, "hashing_algorithm");
            String normalized = name.toLowerCase(Locale.ROOT);
            if (!DIGESTS.containsKey(normalized)) {
                throw new IllegalArgumentException("hashing_algorithm '" + name + "' is not supported; expected one of "
                        + DIGESTS.keySet().stream().sorted().collect(Collectors.joining(", ")));
            }
            this.hashingAlgorithm = normalized;
            return this;
        }

        /** Sets {@code limit_param_default} (at least 1). */
        public Builder limitParamDefault(int value) {
            this.limitParamDefault = atLeast("limit_param_default", value, 1);
            return this;
        }

        /** Sets {@code api_limit_max} (at least 1). */
        public Builder apiLimitMax(int value) {
            this.apiLimitMax = atLeast("api_limit_max", value, 1);
            return this;
        }

        /** Sets {@code show_image_direct_url}. */
        public Builder showImageDirectUrl(boolean value) {
            this.showImageDirectUrl = value;
            return this;
        }

        /** Sets {@code show_multiple_locations}. */
        public Builder showMultipleLocations(boolean value) {
            this.showMultipleLocations = value;
            return this;
        }

        /** Sets {@code image_size_cap} in bytes (at least 1). */
        public Builder imageSizeCap(long bytes) {
            this.imageSizeCap = atLeast("image_size_cap", bytes, 1);
            return this;
        }

        /** Sets {@code user_storage_quota} in bytes (0 = unlimited). */
        public Builder userStorageQuota(long bytes) {
            this.userStorageQuota = atLeast("user_storage_quota", bytes, 0);
            return this;
        }

        /** Sets {@code image_property_quota} (negative = unlimited). */
        public Builder imagePropertyQuota(int value) {
            this.imagePropertyQuota = value;
            return this;
        }

        /** Sets {@code image_tag_quota} (negative = unlimited). */
        public Builder imageTagQuota(int value) {
            this.imageTagQuota = value;
            return this;
        }

        /** Sets {@code image_member_quota} (negative = unlimited). */
        public Builder imageMemberQuota(int value) {
            this.imageMemberQuota = value;
            return this;
        }

        /** Sets {@code image_location_quota} (negative = unlimited). */
        public Builder imageLocationQuota(int value) {
            this.imageLocationQuota = value;
            return this;
        }

        /** Sets {@code delayed_delete}. */
        public Builder delayedDelete(boolean value) {
            this.delayedDelete = value;
            return this;
        }

        /** Sets {@code scrub_time} (not negative). */
        public Builder scrubTime(Duration value) {
            Objects.requireNonNull(value, "scrub_time");
            if (value.isNegative()) {
                throw new IllegalArgumentException("scrub_time must not be negative, was " + value);
            }
            this.scrubTime = value;
            return this;
        }

        /** Sets {@code scrub_pool_size} (at least 1). */
        public Builder scrubPoolSize(int value) {
            this.scrubPoolSize = atLeast("scrub_pool_size", value, 1);
            return this;
        }

        /** Sets {@code wakeup_time} (positive). */
        public Builder wakeupTime(Duration value) {
            Objects.requireNonNull(value, "wakeup_time");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("wakeup_time must be positive, was " + value);
            }
            this.wakeupTime = value;
            return this;
        }

        /** Sets {@code default_publisher_id}. */
        public Builder defaultPublisherId(String value) {
            this.defaultPublisherId = requireText("default_publisher_id", value);
            return this;
        }

        /** Sets {@code disabled_notifications}: event names ({@code image.send}) or groups ({@code image.member}). */
        public Builder disabledNotifications(List<String> value) {
            this.disabledNotifications = List.copyOf(value);
            return this;
        }

        /**
         * Adds a backend to {@code enabled_backends}.
         *
         * @throws IllegalArgumentException if the id is reserved ({@code os_glance_} prefix) or already used
         */
        public Builder addBackend(StoreBackend backend) {
            Objects.requireNonNull(backend, "backend");
            if (backend.id().startsWith("os_glance_")) {
                throw new IllegalArgumentException("enabled_backends: backend id '" + backend.id()
                        + "' is reserved (ids starting with os_glance_ are Glance's own stores)");
            }
            if (enabledBackends.putIfAbsent(backend.id(), backend) != null) {
                throw new IllegalArgumentException("enabled_backends: backend id '" + backend.id() + "' appears twice");
            }
            return this;
        }

        /** Sets {@code default_backend}, or null for none. */
        public Builder defaultBackend(@Nullable String value) {
            this.defaultBackend = value;
            return this;
        }

        /** Sets {@code filesystem_store_datadir}. */
        public Builder filesystemStoreDatadir(Path value) {
            this.filesystemStoreDatadir = Objects.requireNonNull(value, "filesystem_store_datadir");
            return this;
        }

        /** Sets {@code filesystem_store_datadirs}. */
        public Builder filesystemStoreDatadirs(List<StoreBackend.DataDirectory> value) {
            this.filesystemStoreDatadirs = List.copyOf(value);
            return this;
        }

        /** Sets {@code disk_formats}; each must be a known disk format. */
        public Builder diskFormats(List<String> value) {
            for (String format : value) {
                DiskFormat.fromWireName(format);
            }
            this.diskFormats = value.stream().map(s -> s.toLowerCase(Locale.ROOT)).distinct().toList();
            return this;
        }

        /** Sets {@code container_formats}; each must be a known container format. */
        public Builder containerFormats(List<String> value) {
            for (String format : value) {
                ContainerFormat.fromWireName(format);
            }
            this.containerFormats = value.stream().map(s -> s.toLowerCase(Locale.ROOT)).distinct().toList();
            return this;
        }

        /** Sets {@code require_image_format_match}. */
        public Builder requireImageFormatMatch(boolean value) {
            this.requireImageFormatMatch = value;
            return this;
        }

        /** Sets {@code policy_file}, or null for the default rules alone. */
        public Builder policyFile(@Nullable Path value) {
            this.policyFile = value;
            return this;
        }

        /**
         * Sets {@code [database] connection}.
         *
         * @throws IllegalArgumentException unless it is {@code memory:}, an absolute {@code file:} URI
         *     or a {@code jdbc:} URL
         */
        public Builder databaseConnection(String value) {
            Objects.requireNonNull(value, "connection");
            String v = value.strip();
            if (v.equals("memory:") || v.equals("memory://")) {
                this.databaseConnection = "memory:";
                return this;
            }
            if (v.startsWith("file:")) {
                java.net.URI uri;
                try {
                    uri = new java.net.URI(v);
                    Path.of(uri);
                } catch (java.net.URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                    throw new IllegalArgumentException("connection '" + value
                            + "' is not an absolute file URI such as file:///var/lib/glimpse/catalogue", e);
                }
                this.databaseConnection = uri.toString();
                return this;
            }
            if (v.startsWith("jdbc:") && v.length() > "jdbc:".length()) {
                this.databaseConnection = v;
                return this;
            }
            throw new IllegalArgumentException("connection '" + value
                    + "' is not supported; expected memory:, file:///path or a jdbc: URL");
        }

        /** Sets the limits of {@code [project_limits]}, for every project without an override. */
        public Builder defaultProjectLimits(ProjectLimits value) {
            this.defaultProjectLimits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** Sets the complete limits of one project, replacing the defaults for it. */
        public Builder projectLimits(String projectId, ProjectLimits value) {
            this.projectLimits.put(requireText("project id", projectId), Objects.requireNonNull(value, "limits"));
            return this;
        }

        /** Sets the warnings to report; used by the file loader. */
        public Builder warnings(List<String> value) {
            this.warnings = List.copyOf(value);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException if options contradict each other: {@code limit_param_default}
         *     above {@code api_limit_max}, a {@code default_backend} that is not enabled, enabled
         *     backends without a {@code default_backend}
         */
        public GlimpseConfig build() {
            if (limitParamDefault > apiLimitMax) {
                throw new IllegalArgumentException("limit_param_default (" + limitParamDefault
                        + ") must not exceed api_limit_max (" + apiLimitMax + ")");
            }
            if (defaultBackend != null && !enabledBackends.containsKey(defaultBackend)) {
                throw new IllegalArgumentException("default_backend '" + defaultBackend
                        + "' is not one of enabled_backends " + enabledBackends.keySet());
            }
            if (defaultBackend == null && !enabledBackends.isEmpty()) {
                throw new IllegalArgumentException("default_backend must be set when enabled_backends is "
                        + enabledBackends.keySet());
            }
            return new GlimpseConfig(this);
        }

        private static int atLeast(String option, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
            }
            return value;
        }

        private static long atLeast(String option, long value, long min) {
            if (value < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
            }
            return value;
        }

        private static String requireText(String option, String value) {
            Objects.requireNonNull(value, option);
            if (value.isBlank()) {
                throw new IllegalArgumentException(option + " must not be blank");
            }
            return value;
        }
    }
}
