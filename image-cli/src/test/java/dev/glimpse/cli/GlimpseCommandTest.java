package dev.glimpse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glimpse.cli.internal.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

class GlimpseCommandTest {

    /** Prints what the root command resolved, as every real subcommand sees it. */
    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            GlimpseCommand root = (GlimpseCommand) spec.root().userObject();
            var context = root.context();
            spec.commandLine().getOut().print(root.homeDirectory() + " " + context.projectId() + " " + context.userId()
                    + " " + new java.util.TreeSet<>(context.roles()) + (context.isAdmin() ? " admin" : ""));
        }
    }

    private static String probe(Map<String, String> env, String... args) {
        GlimpseCommand root = new GlimpseCommand(Terminal.none(System.out), env);
        CommandLine cli = Main.commandLine(root);
        cli.addSubcommand(new Probe());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void defaultsToALocalAdminInGlimpseDataOfTheWorkingDirectory() {
        assertThat(probe(Map.of(), "probe"))
                .isEqualTo("glimpse-data admin admin [admin, member, reader] admin");
    }

    @Test
    void homeComesFromTheEnvironmentUnlessGiven() {
        assertThat(probe(Map.of("GLIMPSE_HOME", "/srv/images"), "probe")).startsWith(Path.of("/srv/images") + " ");
        assertThat(probe(Map.of("GLIMPSE_HOME", "/srv/images"), "--home", "/tmp/h", "probe")).startsWith("/tmp/h ");
    }

    @Test
    void globalOptionsMayFollowTheSubcommand() {
        assertThat(probe(Map.of(), "probe", "--home", "/tmp/x", "--project", "p1", "--user", "u1", "--roles", "member,reader"))
                .isEqualTo("/tmp/x p1 u1 [member, reader]");
    }

    @Test
    void usageMistakesPrintOneLineAndExitTwo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(Terminal.none(System.out), Map.of(), new PrintWriter(out), new PrintWriter(err), "--hme=x");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith("glimpse: Unknown option: '--hme=x'")
                .contains("(see 'glimpse --help')");
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(out.toString()).isEmpty();
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        return Main.run(Terminal.none(System.out), Map.of(), new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void everyCommandHasHelpAndGroupsAloneShowTheirUsage() {
        for (String[] args : new String[][] {{"image", "create", "--help"}, {"inspect", "--help"},
            {"metadef", "namespace", "list", "--help"}, {"image", "member", "set", "-h"}, {"--version"}}) {
            StringWriter out = new StringWriter();
            assertThat(run(out, new StringWriter(), args)).as(String.join(" ", args)).isZero();
            assertThat(out.toString()).isNotBlank();
        }
        StringWriter err = new StringWriter();
        assertThat(run(new StringWriter(), err, "image")).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: glimpse image").contains("create").contains("member");
        StringWriter none = new StringWriter();
        assertThat(run(new StringWriter(), none)).isEqualTo(2);
        assertThat(none.toString()).contains("Usage: glimpse").contains("image").contains("inspect").contains("demo");
    }

    @Test
    void typosInCommandNamesSuggestTheRightOne() {
        StringWriter err = new StringWriter();
        assertThat(run(new StringWriter(), err, "image", "lst")).isEqualTo(2);
        assertThat(err.toString()).contains("'lst'").contains("list").contains("(see 'glimpse image --help')");
        assertThat(err.toString().lines()).hasSize(1);
    }
}
