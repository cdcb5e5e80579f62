package dev.glimpse.cli;

import dev.glimpse.cli.internal.OutputFormat;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code -f} and {@code -c} options of every command that prints records, as in OpenStackClient. */
final class OutputOptions {
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = FormatConverter.class,
            description = "Output format: table, json (Glance's wire format) or value (default: ${DEFAULT-VALUE}).")
    OutputFormat format = OutputFormat.TABLE;

    @Option(names = {"-c", "--column"}, paramLabel = "COLUMN",
            description = "Show only this column (repeatable); a heading or a wire key such as disk_format.")
    List<String> columns = new ArrayList<>();

    /** Converts {@code -f} values, naming the accepted ones on a mistake. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.fromWireName(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
