package dev.glimpse.image.format;

import dev.glimpse.image.format.internal.Inspectors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Detects, measures and safety-checks disk images: the entry point of this module.
 *
 * <p>Two modes over one set of per-format parsers. Seekable inspection ({@link #inspect(Path)},
 * {@link #inspect(SeekableByteChannel)}) reads only the headers and footers each format needs, so a
 * 1 TiB image costs what a 1 MiB one does. Streaming inspection ({@link #startStreaming()},
 * {@link #inspect(InputStream)}) sees each byte once, as an upload does, in bounded memory. Both
 * give the same answer for the same bytes.
 *
 * Both modes run the same driver: seekable inspection is streaming inspection that skips the
 * bytes no parser waits for, so the two cannot disagree, and streaming results do not depend on how
 * the stream is cut into chunks. Memory per inspection is at most 128 KiB (the first and last
 * 64 KiB of the image) plus the regions parsers ask for, capped by
 * {@link InspectionLimits#maxBytesRead()}.
 *
 * <p>Every parser runs on every image. Data no parser recognises is {@code raw}; data two parsers
 * recognise is a polyglot and is refused (an MBR or GPT counts, except in an ISO's system area or
 * as the data of a consistent fixed VHD); a known signature with a broken or truncated header is
 * refused, never reported as raw.
 *
 * <p>Formats reported: {@code raw}, {@code qcow2}, {@code vhd} (dynamic, fixed, differencing),
 * {@code vhdx}, {@code vmdk} (sparse and streamOptimized; descriptor files are reported with a
 * violation), {@code vdi}, {@code iso}, and, always with violation {@code unsupported_format} or
 * without a {@link DiskFormat}, {@code luks}, {@code qed}, {@code qcow}, {@code parallels},
 * {@code bochs}, {@code cloop}, {@code dmg}.
 *
 * <p>Violation codes: {@code backing_file} (qcow2/QED backing file, VMDK
 * {@code parentFileNameHint} or {@code parentCID}, VHD/VHDX/VDI differencing disks),
 * {@code data_file} (qcow2 external data file), {@code unknown_features} (qcow2 incompatible bits
 * qemu does not know), {@code encryption} (qcow2 legacy AES), {@code vmdk_create_type} (a VMDK that
 * is not monolithicSparse or streamOptimized), {@code vmdk_extent} (an extent naming a path or of a
 * foreign type), {@code unsupported_format}.
 *
 * <p>Detail keys (snake_case, stable): all formats may carry {@code partition_table}
 * ({@code "mbr"}/{@code "gpt"}), {@code partitions}, {@code sector_size} and {@code payload}
 * (kernel or ramdisk kind: {@code bzimage}, {@code elf}, {@code arm64_image}, {@code arm_zimage},
 * {@code riscv_image}, {@code uimage}, {@code gzip}, {@code xz}, {@code zstd}, {@code lz4},
 * {@code bzip2}, {@code lzma}, {@code lzop}, {@code cpio}) when the format is raw, iso or a fixed
 * vhd; qcow2: {@code version}, {@code compat}, {@code cluster_size}, {@code refcount_bits},
 * {@code lazy_refcounts}, {@code extended_l2}, {@code compression_type}, {@code dirty},
 * {@code corrupt}, {@code encrypted}, {@code bitmaps}, {@code backing_format}; vhd:
 * {@code vhd_type}, {@code creator_app}, {@code size_rule}, {@code block_size}; vhdx:
 * {@code vhdx_type}, {@code block_size}, {@code logical_sector_size},
 * {@code physical_sector_size}, {@code creator}; vmdk: {@code create_type}, {@code vmdk_version},
 * {@code compressed}, {@code grain_size}, {@code footer}, {@code descriptor_only},
 * {@code extents}; vdi: {@code vdi_type}, {@code block_size}; iso: {@code volume_size},
 * {@code logical_block_size}, {@code volume_id}, {@code udf}, {@code el_torito}; luks:
 * {@code version}, {@code cipher_name}, {@code cipher_mode}, {@code hash_spec},
 * {@code payload_offset}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FormatInspector {
    private static final FormatInspector DEFAULT = new FormatInspector(InspectionLimits.defaults());

    private final InspectionLimits limits;

    private FormatInspector(InspectionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Returns an inspector with {@link InspectionLimits#defaults()}. */
    public static FormatInspector defaults() {
        return DEFAULT;
    }

    /** Returns an inspector with the given limits. */
    public static FormatInspector withLimits(InspectionLimits limits) {
        return new FormatInspector(limits);
    }

    /** The limits this inspector applies. */
    public InspectionLimits limits() {
        return limits;
    }

    /**
     * Inspects the image at {@code path}, reading only the regions its format needs.
     *
     * @throws ImageFormatException if the image breaks its format's rules or is a polyglot
     * @throws IOException if the file cannot be read
     */
    public Inspection inspect(Path path) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(path, StandardOpenOption.READ)) {
            return inspect(channel);
        }
    }

    /**
     * Inspects the image in {@code channel}, reading only the regions its format needs. The caller
     * keeps ownership of the channel; its position is changed.
     *
     * @throws ImageFormatException if the image breaks its format's rules or is a polyglot
     * @throws IOException if the channel cannot be read
     */
    public Inspection inspect(SeekableByteChannel channel) throws IOException {
        return Inspectors.inspectSeekable(Objects.requireNonNull(channel, "channel"), limits);
    }

    /**
     * Inspects the image read from {@code in} to its end, in one forward pass with bounded memory.
     * The caller keeps ownership of the stream.
     *
     * @throws ImageFormatException if the image breaks its format's rules or is a polyglot
     * @throws IOException if the stream cannot be read
     */
    public Inspection inspect(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        StreamingInspection inspection = startStreaming();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            inspection.update(buffer, 0, n);
        }
        return inspection.finish();
    }

    /**
     * Starts a streaming inspection, to be fed chunk by chunk (the upload path's mode). Feeding
     * never throws a format error: every verdict, including a refusal, comes from
     * {@link StreamingInspection#finish()}, once the length of the image is known.
     */
    public StreamingInspection startStreaming() {
        return Inspectors.startStreaming(limits);
    }

    /**
     * Inspects {@code path} and checks that it is the declared format and safe.
     *
     * @return the inspection, when the image is {@code declared} and breaks no safety rule
     * @throws ImageFormatException naming the detected format or the broken rules otherwise
     * @throws IOException if the file cannot be read
     */
    public Inspection validate(Path path, DiskFormat declared) throws IOException {
        return requireDeclared(inspect(path), declared);
    }

    /**
     * Inspects {@code in} to its end and checks that it is the declared format and safe.
     *
     * @throws ImageFormatException naming the detected format or the broken rules otherwise
     * @throws IOException if the stream cannot be read
     */
    public Inspection validate(InputStream in, DiskFormat declared) throws IOException {
        return requireDeclared(inspect(in), declared);
    }

    /**
     * Checks that an inspection (from either mode) shows the declared format and a safe image, with
     * Glance's rules for formats that have no signature of their own: {@code ami} must look like a
     * raw disk, {@code aki} like a kernel, {@code ari} like a ramdisk, and none may carry another
     * format's signature.
     *
     * @return {@code inspection}, when it passes
     * @throws ImageFormatException naming the detected format or the broken rules otherwise
     */
    public static Inspection requireDeclared(Inspection inspection, DiskFormat declared) throws ImageFormatException {
        return Inspectors.requireDeclared(Objects.requireNonNull(inspection, "inspection"),
                Objects.requireNonNull(declared, "declared"));
    }

    // Container validation. Fully qualified names keep these methods self-contained (no import
    // changes), so they merge cleanly with work on the disk-format half of this class.

    /**
     * Checks that the file at {@code path} is a well-formed, safe container of the declared format,
     * and inspects the disk it carries:
     *
     * <ul>
     *   <li>{@code bare}, {@code ami}, {@code ari}, {@code aki}: the file is the disk; it is inspected
     *       and must break no safety rule;
     *   <li>{@code ova}: a tar archive of regular files with relative names free of {@code ..}; the
     *       {@code .ovf} descriptor first; exactly one disk, which must pass inspection and be
     *       safe; every file the descriptor references present; and, when a {@code .mf} manifest
     *       is present, every member listed and its digest matching;
     *   <li>{@code ovf}: an OVF envelope, parsed with DTDs and external entities refused, whose
     *       file references are relative paths;
     *   <li>{@code docker}: a {@code docker save} tar with {@code manifest.json} or an OCI image
     *       layout, whose references resolve inside the archive and whose blobs match their digests;
     *   <li>{@code compressed}: a gzip, bzip2, xz, zstd, zip or lz4 signature; nothing is
     *       decompressed, so compression bombs are never expanded.
     * </ul>
     *
     * <p>An OVA on disk is read once front to back; its disk member is inspected in place, reading
     * only the regions its format needs. Memory stays bounded whatever the container size:
     * descriptors and manifests larger than {@link InspectionLimits#maxDescriptorSize()} and
     * archives with more than {@link InspectionLimits#maxTableEntries()} members are refused.
     *
     * @return what was found, when every rule holds
     * @throws ImageFormatException naming the container and the rule broken
     * @throws IOException if the file cannot be read
     */
    public ContainerInspection validate(Path path, ContainerFormat declared) throws IOException {
        return dev.glimpse.image.format.internal.container.ContainerValidation.validate(
                Objects.requireNonNull(path, "path"), Objects.requireNonNull(declared, "declared"), this);
    }

    /**
     * Checks that the data read from {@code in} to its end is a well-formed, safe container of the
     * declared format, in one forward pass with bounded memory; the rules are those of
     * {@link #validate(Path, ContainerFormat)}, and an OVA's disk member is inspected with
     * {@linkplain #startStreaming() streaming inspection} as it passes. The stream is read to its
     * end, except for an {@code ovf} descriptor, which is read up to the descriptor size limit.
     * The caller keeps ownership of the stream.
     *
     * @throws ImageFormatException naming the container and the rule broken
     * @throws IOException if the stream cannot be read
     */
    public ContainerInspection validate(InputStream in, ContainerFormat declared) throws IOException {
        return dev.glimpse.image.format.internal.container.ContainerValidation.validate(
                Objects.requireNonNull(in, "in"), Objects.requireNonNull(declared, "declared"), this);
    }
}
