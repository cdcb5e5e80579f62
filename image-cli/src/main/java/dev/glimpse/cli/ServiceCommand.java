package dev.glimpse.cli;

import dev.glimpse.cli.internal.Printer;
import dev.glimpse.cli.internal.Session;
import dev.glimpse.image.RequestContext;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every catalogue command shares: the root command's session and request context, and the
 * streams picocli was given. Subclasses do their work in {@link #execute()} and let exceptions
 * escape; {@link Main} turns them into one-line reports and exit statuses.
 */
abstract class ServiceCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        execute();
        return 0;
    }

    /** Does the command's work. */
    abstract void execute() throws Exception;

    final GlimpseCommand root() {
        return (GlimpseCommand) spec.root().userObject();
    }

    final Session session() {
        return root().session();
    }

    final RequestContext context() {
        return session().context();
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    final Printer printer(OutputOptions output) {
        return new Printer(out(), output.format, output.columns);
    }

    /** A printer for commands without {@code -f}/{@code -c}. */
    final Printer tablePrinter() {
        return new Printer(out(), dev.glimpse.cli.internal.OutputFormat.TABLE, List.of());
    }
}
