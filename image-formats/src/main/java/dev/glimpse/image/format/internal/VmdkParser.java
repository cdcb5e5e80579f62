package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.SafetyViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * VMDK: hosted sparse extents ({@code KDMV}: monolithicSparse and streamOptimized, with the
 * descriptor embedded at sector 1 and, for streamOptimized, an optional footer at the end), text
 * descriptor files (recognised and refused: their extents are host files), and the old
 * {@code COWD} format (refused). VMware "Virtual Disk Format 5.0" and qemu {@code block/vmdk.c}.
 */
final class VmdkParser implements FormatParser {
    /** The largest descriptor qemu reads ({@code vmdk_read_desc}: 1 MiB − 1). */
    static final int MAX_DESCRIPTOR = 1024 * 1024 - 1;
    private static final Set<String> ALLOWED_CREATE_TYPES = Set.of("monolithicsparse", "streamoptimized");
    private static final long GD_AT_END = -1L;
    /** qemu's DESC_SIZE: the bytes from sector 1 that {@code vmdk_parent_open} searches for a parent. */
    private static final int QEMU_DESC_SIZE = 20 * 512;

    @Override
    public String name() {
        return "vmdk";
    }

    @Override
    public ParseResult parse(ByteSource source) throws ImageFormatException {
        Bytes start = source.readUpTo(0, 512);
        if (start.startsWith(0, "COWD")) {
            return ParseResult.match(name(), -1, Map.of("create_type", "vmfsSparse (COWD)"), List.of(
                    new SafetyViolation("vmdk_create_type", "VMDK3 (COWD) sparse extents are refused")));
        }
        if (start.startsWith(0, "KDMV")) {
            return sparse(source);
        }
        // What qemu probes as VMDK is VMDK, whatever bytes its comment lines hold: a comment with one
        // byte above 0x7F (say, an accented letter) must not turn a monolithicFlat descriptor into "raw".
        boolean probed = qemuProbesAsVmdk(start);
        if (!probed && !startsLikeDescriptorFile(start)) {
            // Neither qemu's probe nor VMware's header line: text that merely mentions createType is
            // not a descriptor. Declared vmdk it is refused as raw; declared raw, qemu reads it as raw.
            return ParseResult.noMatch();
        }
        int max = Math.min(MAX_DESCRIPTOR, source.limits().maxDescriptorSize());
        // qemu's descriptor ends at the first NUL: only a first sector free of NULs can continue.
        boolean nul = start.latin1(0, start.length()).indexOf('\0') >= 0;
        Bytes text = start.length() < 512 || nul ? start : source.readUpTo(0, max);
        String descriptor = cutAtNul(text.latin1(0, text.length()));
        if (!isText(descriptor)) {
            throw new ImageFormatException("vmdk: descriptor file contains binary data");
        }
        Descriptor d = Descriptor.parse(descriptor);
        List<SafetyViolation> violations = new ArrayList<>();
        violations.add(new SafetyViolation("vmdk_create_type", "VMDK descriptor file (createType '"
                + Qcow2Parser.printable(d.createType) + "') refers to extents outside the image; refused"));
        d.addViolations(violations, false);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("create_type", Qcow2Parser.printable(d.createType));
        details.put("descriptor_only", true);
        details.put("extents", (long) d.extents.size());
        long sectors = 0;
        for (Extent extent : d.extents) {
            if (extent.access.equals("RW")) {
                sectors = extent.sectors > Long.MAX_VALUE / 512 - sectors ? Long.MAX_VALUE / 512 : sectors + extent.sectors;
            }
        }
        return ParseResult.match(name(), sectors * 512, details, violations);
    }

