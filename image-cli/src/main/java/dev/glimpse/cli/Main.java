package dev.glimpse.cli;

import picocli.CommandLine;

/** Starts the {@code glimpse} command line and exits with the command's status. */
public final class Main {
    private Main() {}

    /**
     * Runs {@code glimpse} with {@code args}; exits 0 on success, 1 when a command refused its
     * input or failed, 2 on a usage error.
     */
    public static void main(String[] args) {
        System.exit(GlimpseCommand.commandLine().execute(args));
    }
}
