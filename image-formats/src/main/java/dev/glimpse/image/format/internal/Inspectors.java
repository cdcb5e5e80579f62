package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.Inspection;
import dev.glimpse.image.format.InspectionLimits;
import dev.glimpse.image.format.SafetyViolation;
import dev.glimpse.image.format.StreamingInspection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs every parser and probe over an image and combines their answers: the precedence rules live
 * here, not in the parsers.
 */
public final class Inspectors {
    private Inspectors() {}

    /** Payload kinds (detail {@code payload}) that make an image a kernel, for {@code aki}. */
    static final Set<String> KERNELS = Set.of("bzimage", "elf", "arm64_image", "arm_zimage", "riscv_image", "uimage");
    /** Payload kinds that make an image a ramdisk, for {@code ari}. */
    static final Set<String> RAMDISKS = Set.of("gzip", "xz", "zstd", "lz4", "bzip2", "lzma", "lzop", "cpio");

    private static List<InspectionRun.Job> jobs() {
        List<InspectionRun.Job> jobs = new ArrayList<>();
        for (FormatParser parser : Parsers.DISK) {
            jobs.add(new InspectionRun.Job() {
                @Override
                public String name() {
                    return parser.name();
                }

                @Override
                public Object run(ByteSource source) throws ImageFormatException {
                    return parser.parse(source);
                }
            });
        }
        for (DetailProbe probe : Parsers.DETAILS) {
            jobs.add(new InspectionRun.Job() {
                @Override
                public String name() {
                    return probe.name();
                }

                @Override
                public Object run(ByteSource source) throws ImageFormatException {
                    return probe.probe(source);
                }
            });
        }
        return jobs;
    }

    /** Inspects a seekable channel: the streaming driver, fed only the regions the parsers wait for. */
    public static Inspection inspectSeekable(SeekableByteChannel channel, InspectionLimits limits) throws IOException {
        InspectionRun run = new InspectionRun(jobs(), limits);
        run.feedFrom(channel);
        return combine(run);
    }

    /** Starts a streaming inspection. */
    public static StreamingInspection startStreaming(InspectionLimits limits) {
        Objects.requireNonNull(limits, "limits");
        InspectionRun run = new InspectionRun(jobs(), limits);
        return new StreamingInspection() {
            @Override
            public void update(byte[] chunk, int offset, int length) {
                Objects.checkFromIndexSize(offset, length, chunk.length);
                run.feed(chunk, offset, length);
            }

            @Override
            public void update(ByteBuffer chunk) {
                if (chunk.hasArray()) {
                    int n = chunk.remaining();
                    run.feed(chunk.array(), chunk.arrayOffset() + chunk.position(), n);
                    chunk.position(chunk.limit());
                } else {
                    byte[] copy = new byte[Math.min(chunk.remaining(), 64 * 1024)];
                    while (chunk.hasRemaining()) {
                        int n = Math.min(copy.length, chunk.remaining());
                        chunk.get(copy, 0, n);
                        run.feed(copy, 0, n);
                    }
                }
            }

            @Override
            public Inspection finish() throws ImageFormatException {
                run.end();
                return combine(run);
            }
        };
    }

