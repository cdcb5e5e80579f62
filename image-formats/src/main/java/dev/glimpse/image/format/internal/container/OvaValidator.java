package dev.glimpse.image.format.internal.container;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.ContainerInspection;
import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.Inspection;
import dev.glimpse.image.format.StreamingInspection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Validates an OVA (DSP0243 section 5.3: a tar archive of an OVF package) in one pass:
 *
 * <ul>
 *   <li>regular files only, with relative names free of {@code ..} (see {@link TarWalker});
 *   <li>the {@code .ovf} descriptor first, parsed safely ({@link OvfDescriptor});
 *   <li>at most one {@code .mf} manifest and one {@code .cert} certificate;
 *   <li>exactly one other member, the disk, which must pass disk inspection and be safe;
 *   <li>every file the descriptor references present in the archive, and the disk among them;
 *   <li>with a manifest: every member but the manifest and certificate listed, and every digest
 *       matching.
 * </ul>
 *
 * <p>The disk is inspected while the archive streams past (streaming inspection), or, when the
 * archive is a file, in place through a window on it (seekable inspection). Digests of members
 * that precede the manifest are computed speculatively with SHA-1 and SHA-256, the two algorithms
 * OVF 1.x and 2.x tools use; the spec puts the manifest right after the descriptor, so usually
 * only the listed algorithm runs. Not thread-safe: one instance per validation.
 */
final class OvaValidator implements TarWalker.Handler {
    private static final String NAME = ContainerFormat.OVA.wireName();
    private static final List<String> SPECULATIVE = List.of("SHA-1", "SHA-256");

    private final FormatInspector inspector;
    private final @Nullable SeekableByteChannel archive;
    private final List<String> members = new ArrayList<>();
    private final Map<String, Map<String, String>> digests = new LinkedHashMap<>();
    private @Nullable String descriptorName;
    private byte @Nullable [] descriptorBytes;
    private @Nullable OvfDescriptor descriptor;
    private @Nullable String manifestName;
    private @Nullable OvfManifest manifest;
    private @Nullable String certificateName;
    private @Nullable String diskName;
    private @Nullable Inspection disk;

    /**
     * @param archive the archive as a channel, to inspect the disk in place; null to inspect it
     *     from the stream
     */
    OvaValidator(FormatInspector inspector, @Nullable SeekableByteChannel archive) {
        this.inspector = inspector;
        this.archive = archive;
    }

    static ContainerInspection validate(InputStream in, @Nullable SeekableByteChannel archive, FormatInspector inspector)
            throws IOException {
        OvaValidator validator = new OvaValidator(inspector, archive);
        TarWalker.Summary summary = TarWalker.walk(in, NAME, inspector.limits(), validator);
        return validator.finish(summary);
    }

