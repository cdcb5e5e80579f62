package dev.glimpse.cli;

import dev.glimpse.cli.internal.UsageException;
import dev.glimpse.cli.internal.Views;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.MemberStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glimpse image member ...}: sharing a {@code shared} image with other projects. The owner
 * adds and removes members; each member accepts or rejects the image for itself, and only then does
 * it appear in that project's {@code image list}.
 */
@Command(name = "member", description = "Share an image with other projects.", synopsisSubcommandLabel = "COMMAND",
        subcommands = {MemberCommand.Create.class, MemberCommand.ListMembers.class, MemberCommand.Show.class,
            MemberCommand.Set.class, MemberCommand.Delete.class})
final class MemberCommand extends GroupCommand {
    private MemberCommand() {}

    @Command(name = "create", description = "Share an image with a project (the image must be --shared).")
    static final class Create extends ServiceCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "ID or name.") String image;
        @Parameters(index = "1", paramLabel = "PROJECT", description = "The project to share with.") String project;
        @Mixin OutputOptions output;

        @Override
        void execute() {
            ImageService service = session().images();
            ImageMember member = service.addMember(context(), ImageCommand.resolve(service, context(), image).id(), project);
            printer(output).record(Views.MEMBER_LIST, Views.member(member));
        }
    }

    /** {@code image add project IMAGE PROJECT}, OpenStackClient's name for {@code member create}. */
    @Command(name = "project", description = "Share an image with a project (same as 'image member create').")
    static final class AddProject extends ServiceCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "ID or name.") String image;
        @Parameters(index = "1", paramLabel = "PROJECT", description = "The project to share with.") String project;
        @Mixin OutputOptions output;

        @Override
        void execute() {
            ImageService service = session().images();
            ImageMember member = service.addMember(context(), ImageCommand.resolve(service, context(), image).id(), project);
            printer(output).record(Views.MEMBER_LIST, Views.member(member));
        }
    }

    @Command(name = "list", description = "List the projects an image is shared with.")
    static final class ListMembers extends ServiceCommand {
        @Parameters(paramLabel = "IMAGE", description = "ID or name.") String image;
        @Mixin OutputOptions output;

        @Override
        void execute() {
            ImageService service = session().images();
            List<ObjectNode> rows = new ArrayList<>();
            for (ImageMember member : service.listMembers(context(), ImageCommand.resolve(service, context(), image).id())) {
                rows.add(Views.member(member));
            }
            printer(output).list(Views.MEMBER_LIST, Views.MEMBER_LIST, rows);
        }
    }

    @Command(name = "show", description = "Show one membership.")
    static final class Show extends ServiceCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "ID or name.") String image;
        @Parameters(index = "1", paramLabel = "PROJECT", description = "The member project.") String project;
        @Mixin OutputOptions output;

        @Override
        void execute() {
            ImageService service = session().images();
            ImageMember member = service.getMember(context(), ImageCommand.resolve(service, context(), image).id(), project);
            printer(output).record(Views.member(member));
        }
    }

    @Command(name = "set", description = "Accept, reject or reconsider an image shared with your project.")
    static final class Set extends ServiceCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "ID or name (pending images included).")
        String image;

        @Parameters(index = "1", paramLabel = "PROJECT", arity = "0..1",
                description = "The member project (default: yours, from --project).")
        @Nullable String project;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Answer answer;

        /** Exactly one of {@code --accept}, {@code --reject}, {@code --pending}, {@code --status}. */
        static final class Answer {
            @Option(names = "--accept", description = "Accept the image: it appears in your image list.") boolean accept;
            @Option(names = "--reject", description = "Reject the image.") boolean reject;
            @Option(names = "--pending", description = "Back to undecided.") boolean pending;
            @Option(names = "--status", paramLabel = "STATUS", description = "accepted, rejected or pending.")
            @Nullable MemberStatus status;

            MemberStatus status() {
                if (accept) {
                    return MemberStatus.ACCEPTED;
                }
                if (reject) {
                    return MemberStatus.REJECTED;
                }
                if (pending) {
                    return MemberStatus.PENDING;
                }
                if (status == null) {
                    throw new UsageException("give --accept, --reject, --pending or --status");
                }
                return status;
            }
        }

        @Mixin OutputOptions output;

        @Override
        void execute() {
            ImageService service = session().images();
            String member = project != null ? project : context().projectId();
            ImageMember updated = service.updateMember(context(), pendingOrListed(service, context(), image), member, answer.status());
            printer(output).record(Views.MEMBER_LIST, Views.member(updated));
        }
    }

    /**
     * The ID an IMAGE argument of {@code member set} names. A member has not necessarily accepted
     * the image yet, so a name is looked up among shared images of every membership status.
     */
    static String pendingOrListed(ImageService service, dev.glimpse.image.RequestContext context, String reference) {
        if (reference.matches("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")) {
            return reference;
        }
        List<dev.glimpse.image.Image> found = service.list(context, dev.glimpse.image.ImageQuery.builder().name(reference)
                .memberStatuses(List.of(MemberStatus.values())).limit(2).build()).images();
        if (found.size() != 1) {
            return ImageCommand.resolve(service, context, reference).id(); // reports none or several
        }
        return found.get(0).id();
    }

    @Command(name = "delete", description = "Stop sharing an image with a project.")
    static final class Delete extends ServiceCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "ID or name.") String image;
        @Parameters(index = "1", paramLabel = "PROJECT", description = "The member project.") String project;

        @Override
        void execute() {
            ImageService service = session().images();
            service.removeMember(context(), ImageCommand.resolve(service, context(), image).id(), project);
        }
    }

    /** {@code image remove project IMAGE PROJECT}, OpenStackClient's name for {@code member delete}. */
    @Command(name = "project", description = "Stop sharing an image with a project (same as 'image member delete').")
    static final class RemoveProject extends ServiceCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "ID or name.") String image;
        @Parameters(index = "1", paramLabel = "PROJECT", description = "The member project.") String project;

        @Override
        void execute() {
            ImageService service = session().images();
            service.removeMember(context(), ImageCommand.resolve(service, context(), image).id(), project);
        }
    }
}
