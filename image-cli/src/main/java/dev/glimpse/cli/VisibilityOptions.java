package dev.glimpse.cli;

import dev.glimpse.image.Visibility;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --public | --private | --shared | --community}, at most one, as in {@code openstack image create}. */
final class VisibilityOptions {
    @Option(names = "--public", description = "Visible to every project (needs the publicize_image rule; admin by default).")
    boolean isPublic;

    @Option(names = "--private", description = "Visible to the owning project only.")
    boolean isPrivate;

    @Option(names = "--shared", description = "Visible to the owner and the projects it is shared with (the default).")
    boolean shared;

    @Option(names = "--community", description = "Usable by every project, listed only when asked for.")
    boolean community;

    /** The chosen visibility, or null when none was given. */
    @Nullable Visibility visibility() {
        if (isPublic) {
            return Visibility.PUBLIC;
        }
        if (isPrivate) {
            return Visibility.PRIVATE;
        }
        if (shared) {
            return Visibility.SHARED;
        }
        if (community) {
            return Visibility.COMMUNITY;
        }
        return null;
    }
}