    private ParseResult sparse(ByteSource source) throws ImageFormatException {
        Bytes h = source.read(0, 512);
        Header header = Header.parse(h, "header");
        List<SafetyViolation> violations = new ArrayList<>();
        if (header.capacity == 0 && header.descriptorOffset != 0) {
            // qemu then opens the embedded descriptor as a descriptor file, with its extents.
            violations.add(new SafetyViolation("vmdk_create_type",
                    "sparse VMDK with capacity 0: qemu would follow its embedded descriptor's extents"));
        }
        if (header.descriptorOffset != 1) {
            throw new ImageFormatException("vmdk: descriptor at sector " + header.descriptorOffset
                    + " instead of sector 1");
        }
        int max = Math.min(MAX_DESCRIPTOR, source.limits().maxDescriptorSize());
        if (header.descriptorSize < 1 || header.descriptorSize > max / 512) {
            throw new ImageFormatException("vmdk: descriptor of " + header.descriptorSize + " sectors exceeds the "
                    + max + "-byte limit");
        }
        String descriptor = cutAtNul(source.read(512, (int) header.descriptorSize * 512)
                .latin1(0, (int) header.descriptorSize * 512));
        if (!isText(descriptor)) {
            throw new ImageFormatException("vmdk: embedded descriptor contains binary data");
        }
        Descriptor d = Descriptor.parse(descriptor);
        if (!ALLOWED_CREATE_TYPES.contains(d.createType.toLowerCase(Locale.ROOT))) {
            violations.add(new SafetyViolation("vmdk_create_type", "VMDK createType '"
                    + Qcow2Parser.printable(d.createType) + "' is not monolithicSparse or streamOptimized"));
        }
        d.addViolations(violations, true);
        if (d.backing.isEmpty() && qemuSeesParentHint(source)) {
            violations.add(new SafetyViolation("backing_file", "VMDK parent: parentFileNameHint in the text qemu scans"
                    + " after the header (a comment, or past the descriptor size the header declares)"));
        }
        Header effective = header;
        if (header.gdOffset == GD_AT_END) {
            long length = source.length();
            if (length < 1536 + 512) {
                throw new ImageFormatException("vmdk: grain directory at the end but no room for a footer");
            }
            Bytes footer = source.read(length - 1536, 1536);
            checkMarker(footer, 0, 3, "footer marker");
            Header copy = Header.parse(footer.slice(512, 512), "footer");
            if (copy.version != header.version || copy.descriptorOffset != header.descriptorOffset
                    || copy.descriptorSize != header.descriptorSize) {
                throw new ImageFormatException("vmdk: footer does not repeat the header");
            }
            if (copy.gdOffset == GD_AT_END) {
                throw new ImageFormatException("vmdk: footer points to another footer");
            }
            checkMarker(footer, 1024, 0, "end-of-stream marker");
            effective = copy;
        }
        if (effective.capacity <= 0 && violations.isEmpty()) {
            throw new ImageFormatException("vmdk: capacity is 0");
        }
        for (Extent extent : d.extents) {
            if (extent.sectors != effective.capacity && effective.capacity > 0) {
                throw new ImageFormatException("vmdk: extent of " + extent.sectors
                        + " sectors disagrees with the header capacity " + effective.capacity);
            }
        }
        boolean compressed = effective.compressAlgorithm == 1;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("create_type", compressed ? "streamOptimized" : "monolithicSparse");
        details.put("vmdk_version", effective.version);
        details.put("compressed", compressed);
        details.put("grain_size", effective.grainSize * 512);
        details.put("footer", header.gdOffset == GD_AT_END);
        long capacity = effective.capacity > Long.MAX_VALUE / 512 ? -1 : effective.capacity * 512;
        return ParseResult.match(name(), capacity, details, violations);
    }

    /**
     * qemu's {@code vmdk_parent_open} does not use the descriptor the header declares: it searches
     * {@code DESC_SIZE} (20 sectors) from sector 1, up to the first NUL, for the bare string
     * {@code parentFileNameHint}, comments included, and opens what follows as a backing file.
     */
    private static boolean qemuSeesParentHint(ByteSource source) throws ImageFormatException {
        Bytes window = source.readUpTo(512, QEMU_DESC_SIZE);
        return cutAtNul(window.latin1(0, window.length())).contains("parentFileNameHint");
    }

