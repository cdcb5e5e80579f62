package dev.glimpse.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterTest {
    private static final List<Column> DEFAULTS = List.of(new Column("id", "ID"), new Column("name", "Name"));
    private static final List<Column> KNOWN = List.of(new Column("id", "ID"), new Column("name", "Name"),
            new Column("disk_format", "Disk Format"));

    private final StringWriter buffer = new StringWriter();

    private Printer printer(OutputFormat format, String... columns) {
        return new Printer(new PrintWriter(buffer), format, List.of(columns));
    }

    private static ObjectNode image(String id, String name) {
        ObjectNode node = Printer.object();
        node.put("id", id);
        node.put("name", name);
        node.put("disk_format", "qcow2");
        node.putArray("tags").add("a").add("b");
        node.putNull("size");
        return node;
    }

    @Test
    void tableListsDefaultColumnsInBoxes() {
        printer(OutputFormat.TABLE).list(DEFAULTS, KNOWN, List.of(image("1", "cirros"), image("22", "debian-12")));
        assertThat(buffer.toString()).isEqualTo("""
                +----+-----------+
                | ID | Name      |
                +----+-----------+
                | 1  | cirros    |
                | 22 | debian-12 |
                +----+-----------+
                """);
    }

    @Test
    void columnsAreChosenByLabelOrKeyIgnoringCase() {
        printer(OutputFormat.VALUE, "disk format", "ID", "tags").list(DEFAULTS, KNOWN, List.of(image("1", "cirros")));
        assertThat(buffer.toString()).isEqualTo("qcow2 1 a, b\n");
    }

    @Test
    void unknownColumnIsAUsageErrorListingTheChoices() {
        assertThatThrownBy(() -> printer(OutputFormat.TABLE, "colour").list(DEFAULTS, KNOWN, List.of(image("1", "x"))))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("no column 'colour'")
                .hasMessageContaining("disk_format, id, name, size, tags");
    }

    @Test
    void jsonListPrintsWholeWireObjectsWithoutColumnsAndOnlyChosenKeysWithThem() throws Exception {
        printer(OutputFormat.JSON).list(DEFAULTS, KNOWN, List.of(image("1", "cirros")));
        JsonNode all = Printer.mapper().readTree(buffer.toString());
        assertThat(all.isArray()).isTrue();
        assertThat(all.get(0).get("tags").get(1).asText()).isEqualTo("b");
        assertThat(all.get(0).has("size")).isTrue();

        buffer.getBuffer().setLength(0);
        printer(OutputFormat.JSON, "ID", "size").list(DEFAULTS, KNOWN, List.of(image("1", "cirros")));
        JsonNode some = Printer.mapper().readTree(buffer.toString());
        assertThat(some.get(0).properties()).extracting(e -> e.getKey()).containsExactly("id", "size");
        assertThat(some.get(0).get("size").isNull()).isTrue();
    }

    @Test
    void emptyTableShowsOnlyTheHeadings() {
        printer(OutputFormat.TABLE).list(DEFAULTS, KNOWN, List.of());
        assertThat(buffer.toString()).isEqualTo("+----+------+\n| ID | Name |\n+----+------+\n");
    }

    @Test
    void recordShowsSortedFieldsAndValues() {
        printer(OutputFormat.TABLE).record(image("1", "cirros"));
        assertThat(buffer.toString()).isEqualTo("""
                +-------------+--------+
                | Field       | Value  |
                +-------------+--------+
                | disk_format | qcow2  |
                | id          | 1      |
                | name        | cirros |
                | size        |        |
                | tags        | a, b   |
                +-------------+--------+
                """);
    }

    @Test
    void recordValuesOnePerLine() {
        printer(OutputFormat.VALUE, "name", "id").record(image("1", "cirros"));
        assertThat(buffer.toString()).isEqualTo("cirros\n1\n");
    }

    @Test
    void recordJsonIsTheWireObject() throws Exception {
        printer(OutputFormat.JSON).record(image("1", "cirros"));
        assertThat(Printer.mapper().readTree(buffer.toString())).isEqualTo(image("1", "cirros"));
    }

    @Test
    void multiLineCellsSpanLines() {
        assertThat(Table.render(List.of("k", "v"), List.of(List.of("a", "x\nyy"))))
                .isEqualTo("+---+----+\n| k | v  |\n+---+----+\n| a | x  |\n|   | yy |\n+---+----+\n");
    }

    @Test
    void outputFormatNamesAreCheckedWithTheChoicesInTheMessage() {
        assertThat(OutputFormat.fromWireName("JSON")).isEqualTo(OutputFormat.JSON);
        assertThatThrownBy(() -> OutputFormat.fromWireName("yaml"))
                .hasMessageContaining("choose table, json or value");
    }
}
