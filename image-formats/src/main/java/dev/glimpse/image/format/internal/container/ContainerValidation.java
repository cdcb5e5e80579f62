package dev.glimpse.image.format.internal.container;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.ContainerInspection;
import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.Inspection;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dispatches container validation to the rules of each {@link ContainerFormat}; the entry point
 * behind {@link FormatInspector#validate(Path, ContainerFormat)} and
 * {@link FormatInspector#validate(InputStream, ContainerFormat)}.
 */
public final class ContainerValidation {
    private ContainerValidation() {}

    /** Validates the container in the file at {@code path}, reading it in place where the format allows. */
    public static ContainerInspection validate(Path path, ContainerFormat declared, FormatInspector inspector)
            throws IOException {
        switch (declared) {
            case BARE, AMI, ARI, AKI -> {
                return bare(declared, inspector.inspect(path));
            }
            case OVA -> {
                try (SeekableByteChannel channel = Files.newByteChannel(path, StandardOpenOption.READ);
                        InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
                    return OvaValidator.validate(in, channel, inspector);
                }
            }
            case COMPRESSED -> {
                try (SeekableByteChannel channel = Files.newByteChannel(path, StandardOpenOption.READ)) {
                    ByteBuffer head = ByteBuffer.allocate((int) Math.min(channel.size(), CompressedPeek.MAX_COMPRESSED));
                    while (head.hasRemaining() && channel.read(head) >= 0) {
                        // fill
                    }
                    return compressed(head.array(), head.position(), channel.size());
                }
            }
            default -> {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
                    return validate(in, declared, inspector);
                }
            }
        }
    }

    /** Validates the container read from {@code in} to its end, in one pass with bounded memory. */
    public static ContainerInspection validate(InputStream in, ContainerFormat declared, FormatInspector inspector)
            throws IOException {
        return switch (declared) {
            case BARE, AMI, ARI, AKI -> bare(declared, inspector.inspect(in));
            case OVA -> OvaValidator.validate(in, null, inspector);
            case DOCKER -> DockerValidator.validate(in, inspector.limits());
            case OVF -> ovf(in, inspector);
            case COMPRESSED -> {
                byte[] head = new byte[CompressedPeek.MAX_COMPRESSED];
                int filled = in.readNBytes(head, 0, head.length);
                long size = filled + drain(in);
                yield compressed(head, filled, size);
            }
        };
    }

    /** No container: the data is the disk, which must be safe. */
    private static ContainerInspection bare(ContainerFormat declared, Inspection inspection) throws ImageFormatException {
        if (!inspection.isSafe()) {
            throw new ImageFormatException(declared.wireName() + ": unsafe " + inspection.format() + " image: "
                    + inspection.violations());
        }
        return new ContainerInspection(declared, inspection.actualSize(), List.of(), Optional.of(inspection), Map.of());
    }

    private static ContainerInspection ovf(InputStream in, FormatInspector inspector) throws IOException {
        int max = inspector.limits().maxDescriptorSize();
        byte[] xml = in.readNBytes(max + 1);
        if (xml.length > max) {
            throw new ImageFormatException("ovf: descriptor is larger than the descriptor size limit of " + max
                    + " bytes");
        }
        OvfDescriptor descriptor = OvfDescriptor.parse("ovf", "descriptor", xml);
        return new ContainerInspection(ContainerFormat.OVF, xml.length, descriptor.hrefs(), Optional.empty(),
                Map.of("ovf_version", descriptor.version(), "disks", (long) descriptor.diskCount()));
    }

    private static ContainerInspection compressed(byte[] head, int length, long size) throws ImageFormatException {
        Compression compression = Compression.detect(head, length).orElseThrow(() -> new ImageFormatException(
                "compressed: no gzip, bzip2, xz, zstd, zip or lz4 signature at offset 0"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("compression", compression.wireName());
        CompressedPeek.innerFormat(compression, head, length).ifPresent(inner -> details.put("inner_format", inner));
        return new ContainerInspection(ContainerFormat.COMPRESSED, size, List.of(), Optional.empty(), details);
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
        }
        return total;
    }
}
