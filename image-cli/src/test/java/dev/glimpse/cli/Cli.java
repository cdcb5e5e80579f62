package dev.glimpse.cli;

import dev.glimpse.cli.internal.Terminal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs glimpse commands in-process on one home directory and captures what they print. */
final class Cli {
    private final Path home;
    private final List<String> globals = new ArrayList<>();

    /** The result of one run. */
    record Result(int status, String out, String err, String terminal) {}

    Cli(Path home, String... globals) {
        this.home = home;
        this.globals.addAll(List.of(globals));
    }

    /** Runs with a terminal that shows no progress. */
    Result run(String... args) {
        return run(false, args);
    }

    /** Runs with an interactive (progress-drawing) terminal when {@code interactive}. */
    Result run(boolean interactive, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(interactive, 80, new PrintStream(screen, true, StandardCharsets.UTF_8),
                System::nanoTime);
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(globals);
        all.addAll(List.of(args));
        int status = Main.run(terminal, Map.of(), new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Result(status, out.toString(), err.toString(), screen.toString(StandardCharsets.UTF_8));
    }
}