    @Override
    public void member(TarWalker.Member member) throws IOException {
        if (member.kind != TarWalker.Kind.FILE) {
            throw new ImageFormatException(NAME + ": member '" + member.name + "' is a "
                    + member.kind.name().toLowerCase(Locale.ROOT) + "; an OVA holds regular files only");
        }
        members.add(member.name);
        String lower = member.name.toLowerCase(Locale.ROOT);
        if (descriptorName == null) {
            if (!lower.endsWith(".ovf")) {
                throw new ImageFormatException(NAME + ": the first member must be the .ovf descriptor, found '"
                        + member.name + "'");
            }
            descriptorName = member.name;
            descriptorBytes = member.readSmall(inspector.limits().maxDescriptorSize(), "OVF descriptor");
            descriptor = OvfDescriptor.parse(NAME, member.name, descriptorBytes);
        } else if (lower.endsWith(".ovf")) {
            throw new ImageFormatException(NAME + ": second descriptor '" + member.name + "' after '"
                    + descriptorName + "'; an OVA holds exactly one");
        } else if (lower.endsWith(".mf")) {
            if (manifestName != null) {
                throw new ImageFormatException(NAME + ": second manifest '" + member.name + "' after '"
                        + manifestName + "'");
            }
            manifestName = member.name;
            manifest = OvfManifest.parse(NAME, member.name,
                    member.readSmall(inspector.limits().maxDescriptorSize(), "manifest"));
        } else if (lower.endsWith(".cert")) {
            if (certificateName != null) {
                throw new ImageFormatException(NAME + ": second certificate '" + member.name + "'");
            }
            certificateName = member.name;
            digest(member, null);
        } else {
            if (diskName != null) {
                throw new ImageFormatException(NAME + ": more than one disk ('" + diskName + "', '" + member.name
                        + "'); an OVA must hold exactly one disk image");
            }
            diskName = member.name;
            Inspection inspection;
            try {
                inspection = archive != null ? inspectInPlace(member) : inspectStreaming(member);
            } catch (ImageFormatException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(NAME + ": ")) {
                    throw e; // the archive itself is broken; the message already says where
                }
                throw new ImageFormatException(NAME + ": disk '" + member.name + "': " + e.getMessage(), e);
            }
            if (!inspection.isSafe()) {
                throw new ImageFormatException(NAME + ": disk '" + member.name + "' is an unsafe "
                        + inspection.format() + " image: " + inspection.violations());
            }
            disk = inspection;
        }
    }

    private Inspection inspectInPlace(TarWalker.Member member) throws IOException {
        // The header's size is unchecked until the data has streamed past; a window that runs
        // past the end of the file would make the inspector read a short channel. Found by fuzzing
        // (regression-ova-member-runs-past-end-of-file).
        long available = archive.size() - member.dataOffset;
        if (member.size > available) {
            throw new ImageFormatException(NAME + ": member '" + member.name + "' is truncated: its header says "
                    + member.size + " bytes but the archive has " + Math.max(0, available) + " after its header");
        }
        Inspection inspection = inspector.inspect(new SliceChannel(archive, member.dataOffset, member.size));
        digest(member, null);
        return inspection;
    }

    private Inspection inspectStreaming(TarWalker.Member member) throws IOException {
        StreamingInspection streaming = inspector.startStreaming();
        digest(member, streaming);
        return streaming.finish();
    }

    /** Passes the member's data through the digests it needs and, if given, the streaming inspection. */
    private void digest(TarWalker.Member member, @Nullable StreamingInspection streaming) throws IOException {
        List<String> algorithms;
        if (manifest == null) {
            algorithms = SPECULATIVE;
        } else {
            OvfManifest.Entry entry = manifest.entries().get(member.name);
            algorithms = entry == null ? List.of() : List.of(entry.algorithm());
        }
        Digests.Set set = new Digests.Set(algorithms);
        if (set.isEmpty() && streaming == null) {
            return;
        }
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = member.read(buffer)) >= 0; ) {
            set.update(buffer, 0, n);
            if (streaming != null) {
                streaming.update(buffer, 0, n);
            }
        }
        digests.put(member.name, set.finish());
    }

    private ContainerInspection finish(TarWalker.Summary summary) throws ImageFormatException {
        if (descriptorName == null || descriptor == null || descriptorBytes == null) {
            throw new ImageFormatException(NAME + ": empty archive; an OVA starts with its .ovf descriptor");
        }
        if (diskName == null || disk == null) {
            throw new ImageFormatException(NAME + ": no disk image in the archive");
        }
        for (String href : descriptor.hrefs()) {
            if (!members.contains(href)) {
                throw new ImageFormatException(NAME + ": the descriptor references '" + href
                        + "', which is not in the archive");
            }
        }
        if (!descriptor.hrefs().contains(diskName)) {
            throw new ImageFormatException(NAME + ": disk '" + diskName + "' is not referenced by the descriptor '"
                    + descriptorName + "'");
        }
        List<String> verified = new ArrayList<>();
        if (manifest != null) {
            verifyManifest(verified);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("descriptor", descriptorName);
        details.put("ovf_version", descriptor.version());
        details.put("disk", diskName);
        if (manifestName != null) {
            details.put("manifest", manifestName);
            details.put("verified_digests", List.copyOf(verified));
        }
        if (certificateName != null) {
            // The signature is not verified: Glimpse has no trust store for OVF certificates.
            details.put("certificate", certificateName);
        }
        return new ContainerInspection(ContainerFormat.OVA, summary.archiveSize(), members, Optional.of(disk), details);
    }

    private void verifyManifest(List<String> verified) throws ImageFormatException {
        for (String listed : manifest.entries().keySet()) {
            if (!members.contains(listed)) {
                throw new ImageFormatException(NAME + ": manifest '" + manifestName + "' lists '" + listed
                        + "', which is not in the archive");
            }
        }
        for (String member : members) {
            if (member.equals(manifestName) || member.equals(certificateName)) {
                continue;
            }
            OvfManifest.Entry expected = manifest.entries().get(member);
            if (expected == null) {
                throw new ImageFormatException(NAME + ": manifest '" + manifestName + "' does not cover '" + member
                        + "'; every file of the package must be listed");
            }
            String actual;
            if (member.equals(descriptorName)) {
                actual = Digests.hex(expected.algorithm(), descriptorBytes);
            } else {
                actual = digests.getOrDefault(member, Map.of()).get(expected.algorithm());
                if (actual == null) {
                    throw new ImageFormatException(NAME + ": manifest '" + manifestName + "' gives a "
                            + expected.algorithm() + " digest for '" + member + "', which precedes the manifest; "
                            + "only SHA-1 and SHA-256 can be checked there (put the manifest right after the descriptor)");
                }
            }
            if (!actual.equals(expected.hex())) {
                throw new ImageFormatException(NAME + ": " + expected.algorithm() + " digest mismatch for '" + member
                        + "': manifest says " + expected.hex() + ", content is " + actual);
            }
            verified.add(expected.algorithm().replace("-", "") + "(" + member + ")");
        }
    }
}
