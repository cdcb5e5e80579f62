package dev.glimpse.image.format.internal.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.ContainerInspection;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.InspectionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Validates a {@code docker save} archive in one pass: either the classic layout
 * ({@code manifest.json} listing each image's config and layers) or an OCI image layout
 * ({@code oci-layout} and {@code index.json} over content-addressed {@code blobs/}); recent
 * Docker versions write both.
 *
 * <p>Rules on top of {@link TarWalker}'s: regular files, directories and links only; a link's
 * target must stay inside the archive; every path {@code manifest.json} or {@code index.json}
 * names must be in the archive; and every {@code blobs/sha256/<hex>} member must hash to its name
 * (checked as it streams past, so layers are never buffered). Layer contents are not examined:
 * they are the container runtime's input, not a disk. Not thread-safe: one per validation.
 */
final class DockerValidator implements TarWalker.Handler {
    private static final String NAME = ContainerFormat.DOCKER.wireName();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOB = Pattern.compile("blobs/(sha256|sha512)/([0-9a-f]+)");
    private static final Pattern DIGEST = Pattern.compile("(sha256|sha512):([0-9a-f]+)");

    private final InspectionLimits limits;
    private final List<String> members = new ArrayList<>();
    private final Set<String> present = new HashSet<>();
    private byte @Nullable [] manifestJson;
    private byte @Nullable [] indexJson;
    private byte @Nullable [] ociLayout;
    private int verifiedBlobs;

    private DockerValidator(InspectionLimits limits) {
        this.limits = limits;
    }

    static ContainerInspection validate(InputStream in, InspectionLimits limits) throws IOException {
        DockerValidator validator = new DockerValidator(limits);
        TarWalker.Summary summary = TarWalker.walk(in, NAME, limits, validator);
        return validator.finish(summary);
    }

    @Override
    public void member(TarWalker.Member member) throws IOException {
        switch (member.kind) {
            case DIRECTORY -> {
                present.add(member.name);
                return;
            }
            case SYMLINK -> checkSymlink(member);
            case HARDLINK -> {
                String target = MemberNames.normalize(NAME, member.linkTarget, false);
                if (!present.contains(target)) {
                    throw new ImageFormatException(NAME + ": hard link '" + member.name + "' points to '"
                            + member.linkTarget + "', which is not an earlier member of the archive");
                }
            }
            case FILE -> readFile(member);
        }
        members.add(member.name);
        present.add(member.name);
    }

    private void checkSymlink(TarWalker.Member member) throws ImageFormatException {
        String target = member.linkTarget;
        if (target.isEmpty() || target.startsWith("/")) {
            throw new ImageFormatException(NAME + ": symbolic link '" + member.name + "' points to '" + target
                    + "'; links must be relative and stay inside the archive");
        }
        // Resolve against the link's directory; climbing above the archive root is an escape.
        List<String> path = new ArrayList<>(List.of(member.name.split("/")));
        path.remove(path.size() - 1);
        for (String segment : target.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (path.isEmpty()) {
                    throw new ImageFormatException(NAME + ": symbolic link '" + member.name + "' points to '"
                            + target + "', outside the archive");
                }
                path.remove(path.size() - 1);
            } else {
                path.add(segment);
            }
        }
    }

    private void readFile(TarWalker.Member member) throws IOException {
        switch (member.name) {
            case "manifest.json" -> manifestJson = member.readSmall(limits.maxDescriptorSize(), "manifest.json");
            case "index.json" -> indexJson = member.readSmall(limits.maxDescriptorSize(), "index.json");
            case "oci-layout" -> ociLayout = member.readSmall(limits.maxDescriptorSize(), "oci-layout");
            default -> {
                Matcher blob = BLOB.matcher(member.name);
                if (blob.matches()) {
                    verifyBlob(member, blob.group(1), blob.group(2));
                }
            }
        }
    }

    private void verifyBlob(TarWalker.Member member, String algorithm, String expected) throws IOException {
        String jca = algorithm.equals("sha256") ? "SHA-256" : "SHA-512";
        Digests.checkHex(NAME, "blob '" + member.name + "'", jca, expected);
        Digests.Set set = new Digests.Set(List.of(jca));
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = member.read(buffer)) >= 0; ) {
            set.update(buffer, 0, n);
        }
        String actual = set.finish().get(jca);
        if (!expected.equals(actual)) {
            throw new ImageFormatException(NAME + ": blob '" + member.name + "' does not match its digest: content is "
                    + algorithm + ":" + actual);
        }
        verifiedBlobs++;
    }

    private ContainerInspection finish(TarWalker.Summary summary) throws ImageFormatException {
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> layouts = new ArrayList<>();
        if (manifestJson != null) {
            layouts.add("docker-save");
            checkManifest(details);
        }
        if (ociLayout != null || indexJson != null) {
            layouts.add("oci");
            checkOciLayout(details);
        }
        if (layouts.isEmpty()) {
            throw new ImageFormatException(NAME + ": neither manifest.json (docker save) nor oci-layout and "
                    + "index.json (OCI image layout) in the archive");
        }
        details.put("layout", String.join("+", layouts));
        details.put("verified_blobs", (long) verifiedBlobs);
        return new ContainerInspection(ContainerFormat.DOCKER, summary.archiveSize(), members, Optional.empty(), details);
    }

    private void checkManifest(Map<String, Object> details) throws ImageFormatException {
        JsonNode root = parse("manifest.json", manifestJson);
        if (!root.isArray() || root.isEmpty()) {
            throw new ImageFormatException(NAME + ": manifest.json must be a non-empty array of images");
        }
        List<String> tags = new ArrayList<>();
        long layers = 0;
        for (JsonNode image : root) {
            if (!image.isObject()) {
                throw new ImageFormatException(NAME + ": manifest.json entry is not an object");
            }
            requireMember("manifest.json Config", text(image.get("Config"), "manifest.json Config"));
            JsonNode layerList = image.get("Layers");
            if (layerList == null || !layerList.isArray()) {
                throw new ImageFormatException(NAME + ": manifest.json entry has no Layers array");
            }
            for (JsonNode layer : layerList) {
                requireMember("manifest.json layer", text(layer, "manifest.json layer"));
                layers++;
            }
            JsonNode repoTags = image.get("RepoTags");
            if (repoTags != null && !repoTags.isNull()) {
                if (!repoTags.isArray()) {
                    throw new ImageFormatException(NAME + ": manifest.json RepoTags is not an array");
                }
                for (JsonNode tag : repoTags) {
                    tags.add(text(tag, "manifest.json RepoTags"));
                }
            }
        }
        details.put("images", (long) root.size());
        details.put("layers", layers);
        details.put("repo_tags", List.copyOf(tags));
    }

    private void checkOciLayout(Map<String, Object> details) throws ImageFormatException {
        if (ociLayout == null || indexJson == null) {
            throw new ImageFormatException(NAME + ": an OCI image layout needs both oci-layout and index.json");
        }
        JsonNode layout = parse("oci-layout", ociLayout);
        text(layout.get("imageLayoutVersion"), "oci-layout imageLayoutVersion");
        JsonNode index = parse("index.json", indexJson);
        JsonNode schema = index.get("schemaVersion");
        if (schema == null || !schema.isInt() || schema.intValue() != 2) {
            throw new ImageFormatException(NAME + ": index.json schemaVersion must be 2");
        }
        JsonNode manifests = index.get("manifests");
        if (manifests == null || !manifests.isArray() || manifests.isEmpty()) {
            throw new ImageFormatException(NAME + ": index.json lists no manifests");
        }
        for (JsonNode descriptor : manifests) {
            String digest = text(descriptor.get("digest"), "index.json manifest digest");
            Matcher matcher = DIGEST.matcher(digest);
            if (!matcher.matches()) {
                throw new ImageFormatException(NAME + ": index.json digest '" + digest
                        + "' is not sha256:<hex> or sha512:<hex>");
            }
            requireMember("index.json manifest", "blobs/" + matcher.group(1) + "/" + matcher.group(2));
        }
        details.put("oci_manifests", (long) manifests.size());
    }

    private void requireMember(String what, String path) throws ImageFormatException {
        MemberNames.checkRelative(NAME, what, path);
        if (!present.contains(path)) {
            throw new ImageFormatException(NAME + ": " + what + " '" + path + "' is not in the archive");
        }
    }

    private static String text(@Nullable JsonNode node, String what) throws ImageFormatException {
        if (node == null || !node.isTextual()) {
            throw new ImageFormatException(NAME + ": " + what + " is missing or not a string");
        }
        return node.textValue();
    }

    private static JsonNode parse(String name, byte[] data) throws ImageFormatException {
        try {
            JsonNode node = JSON.readTree(data);
            if (node == null || node.isMissingNode()) {
                throw new ImageFormatException(NAME + ": " + name + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ImageFormatException(NAME + ": " + name + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ImageFormatException(NAME + ": " + name + " cannot be read: " + e.getMessage(), e);
        }
    }
}
