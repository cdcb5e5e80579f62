package dev.glimpse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.ContainerInspection;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.Inspection;
import dev.glimpse.image.format.SafetyViolation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code glimpse inspect [--json] [--expect FORMAT] FILE...}: detects, measures and safety-checks
 * each file with {@link FormatInspector}, reading only the regions each format needs.
 *
 * <p>A file is {@code ok} when it breaks no rule of its format, carries no unsafe feature
 * (backing file, external data file, ...) and, with {@code --expect}, is the expected disk
 * format or a valid container of the expected container format. Otherwise it is {@code reject},
 * with the reason. Files are inspected one after the other; one bad file does not stop the rest.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Detect the format of disk images, measure them and check that they are safe.",
            "Exit status: 0 when every file is ok, 1 when any is refused or unreadable, 2 on a usage error."
        })
public final class InspectCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object per line per file instead of a table.")
    boolean json;

    @Option(
            names = "--expect",
            paramLabel = "FORMAT",
            converter = ExpectationConverter.class,
            description = "Refuse files that are not this disk format (qcow2, vmdk, raw, ...) or not a valid "
                    + "container of this container format (ova, ovf, docker, compressed, bare).")
    @Nullable Expectation expect;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The files to inspect.")
    List<Path> files = List.of();

    /** Creates the command; picocli calls this. */
    public InspectCommand() {}

    /** What {@code --expect} asked for: exactly one of a disk format or a container format. */
    record Expectation(@Nullable DiskFormat disk, @Nullable ContainerFormat container) {}

    /**
     * Parses {@code --expect}. Disk format names win where the two sets overlap ({@code ami},
     * {@code ari}, {@code aki}): for those the container is the disk itself, so the check is the same.
     */
    static final class ExpectationConverter implements ITypeConverter<Expectation> {
        @Override
        public Expectation convert(String value) {
            try {
                return new Expectation(DiskFormat.fromWireName(value), null);
            } catch (IllegalArgumentException notDisk) {
                try {
                    return new Expectation(null, ContainerFormat.fromWireName(value));
                } catch (IllegalArgumentException notContainer) {
                    throw new TypeConversionException("'" + value + "' is neither a disk format ("
                            + names(DiskFormat.values()) + ") nor a container format ("
                            + names(ContainerFormat.values()) + ")");
                }
            }
        }

        private static String names(Object[] values) {
            return Arrays.stream(values).map(Object::toString).collect(Collectors.joining(", "));
        }
    }

    /** The outcome for one file: one table row or one JSON line. */
    record Row(String file, @Nullable String format, @Nullable Long virtualSize, @Nullable Long actualSize,
            boolean ok, String why, Map<String, Object> details) {}

    @Override
    public Integer call() {
        FormatInspector inspector = FormatInspector.defaults();
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows = new ArrayList<>();
        for (Path file : files) {
            Row row = inspect(inspector, file);
            rows.add(row);
            if (json) {
                // One line per file as soon as it is known, so a long run can be followed.
                out.println(toJson(row));
                out.flush();
            }
        }
        if (!json) {
            printTable(out, rows);
        }
        out.flush();
        return rows.stream().allMatch(Row::ok) ? GlimpseCommand.OK : GlimpseCommand.REFUSED;
    }

    private Row inspect(FormatInspector inspector, Path file) {
        String name = file.toString();
        Long size = sizeOf(file);
        try {
            if (expect != null && expect.container() != null) {
                return containerRow(name, inspector.validate(file, expect.container()));
            }
            Inspection inspection = inspector.inspect(file);
            if (expect != null && expect.disk() != null) {
                try {
                    FormatInspector.requireDeclared(inspection, expect.disk());
                } catch (ImageFormatException e) {
                    return diskRow(name, inspection, e.getMessage());
                }
            }
            return diskRow(name, inspection, violations(inspection.violations()));
        } catch (NoSuchFileException e) {
            return new Row(name, null, null, size, false, "cannot read: no such file", Map.of());
        } catch (ImageFormatException e) {
            return new Row(name, null, null, size, false, e.getMessage(), Map.of());
        } catch (IOException | UncheckedIOException e) {
            return new Row(name, null, null, size, false, "cannot read: " + e.getMessage(), Map.of());
        }
    }

    private static Row diskRow(String name, Inspection inspection, String why) {
        Map<String, Object> details = new LinkedHashMap<>(new java.util.TreeMap<>(inspection.details()));
        if (!inspection.violations().isEmpty()) {
            details.put("violations", inspection.violations().stream().map(SafetyViolation::code).toList());
        }
        return new Row(name, inspection.format(), boxed(inspection), inspection.actualSize(), why.isEmpty(), why,
                details);
    }

    private static Row containerRow(String name, ContainerInspection container) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("container_format", container.format().wireName());
        details.putAll(new java.util.TreeMap<>(container.details()));
        if (!container.members().isEmpty()) {
            details.put("members", container.members());
        }
        String format = container.format().wireName();
        Long virtualSize = null;
        if (container.disk().isPresent()) {
            Inspection disk = container.disk().get();
            virtualSize = boxed(disk);
            details.put("disk_format", disk.format());
            disk.details().forEach((key, value) -> details.putIfAbsent("disk_" + key, value));
            if (container.members().isEmpty()) {
                // bare, ami, ari, aki: the data is the disk, so its format is what was found.
                format = disk.format();
            }
        }
        return new Row(name, format, virtualSize, container.actualSize(), true, "", details);
    }

    private static @Nullable Long boxed(Inspection inspection) {
        return inspection.virtualSize().isPresent() ? inspection.virtualSize().getAsLong() : null;
    }

    private static String violations(List<SafetyViolation> violations) {
        return violations.stream().map(SafetyViolation::toString).collect(Collectors.joining("; "));
    }

    private static @Nullable Long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static String toJson(Row row) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("file", row.file());
        object.put("format", row.format());
        object.put("virtual_size", row.virtualSize());
        object.put("actual_size", row.actualSize());
        object.put("verdict", row.ok() ? "ok" : "reject");
        object.put("why", row.why());
        object.put("details", row.details());
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            // Details hold only strings, numbers, booleans and lists of strings.
            throw new IllegalStateException("cannot write JSON for " + row.file(), e);
        }
    }

    private static void printTable(PrintWriter out, List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"FILE", "FORMAT", "VIRTUAL SIZE", "ACTUAL SIZE", "VERDICT", "WHY"});
        for (Row row : rows) {
            cells.add(new String[] {
                row.file(),
                row.format() == null ? "-" : row.format(),
                human(row.virtualSize()),
                human(row.actualSize()),
                row.ok() ? "ok" : "reject",
                row.why()
            });
        }
        int[] widths = new int[6];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                boolean number = i == 2 || i == 3;
                String cell = line[i];
                String pad = " ".repeat(widths[i] - cell.length());
                // Sizes are right-aligned so that their magnitudes line up.
                text.append(number ? pad + cell : i == line.length - 1 ? cell : cell + pad);
                if (i < line.length - 1) {
                    text.append("  ");
                }
            }
            out.println(text.toString().stripTrailing());
        }
    }

    /** A size for people: exact bytes below 1 KiB, otherwise in the largest binary unit, one decimal. */
    static String human(@Nullable Long bytes) {
        if (bytes == null) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value == Math.rint(value)
                ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + units[unit];
    }
}
