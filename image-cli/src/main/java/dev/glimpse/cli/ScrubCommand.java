package dev.glimpse.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.cli.internal.Column;
import dev.glimpse.cli.internal.Printer;
import dev.glimpse.cli.internal.Views;
import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.Scrubber;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glimpse scrub}: Glance's {@code glance-scrubber}, run once. With {@code delayed_delete =
 * true} in the configuration, a deleted image waits in {@code pending_delete} with its data kept;
 * this command deletes the data of those that have waited {@code scrub_time} and marks them
 * {@code deleted}, or, with {@code --restore ID}, brings one back to {@code active}. An operator's
 * task: it needs the admin role.
 */
@Command(name = "scrub", description = {
    "Delete the data of images deleted with delayed_delete once scrub_time has passed (glance-scrubber, run once);",
    "with --restore ID, bring such an image back to active instead. Needs the admin role."})
final class ScrubCommand extends ServiceCommand {
    private static final List<Column> COLUMNS = List.of(new Column("id", "ID"), new Column("result", "Result"),
            new Column("reason", "Reason"));

    @Option(names = "--restore", paramLabel = "ID", description = "Restore this pending_delete image instead of scrubbing.")
    @Nullable String restore;

    @Mixin OutputOptions output;

    @Override
    void execute() {
        if (!context().isAdmin()) {
            throw new ForbiddenException("scrubbing is an operator's task; run it with the admin role (--roles admin)");
        }
        Scrubber scrubber = session().scrubber();
        if (restore != null) {
            Image image = scrubber.restore(restore);
            printer(output).record(Views.image(session().json(), image));
            return;
        }
        Scrubber.Report report = scrubber.scrubOnce();
        List<ObjectNode> rows = new ArrayList<>();
        for (String id : report.deleted()) {
            rows.add(Printer.object().put("id", id).put("result", "deleted").put("reason", ""));
        }
        for (Map.Entry<String, String> failure : report.failed().entrySet()) {
            rows.add(Printer.object().put("id", failure.getKey()).put("result", "pending_delete")
                    .put("reason", failure.getValue()));
        }
        printer(output).list(COLUMNS, COLUMNS, rows);
        if (output.format == dev.glimpse.cli.internal.OutputFormat.TABLE) {
            out().println(report.deleted().size() + " scrubbed, " + report.failed().size() + " to retry, "
                    + report.notYetDue() + " not yet due (scrub_time " + session().config().scrubTime().toSeconds() + " s)");
            out().flush();
        }
        if (!report.failed().isEmpty()) {
            throw new dev.glimpse.image.ImageException(report.failed().size()
                    + " image(s) stay pending_delete because their data could not be deleted; run 'glimpse scrub' again");
        }
    }
}
