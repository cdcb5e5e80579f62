package dev.glimpse.image.store.fs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.image.ConflictException;
import dev.glimpse.image.ImageException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.internal.metadef.Replacement;
import dev.glimpse.image.metadef.MetadefDocuments;
import dev.glimpse.image.metadef.MetadefNamespace;
import dev.glimpse.image.metadef.ResourceType;
import dev.glimpse.image.spi.MetadefRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetadefRepository} in one JSON file, {@code metadefs.json}, in a directory.
 *
 * <p>Why one file: metadata definitions are few (tens of namespaces, a few hundred KiB) and change
 * rarely, while a rename or a resource type registration must be atomic with the namespace it
 * belongs to. Every change writes the whole catalogue to a temporary file in the same directory,
 * forces it to disk, and moves it over {@code metadefs.json} atomically, then forces the directory:
 * after a crash the file holds the state before or after the change, never a mix. Temporary files
 * left by a crash are removed when the repository is opened. A failed write changes nothing, on
 * disk or in memory.
 *
 * <p>Reads are served from memory. One repository instance owns its directory: two instances (or
 * processes) writing the same directory would overwrite each other's changes. Thread-safe.
 * Works on any {@link java.nio.file.FileSystem} that supports atomic moves (the default one,
 * Jimfs).
 */
public final class FileMetadefRepository implements MetadefRepository {
    private static final Logger LOG = LoggerFactory.getLogger(FileMetadefRepository.class);
    private static final String FILE = "metadefs.json";
    private static final String TEMP_PREFIX = FILE + ".tmp-";
    private static final String FORMAT = "glimpse-metadefs/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path directory;
    private final Path file;
    private Map<String, MetadefNamespace> namespaces;
    private Map<String, ResourceType> resourceTypes;

    private FileMetadefRepository(Path directory, Map<String, MetadefNamespace> namespaces,
            Map<String, ResourceType> resourceTypes) {
        this.directory = directory;
        this.file = directory.resolve(FILE);
        this.namespaces = namespaces;
        this.resourceTypes = resourceTypes;
    }

    /**
     * Opens the repository in {@code directory}, creating the directory if needed and reading
     * {@code metadefs.json} if it exists.
     *
     * @throws IOException if the directory cannot be created or the file cannot be read
     * @throws ImageException if the file is not a valid metadefs catalogue (it is left untouched)
     */
    public static FileMetadefRepository open(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Files.createDirectories(directory);
        removeLeftovers(directory);
        Path file = directory.resolve(FILE);
        Map<String, MetadefNamespace> namespaces = new LinkedHashMap<>();
        Map<String, ResourceType> resourceTypes = new LinkedHashMap<>();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new FileMetadefRepository(directory, namespaces, resourceTypes);
        }
        parse(file, content, namespaces, resourceTypes);
        return new FileMetadefRepository(directory, namespaces, resourceTypes);
    }

    /** The directory this repository owns. */
    public Path directory() {
        return directory;
    }

    @Override
    public synchronized List<MetadefNamespace> list() {
        return List.copyOf(namespaces.values());
    }

    @Override
    public synchronized Optional<MetadefNamespace> find(String namespace) {
        return Optional.ofNullable(namespaces.get(Objects.requireNonNull(namespace, "namespace")));
    }

    @Override
    public synchronized void create(MetadefNamespace namespace) {
        if (namespaces.containsKey(namespace.namespace())) {
            throw new ConflictException("a namespace named '" + namespace.namespace() + "' already exists");
        }
        Map<String, MetadefNamespace> next = new LinkedHashMap<>(namespaces);
        next.put(namespace.namespace(), namespace);
        commit(next, resourceTypes);
    }

    @Override
    public synchronized boolean replace(MetadefNamespace expected, MetadefNamespace updated) {
        Map<String, MetadefNamespace> next = Replacement.apply(namespaces, expected, updated);
        if (next == null) {
            return false;
        }
        commit(next, resourceTypes);
        return true;
    }

    @Override
    public synchronized void delete(String namespace) {
        if (!namespaces.containsKey(namespace)) {
            throw new NotFoundException("no namespace named '" + namespace + "'");
        }
        Map<String, MetadefNamespace> next = new LinkedHashMap<>(namespaces);
        next.remove(namespace);
        commit(next, resourceTypes);
    }

    @Override
    public synchronized List<ResourceType> resourceTypes() {
        return List.copyOf(resourceTypes.values());
    }

    @Override
    public synchronized boolean addResourceType(ResourceType type) {
        if (resourceTypes.containsKey(type.name())) {
            return false;
        }
        Map<String, ResourceType> next = new LinkedHashMap<>(resourceTypes);
        next.put(type.name(), type);
        commit(namespaces, next);
        return true;
    }

    @Override
    public String toString() {
        return "FileMetadefRepository{" + file + "}";
    }

    /** Writes the new state; only if that succeeds does it become the state in memory. */
    private void commit(Map<String, MetadefNamespace> nextNamespaces, Map<String, ResourceType> nextTypes) {
        byte[] content = serialize(nextNamespaces, nextTypes);
        Path temp = directory.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + directory + " cannot replace files atomically", e);
            }
            forceDirectory();
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot write " + file + "; nothing was changed", e);
        }
        this.namespaces = nextNamespaces;
        this.resourceTypes = nextTypes;
    }

    /** Makes the rename itself durable; not every file system can open a directory for this. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {} to disk: {}", directory, e.toString());
        }
    }

    private static byte[] serialize(Map<String, MetadefNamespace> namespaces, Map<String, ResourceType> types) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        ArrayNode ns = root.putArray("namespaces");
        namespaces.values().forEach(n -> ns.add(MetadefDocuments.toJsonTree(n)));
        ArrayNode rt = root.putArray("resource_types");
        for (ResourceType type : types.values()) {
            ObjectNode node = rt.addObject();
            node.put("name", type.name());
            if (type.createdAt() != null) {
                node.put("created_at", type.createdAt().toString());
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the metadef catalogue", e);
        }
    }

    private static void parse(Path file, byte[] content, Map<String, MetadefNamespace> namespaces,
            Map<String, ResourceType> resourceTypes) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            throw new ImageException(file + " is not valid JSON (" + e.getMessage() + "); it was left untouched", e);
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
            throw new ImageException(file + " is not a Glimpse metadefs catalogue (expected \"format\": \"" + FORMAT
                    + "\"); it was left untouched");
        }
        try {
            for (JsonNode node : root.path("namespaces")) {
                MetadefNamespace ns = MetadefDocuments.fromJsonTree(node);
                if (namespaces.putIfAbsent(ns.namespace(), ns) != null) {
                    throw new ImageException(file + " holds namespace '" + ns.namespace() + "' twice");
                }
            }
            for (JsonNode node : root.path("resource_types")) {
                String created = node.path("created_at").asText(null);
                ResourceType type = new ResourceType(node.path("name").asText(null),
                        created == null ? null : Instant.parse(created));
                resourceTypes.putIfAbsent(type.name(), type);
            }
        } catch (DateTimeParseException | dev.glimpse.image.InvalidRequestException e) {
            throw new ImageException(file + " is corrupt: " + e.getMessage() + "; it was left untouched", e);
        }
    }

    private static void removeLeftovers(Path directory) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, TEMP_PREFIX + "*")) {
            for (Path leftover : leftovers) {
                LOG.info("removing {} left by an interrupted write", leftover);
                Files.deleteIfExists(leftover);
            }
        }
    }
}
