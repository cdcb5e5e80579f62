package dev.glimpse.cli;

import dev.glimpse.cli.internal.Session;
import dev.glimpse.cli.internal.Terminal;
import dev.glimpse.image.RequestContext;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code glimpse} command: global options and the command groups under it. Options marked as
 * inherited may be given before or after the subcommand ({@code glimpse --home d image list} or
 * {@code glimpse image list --home d}).
 */
@Command(name = "glimpse",
        mixinStandardHelpOptions = true,
        versionProvider = GlimpseCommand.Version.class,
        description = {
            "Glimpse: a catalogue of VM images in the manner of OpenStack Glance, on your disk.",
            "The catalogue and its image data live under --home (default $GLIMPSE_HOME, else ./glimpse-data)."},
        subcommands = {ImageCommand.class, InspectCommand.class, MetadefCommand.class, ScrubCommand.class, DemoCommand.class,
            CommandLine.HelpCommand.class},
        scope = CommandLine.ScopeType.INHERIT,
        exitCodeOnInvalidInput = GlimpseCommand.USAGE,
        exitCodeOnExecutionException = GlimpseCommand.REFUSED,
        usageHelpAutoWidth = true)
public final class GlimpseCommand implements Callable<Integer>, AutoCloseable {
    /** Exit status when every input passed. */
    public static final int OK = 0;
    /** Exit status when some input was refused, or a request failed. */
    public static final int REFUSED = 1;
    /** Exit status on a usage error. */
    public static final int USAGE = 2;

    @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Where the catalogue and image data live; created on first use "
                    + "(default: $GLIMPSE_HOME, else ./glimpse-data).")
    @Nullable Path home;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A glance-api.conf-style configuration file.")
    @Nullable Path config;

    @Option(names = "--project", paramLabel = "ID", scope = ScopeType.INHERIT, defaultValue = "admin",
            description = "The project you act for (default: ${DEFAULT-VALUE}).")
    String project = "admin";

    @Option(names = "--user", paramLabel = "ID", scope = ScopeType.INHERIT, defaultValue = "admin",
            description = "The user you act as (default: ${DEFAULT-VALUE}).")
    String user = "admin";

    @Option(names = "--roles", paramLabel = "ROLE", split = ",", scope = ScopeType.INHERIT,
            defaultValue = "admin,member,reader",
            description = "Your roles, comma separated (default: ${DEFAULT-VALUE}); "
                    + "try --roles member,reader to act as a plain project member.")
    List<String> roles = List.of("admin", "member", "reader");

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    @Spec CommandSpec spec;

    private final Terminal terminal;
    private final Map<String, String> environment;
    private @Nullable Session session;

    /** Creates the command for this process's terminal and environment. */
    public GlimpseCommand() {
        this(Terminal.detect(), System.getenv());
    }

    /** Creates the command with a given terminal and environment (tests). */
    public GlimpseCommand(Terminal terminal, Map<String, String> environment) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.environment = Map.copyOf(environment);
    }

    /** A command line for {@code glimpse} with Glimpse's error reporting; used by {@link Main} and tests. */
    public static CommandLine commandLine() {
        return Main.commandLine(new GlimpseCommand());
    }

    /** Without a subcommand there is nothing to do: print the usage and report a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The terminal progress bars are drawn on. */
    Terminal terminal() {
        return terminal;
    }

    /** Whether {@code --debug} was given. */
    boolean debug() {
        return debug;
    }

    /** The directory of the catalogue: {@code --home}, else {@code $GLIMPSE_HOME}, else {@code ./glimpse-data}. */
    Path homeDirectory() {
        if (home != null) {
            return home;
        }
        String fromEnvironment = environment.get("GLIMPSE_HOME");
        return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? "glimpse-data" : fromEnvironment);
    }

    /** The request context built from {@code --project}, {@code --user} and {@code --roles}. */
    RequestContext context() {
        Set<String> roleSet = new LinkedHashSet<>();
        for (String role : roles) {
            if (!role.isBlank()) {
                roleSet.add(role.trim());
            }
        }
        return RequestContext.builder().projectId(project).userId(user).roles(roleSet).build();
    }

    /** The catalogue session, opened on first use and closed with this command. */
    Session session() {
        if (session == null) {
            session = Session.open(homeDirectory(), config, context());
        }
        return session;
    }

    /** The global options as given (home resolved), for commands that run other commands. */
    List<String> globalArguments() {
        List<String> args = new java.util.ArrayList<>(List.of("--home", homeDirectory().toString()));
        if (config != null) {
            args.addAll(List.of("--config", config.toString()));
        }
        args.addAll(List.of("--project", project, "--user", user, "--roles", String.join(",", roles)));
        if (debug) {
            args.add("--debug");
        }
        return args;
    }

    /** Closes the catalogue session, if one was opened, releasing the catalogue's lock. */
    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
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