    private static void checkMarker(Bytes bytes, int at, long type, String what) throws ImageFormatException {
        if (bytes.u32le(at + 8) != 0 || bytes.u32le(at + 12) != type || !bytes.slice(at + 16, 496).isAllZero()
                || (type == 0 && bytes.u64le(at) != 0)) {
            throw new ImageFormatException("vmdk: " + what + " is invalid");
        }
    }

    private record Header(long version, long capacity, long grainSize, long descriptorOffset, long descriptorSize,
            long gdOffset, int compressAlgorithm) {
        static Header parse(Bytes h, String where) throws ImageFormatException {
            if (!h.startsWith(0, "KDMV")) {
                throw new ImageFormatException("vmdk: " + where + " lacks the KDMV signature");
            }
            long version = h.u32le(4);
            if (version < 1 || version > 3) {
                throw new ImageFormatException("vmdk: unsupported version " + version + " in the " + where);
            }
            long flags = h.u32le(8);
            long capacity = h.u64le(12);
            long grain = h.u64le(20);
            if (capacity < 0) {
                throw new ImageFormatException("vmdk: capacity " + Long.toUnsignedString(capacity) + " is out of range");
            }
            if (grain < 1 || grain > 0x200000 || Long.bitCount(grain) != 1) {
                throw new ImageFormatException("vmdk: grain size of " + Long.toUnsignedString(grain)
                        + " sectors is not a power of two up to 0x200000");
            }
            long gtes = h.u32le(44);
            if (gtes > 512) {
                throw new ImageFormatException("vmdk: " + gtes + " entries per grain table exceed 512");
            }
            // Line-ending check bytes "\n \r\n" (flag bit 0): a text-mode transfer corrupts them.
            if ((flags & 1) != 0 && !(h.u8(73) == '\n' && h.u8(74) == ' ' && h.u8(75) == '\r' && h.u8(76) == '\n')) {
                throw new ImageFormatException("vmdk: line-ending check bytes are corrupted");
            }
            return new Header(version, capacity, grain, h.u64le(28), h.u64le(36), h.u64le(56), h.u16le(77));
        }
    }

    private record Extent(String access, long sectors, String type, String file) {}

    private static final class Descriptor {
        String createType = "";
        final List<Extent> extents = new ArrayList<>();
        final List<String> backing = new ArrayList<>();

        static Descriptor parse(String text) throws ImageFormatException {
            Descriptor d = new Descriptor();
            int lineNumber = 0;
            for (String raw : text.split("\n", -1)) {
                lineNumber++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("ddb")) {
                    continue;
                }
                int eq = line.indexOf('=');
                String first = line.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
                if (eq > 0 && line.substring(0, eq).strip().indexOf(' ') < 0 && !Set.of("RW", "RDONLY", "NOACCESS").contains(first)) {
                    String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                    String value = unquote(line.substring(eq + 1).strip());
                    switch (key) {
                        case "createtype" -> d.createType = value;
                        case "parentfilenamehint" -> d.backing.add("parentFileNameHint '" + Qcow2Parser.printable(value) + "'");
                        case "parentcid" -> {
                            if (!value.equalsIgnoreCase("ffffffff")) {
                                d.backing.add("parentCID " + Qcow2Parser.printable(value));
                            }
                        }
                        default -> { }
                    }
                    continue;
                }
                if (Set.of("RW", "RDONLY", "NOACCESS").contains(first)) {
                    d.extents.add(extent(line, lineNumber));
                    continue;
                }
                throw new ImageFormatException("vmdk: invalid descriptor line " + lineNumber + ": '"
                        + Qcow2Parser.printable(line) + "'");
            }
            if (d.extents.isEmpty()) {
                throw new ImageFormatException("vmdk: descriptor lists no extents");
            }
            if (d.extents.size() > 4096) {
                throw new ImageFormatException("vmdk: descriptor lists more than 4096 extents");
            }
            return d;
        }

