package dev.glimpse.cli;

import dev.glimpse.cli.internal.Errors;
import dev.glimpse.cli.internal.Terminal;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of {@code glimpse.jar}. Exit status: 0 on success, 1 when a request was refused or
 * failed (or, for {@code inspect}, an image was refused), 2 on a command-line mistake.
 */
public final class Main {
    private Main() {}

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        int status;
        try (GlimpseCommand root = new GlimpseCommand()) {
            status = commandLine(root).execute(args);
        }
        System.exit(status);
    }

    /**
     * Runs {@code args} against a root command with the given terminal and environment, printing
     * to {@code out} and {@code err}; for tests and embedding. Closes the catalogue it opened.
     *
     * @return the exit status
     */
    public static int run(Terminal terminal, Map<String, String> environment, PrintWriter out, PrintWriter err,
            String... args) {
        try (GlimpseCommand root = new GlimpseCommand(terminal, environment)) {
            CommandLine cli = commandLine(root);
            cli.setOut(out);
            cli.setErr(err);
            return cli.execute(args);
        }
    }

    /** Builds the picocli command line around {@code root}, with Glimpse's error reporting. */
    static CommandLine commandLine(GlimpseCommand root) {
        CommandLine cli = new CommandLine(root);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            if (Errors.exitCode(e) == Errors.USAGE) {
                return usage(command, e.getMessage());
            }
            return Errors.report(e, command.getErr(), root.debug());
        });
        cli.setParameterExceptionHandler((e, args) -> {
            String message = e.getMessage();
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
                message += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
            }
            return usage(e.getCommandLine(), message);
        });
        return cli;
    }

    /** Reports a command-line mistake on one line, with where to read the right usage. */
    private static int usage(CommandLine command, String message) {
        PrintWriter err = command.getErr();
        err.println("glimpse: " + message + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return Errors.USAGE;
    }
}
