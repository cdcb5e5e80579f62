package dev.glimpse.image.store.fs.internal;

import dev.glimpse.image.store.ImageStore;
import dev.glimpse.image.store.ImageStoreProvider;
import dev.glimpse.image.store.fs.FilesystemImageStore;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link FilesystemImageStore}s from Glance's {@code [glance_store]} file options, on the
 * default file system: {@code filesystem_store_datadir}, {@code filesystem_store_datadirs}
 * ({@code path:priority} entries, comma- or newline-separated), {@code filesystem_store_file_perm}
 * (octal, 0 keeps the default), {@code filesystem_thin_provisioning},
 * {@code filesystem_store_chunk_size}; {@code store_description} and {@code weight} are accepted.
 */
public final class FilesystemStoreProvider implements ImageStoreProvider {
    private static final Set<String> KNOWN = Set.of("filesystem_store_datadir", "filesystem_store_datadirs",
            "filesystem_store_file_perm", "filesystem_thin_provisioning", "filesystem_store_chunk_size",
            "store_description", "weight");

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public FilesystemStoreProvider() {}

    @Override
    public String type() {
        return FilesystemImageStore.TYPE;
    }

    @Override
    public ImageStore create(String storeId, Map<String, String> options) throws IOException {
        Options opts = new Options(storeId, options, KNOWN);
        FilesystemImageStore.Builder builder = FilesystemImageStore.builder(storeId);
        String single = opts.get("filesystem_store_datadir");
        String multiple = opts.get("filesystem_store_datadirs");
        if (single != null && multiple != null) {
            throw new IllegalArgumentException("store '" + storeId
                    + "' sets both filesystem_store_datadir and filesystem_store_datadirs; use one");
        }
        if (single == null && multiple == null) {
            throw new IllegalArgumentException("store '" + storeId
                    + "' needs filesystem_store_datadir or filesystem_store_datadirs");
        }
        if (single != null) {
            builder.dataDirectory(Path.of(single));
        } else {
            for (String entry : multiple.split("[,\\n]")) {
                String trimmed = entry.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int colon = trimmed.lastIndexOf(':');
                int priority = 0;
                String path = trimmed;
                if (colon > 0 && trimmed.substring(colon + 1).matches("-?\\d+")) {
                    priority = Integer.parseInt(trimmed.substring(colon + 1));
                    path = trimmed.substring(0, colon);
                }
                builder.dataDirectory(Path.of(path), priority);
            }
        }
        String perm = opts.get("filesystem_store_file_perm");
        if (perm != null) {
            int mode;
            try {
                mode = Integer.parseInt(perm, 8);
            } catch (NumberFormatException e) {
                throw opts.bad("filesystem_store_file_perm", perm, "an octal mode such as 0640");
            }
            if (mode < 0 || mode > 0777) {
                throw opts.bad("filesystem_store_file_perm", perm, "an octal mode between 0 and 0777");
            }
            if (mode != 0) {
                builder.filePermissions(permissions(mode));
            }
        }
        builder.thinProvisioning(opts.bool("filesystem_thin_provisioning", false));
        String chunk = opts.get("filesystem_store_chunk_size");
        if (chunk != null) {
            builder.chunkSize(opts.integer("filesystem_store_chunk_size", 0));
        }
        return builder.build();
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