        private static Extent extent(String line, int lineNumber) throws ImageFormatException {
            // ACCESS SECTORS TYPE "FILENAME" [OFFSET]
            String[] parts = line.split("\\s+", 4);
            if (parts.length < 3) {
                throw new ImageFormatException("vmdk: malformed extent line " + lineNumber);
            }
            long sectors;
            try {
                sectors = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                throw new ImageFormatException("vmdk: extent line " + lineNumber + " has no sector count");
            }
            if (sectors < 0) {
                throw new ImageFormatException("vmdk: extent line " + lineNumber + " has a negative sector count");
            }
            String file = "";
            if (parts.length == 4) {
                String rest = parts[3];
                int open = rest.indexOf('"');
                int close = open < 0 ? -1 : rest.indexOf('"', open + 1);
                file = open < 0 || close < 0 ? rest : rest.substring(open + 1, close);
            }
            return new Extent(parts[0].toUpperCase(Locale.ROOT), sectors, parts[2].toUpperCase(Locale.ROOT), file);
        }

        void addViolations(List<SafetyViolation> violations, boolean sparse) {
            for (String b : backing) {
                violations.add(new SafetyViolation("backing_file", "VMDK parent: " + b));
            }
            for (Extent extent : extents) {
                if (extent.file.contains("/") || extent.file.contains("\\") || extent.file.contains("..")) {
                    violations.add(new SafetyViolation("vmdk_extent", "VMDK extent names a path: '"
                            + Qcow2Parser.printable(extent.file) + "'"));
                } else if (sparse && !extent.type.equals("SPARSE")) {
                    violations.add(new SafetyViolation("vmdk_extent", "VMDK extent of type "
                            + Qcow2Parser.printable(extent.type) + " in a sparse file"));
                }
            }
        }
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static String cutAtNul(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    /** Text, as a descriptor may be: no control characters but tab and line ends; UTF-8 bytes allowed ({@code encoding="UTF-8"}). */
    private static boolean isText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0x7F || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
                return false;
            }
        }
        return true;
    }

    /**
     * VMware's first line of a descriptor file, {@code # Disk DescriptorFile} (case aside, after
     * optional blanks): recognised even where qemu's probe is not (its {@code version=} line pushed
     * beyond the first 512 bytes), so a descriptor declared as vmdk is refused for what it is.
     */
    private static boolean startsLikeDescriptorFile(Bytes start) throws ImageFormatException {
        String text = start.latin1(0, start.length()).stripLeading();
        return text.regionMatches(true, 0, "# Disk DescriptorFile", 0, "# Disk DescriptorFile".length());
    }

    /** qemu's {@code vmdk_probe} on the first 512 bytes: comment and blank lines, then {@code version=1|2|3}. */
    static boolean qemuProbesAsVmdk(Bytes start) throws ImageFormatException {
        String p = start.latin1(0, start.length());
        int i = 0;
        int end = p.length();
        while (i < end) {
            char c = p.charAt(i);
            if (c == '#') {
                while (i < end && p.charAt(i) != '\n') {
                    i++;
                }
                i++;
                continue;
            }
            if (c == ' ') {
                while (i < end && p.charAt(i) == ' ') {
                    i++;
                }
                if (i < end && p.charAt(i) == '\r') {
                    i++;
                }
                if (i == end || p.charAt(i) != '\n') {
                    return false;
                }
                i++;
                continue;
            }
            String rest = p.substring(i, Math.min(end, i + 11));
            for (char v = '1'; v <= '3'; v++) {
                if (rest.startsWith("version=" + v + "\n") || rest.startsWith("version=" + v + "\r\n")) {
                    return true;
                }
            }
            return false;
        }
        return false;
    }
}