    /**
     * Applies the precedence rules: a parser that matched but found the structure broken refuses the
     * image; no match is raw; one match is that format; two or more are a polyglot and refused. A
     * partition table counts as a match of its own except under an ISO (isohybrid) or a fixed VHD
     * (whose data is the disk itself).
     */
    static Inspection combine(InspectionRun run) throws ImageFormatException {
        int index = 0;
        List<ParseResult> matches = new ArrayList<>();
        for (FormatParser ignored : Parsers.DISK) {
            ParseResult result = (ParseResult) run.outcome(index++);
            if (result != null && result.matched()) {
                matches.add(result);
            }
        }
        Map<String, Object> probed = new LinkedHashMap<>();
        for (DetailProbe ignored : Parsers.DETAILS) {
            @SuppressWarnings("unchecked")
            Map<String, Object> found = (Map<String, Object>) run.outcome(index++);
            if (found != null) {
                probed.putAll(found);
            }
        }
        long length = run.position();
        Object table = probed.get("partition_table");
        List<String> names = new ArrayList<>();
        matches.forEach(match -> names.add(match.format()));
        if (table != null && !(matches.size() == 1 && hostsPartitionTable(matches.get(0)))) {
            names.add(table.toString());
        }
        if (names.size() > 1) {
            throw new ImageFormatException("multiple formats detected: " + String.join(", ", names)
                    + "; an image must be exactly one format (polyglots are refused)");
        }
        if (matches.isEmpty()) {
            // qemu's raw driver reports the length rounded up to a whole sector.
            long virtualSize = length > Long.MAX_VALUE - 511 ? length : (length + 511) / 512 * 512;
            return new Inspection(DiskFormat.RAW.wireName(), OptionalLong.of(virtualSize), length, probed, List.of());
        }
        ParseResult match = matches.get(0);
        Map<String, Object> details = new LinkedHashMap<>(match.details());
        if (hostsPartitionTable(match)) {
            probed.forEach(details::putIfAbsent);
        }
        return new Inspection(match.format(), match.virtualSize(), length, details, match.violations());
    }

    private static boolean hostsPartitionTable(ParseResult match) {
        return DiskFormat.ISO.wireName().equals(match.format())
                || (DiskFormat.VHD.wireName().equals(match.format()) && "fixed".equals(match.details().get("vhd_type")));
    }

    /** See {@link dev.glimpse.image.format.FormatInspector#requireDeclared}. */
    public static Inspection requireDeclared(Inspection inspection, DiskFormat declared) throws ImageFormatException {
        String detected = inspection.format();
        switch (declared) {
            case AMI -> requireRaw(inspection, declared, "a raw machine image");
            case AKI -> {
                requireRaw(inspection, declared, "a kernel");
                Object payload = inspection.details().get("payload");
                if (payload == null || !KERNELS.contains(payload.toString())) {
                    throw new ImageFormatException("image declared as aki does not look like a kernel (bzImage, ELF,"
                            + " arm64 Image, ARM zImage, RISC-V Image or uImage); found "
                            + (payload == null ? "no kernel signature" : payload));
                }
            }
            case ARI -> {
                requireRaw(inspection, declared, "a ramdisk");
                Object payload = inspection.details().get("payload");
                if (payload == null || !RAMDISKS.contains(payload.toString())) {
                    throw new ImageFormatException("image declared as ari does not look like a ramdisk (gzip, xz,"
                            + " zstd, lz4, bzip2, lzma, lzop or cpio); found "
                            + (payload == null ? "no ramdisk signature" : payload));
                }
            }
            case PLOOP -> {
                if (!"parallels".equals(detected)) {
                    throw new ImageFormatException("image declared as ploop but detected as " + detected);
                }
                List<SafetyViolation> others = inspection.violations().stream()
                        .filter(v -> !v.code().equals("unsupported_format"))
                        .toList();
                if (!others.isEmpty()) {
                    throw new ImageFormatException("unsafe ploop image: " + describe(others));
                }
                return inspection;
            }
            default -> {
                if (!detected.equals(declared.wireName())) {
                    throw new ImageFormatException("image declared as " + declared.wireName() + " but detected as "
                            + detected);
                }
            }
        }
        if (!inspection.isSafe()) {
            throw new ImageFormatException("unsafe " + detected + " image: " + describe(inspection.violations()));
        }
        return inspection;
    }

    private static void requireRaw(Inspection inspection, DiskFormat declared, String what) throws ImageFormatException {
        if (!inspection.format().equals(DiskFormat.RAW.wireName())) {
            throw new ImageFormatException("image declared as " + declared.wireName() + " (" + what
                    + ") carries the signature of " + inspection.format());
        }
    }

    private static String describe(List<SafetyViolation> violations) {
        return violations.stream().map(SafetyViolation::toString).collect(Collectors.joining("; "));
    }
}
