package dev.glimpse.image.format.internal;

import java.util.List;

/** The registry of parsers. Add a parser here and every inspection runs it. */
final class Parsers {
    private Parsers() {}

    /** Disk-format parsers; each is stateless. Failures are reported in this order. */
    static final List<FormatParser> DISK = List.of(
            // one line per parser, kept in alphabetical order to make merges trivial
            new IsoParser(),
            new LuksParser(),
            new ProbedFormatsParser(),
            new Qcow2Parser(),
            new QedParser(),
            new VdiParser(),
            new VhdParser(),
            new VhdxParser(),
            new VmdkParser());

    /** Detail probes run on every image; each is stateless. */
    static final List<DetailProbe> DETAILS = List.of(
            // one line per probe, kept in alphabetical order to make merges trivial
            new PartitionTableProbe(),
            new PayloadProbe());
}
