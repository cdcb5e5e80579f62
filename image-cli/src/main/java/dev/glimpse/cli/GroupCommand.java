package dev.glimpse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code image}, {@code image member}, {@code metadef},
 * ...): run on its own, it prints its usage to stderr and exits with the usage status, 2.
 */
abstract class GroupCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public final Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return GlimpseCommand.USAGE;
    }
}
