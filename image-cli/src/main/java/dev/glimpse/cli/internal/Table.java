package dev.glimpse.cli.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws a table in the {@code +----+} boxes that OpenStackClient's (prettytable's) output has, so
 * that people who know {@code openstack image list} read it at a glance. A cell with line breaks
 * spans several lines.
 */
public final class Table {
    private Table() {}

    /**
     * Renders a table; every row must have as many cells as there are headings.
     *
     * @return the table, each line ending with {@code \n}
     */
    public static String render(List<String> headings, List<List<String>> rows) {
        int[] widths = new int[headings.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = width(headings.get(i));
        }
        for (List<String> row : rows) {
            if (row.size() != widths.length) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, expected " + widths.length);
            }
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], width(row.get(i)));
            }
        }
        StringBuilder sb = new StringBuilder();
        String rule = rule(widths);
        sb.append(rule);
        line(sb, headings, widths);
        sb.append(rule);
        for (List<String> row : rows) {
            line(sb, row, widths);
        }
        if (!rows.isEmpty()) {
            sb.append(rule);
        }
        return sb.toString();
    }

    private static String rule(int[] widths) {
        StringBuilder sb = new StringBuilder("+");
        for (int width : widths) {
            sb.append("-".repeat(width + 2)).append('+');
        }
        return sb.append('\n').toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths) {
        List<String[]> split = new ArrayList<>();
        int height = 1;
        for (String cell : cells) {
            String[] lines = cell.split("\n", -1);
            split.add(lines);
            height = Math.max(height, lines.length);
        }
        for (int l = 0; l < height; l++) {
            sb.append('|');
            for (int i = 0; i < widths.length; i++) {
                String[] lines = split.get(i);
                String text = l < lines.length ? lines[l] : "";
                sb.append(' ').append(text).append(" ".repeat(widths[i] - text.codePointCount(0, text.length())))
                        .append(" |");
            }
            sb.append('\n');
        }
    }

    private static int width(String cell) {
        int max = 0;
        for (String line : cell.split("\n", -1)) {
            max = Math.max(max, line.codePointCount(0, line.length()));
        }
        return max;
    }
}
