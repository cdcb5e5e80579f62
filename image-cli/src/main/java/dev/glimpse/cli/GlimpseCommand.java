package dev.glimpse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code glimpse} command. It does nothing itself: each task is a subcommand, so
 * that later ones ({@code image create}, {@code image list}, ...) are added to
 * {@link Command#subcommands()} here without touching the others.
 *
 * <p>Exit status, for every subcommand: 0 success, 1 input refused or unreadable, 2 usage error.
 */
@Command(
        name = "glimpse",
        mixinStandardHelpOptions = true,
        versionProvider = GlimpseCommand.Version.class,
        description = "Inspect and manage virtual machine images.",
        subcommands = {InspectCommand.class, CommandLine.HelpCommand.class},
        exitCodeOnInvalidInput = GlimpseCommand.USAGE,
        exitCodeOnExecutionException = GlimpseCommand.REFUSED)
public final class GlimpseCommand implements Callable<Integer> {
    /** Exit status when every input passed. */
    public static final int OK = 0;
    /** Exit status when some input was refused or could not be read. */
    public static final int REFUSED = 1;
    /** Exit status on a usage error. */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    /** Creates the command; picocli calls this. */
    public GlimpseCommand() {}

    /** A command line for {@code glimpse} with its exit codes configured; used by {@link Main} and tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new GlimpseCommand());
    }

    /** Without a subcommand there is nothing to do: print the usage and report a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** Reports the version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = GlimpseCommand.class.getPackage().getImplementationVersion();
            return new String[] {"glimpse " + (version == null ? "(development build)" : version)};
        }
    }
}
