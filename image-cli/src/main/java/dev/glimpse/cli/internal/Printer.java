package dev.glimpse.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Prints listings and single records in the format chosen with {@code -f}, restricted to the
 * columns chosen with {@code -c}, the way OpenStackClient does: {@code table} draws boxes,
 * {@code json} prints the wire objects, {@code value} prints bare values for shell scripts.
 *
 * <p>Records are JSON objects in Glance's wire format; columns name their keys. Without {@code -c}
 * a JSON listing prints whole wire objects, so a script sees exactly what Glance would send.
 */
public final class Printer {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY = MAPPER.writer(
            new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private final PrintWriter out;
    private final OutputFormat format;
    private final List<String> selected;

    /**
     * Creates a printer.
     *
     * @param out where to print; flushed after every call
     * @param format the output format
     * @param selected the {@code -c} names in order, empty for the default columns
     */
    public Printer(PrintWriter out, OutputFormat format, List<String> selected) {
        this.out = Objects.requireNonNull(out, "out");
        this.format = Objects.requireNonNull(format, "format");
        this.selected = List.copyOf(selected);
    }

    /** A new empty JSON object for building a record. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The shared Jackson mapper, configured once. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Prints a listing.
     *
     * @param defaults the columns shown without {@code -c}
     * @param known every column {@code -c} may name by label; a wire key present in the rows is accepted too
     * @param rows the records, in order
     * @throws UsageException if {@code -c} names no known column
     */
    public void list(List<Column> defaults, List<Column> known, List<ObjectNode> rows) {
        List<Column> columns = choose(defaults, known, rows);
        switch (format) {
            case TABLE -> {
                List<String> headings = new ArrayList<>();
                columns.forEach(c -> headings.add(c.label()));
                List<List<String>> cells = new ArrayList<>();
                for (ObjectNode row : rows) {
                    List<String> line = new ArrayList<>();
                    columns.forEach(c -> line.add(cell(row.get(c.key()))));
                    cells.add(line);
                }
                out.print(Table.render(headings, cells));
            }
            case JSON -> {
                ArrayNode array = MAPPER.createArrayNode();
                for (ObjectNode row : rows) {
                    array.add(selected.isEmpty() ? row : restrict(row, columns));
                }
                out.println(json(array));
            }
            case VALUE -> {
                for (ObjectNode row : rows) {
                    List<String> values = new ArrayList<>();
                    columns.forEach(c -> values.add(cell(row.get(c.key()))));
                    out.println(String.join(" ", values));
                }
            }
        }
        out.flush();
    }

    /**
     * Prints one record with every field, sorted by key, as {@code openstack image show} does.
     *
     * @throws UsageException if {@code -c} names a field the record lacks
     */
    public void record(ObjectNode record) {
        List<Column> fields = new ArrayList<>();
        new TreeSet<>(fieldNames(record)).forEach(name -> fields.add(Column.of(name)));
        record(fields, record);
    }

    /**
     * Prints one record with the given fields, in order.
     *
     * @throws UsageException if {@code -c} names none of the fields
     */
    public void record(List<Column> fields, ObjectNode record) {
        List<Column> chosen = choose(fields, fields, List.of(record));
        switch (format) {
            case TABLE -> {
                List<List<String>> cells = new ArrayList<>();
                for (Column field : chosen) {
                    cells.add(List.of(field.label(), cell(record.get(field.key()))));
                }
                out.print(Table.render(List.of("Field", "Value"), cells));
            }
            case JSON -> out.println(json(selected.isEmpty() ? record : restrict(record, chosen)));
            case VALUE -> chosen.forEach(field -> out.println(cell(record.get(field.key()))));
        }
        out.flush();
    }

    private List<Column> choose(List<Column> defaults, List<Column> known, List<ObjectNode> rows) {
        if (selected.isEmpty()) {
            return defaults;
        }
        List<Column> chosen = new ArrayList<>();
        for (String name : selected) {
            chosen.add(find(name, known, rows));
        }
        return chosen;
    }

    private static Column find(String name, List<Column> known, List<ObjectNode> rows) {
        for (Column column : known) {
            if (column.matches(name)) {
                return column;
            }
        }
        for (ObjectNode row : rows) {
            if (row.has(name)) {
                return Column.of(name);
            }
        }
        TreeSet<String> choices = new TreeSet<>();
        known.forEach(c -> choices.add(c.key()));
        rows.forEach(row -> choices.addAll(fieldNames(row)));
        throw new UsageException("no column '" + name + "'; choose from: " + String.join(", ", choices));
    }

    private static ObjectNode restrict(ObjectNode row, List<Column> columns) {
        ObjectNode restricted = MAPPER.createObjectNode();
        for (Column column : columns) {
            JsonNode value = row.get(column.key());
            restricted.set(column.key(), value == null ? MAPPER.nullNode() : value);
        }
        return restricted;
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** The text of one table or value cell: strings bare, lists joined with ", ", null empty. */
    static String cell(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(cell(item)));
            return String.join(", ", items);
        }
        return value.toString();
    }

    private static String json(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree built in memory always serialises; reaching here is a bug in this class.
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
