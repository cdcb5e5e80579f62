package dev.glimpse.cli.internal;

import dev.glimpse.image.ChecksumMismatchException;
import dev.glimpse.image.ConflictException;
import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.ImageException;
import dev.glimpse.image.InvalidImageDataException;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.QuotaExceededException;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.store.fs.CatalogueLockedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * Turns a failure into the one line a person reads and the exit status a script tests: 1 when the
 * request was refused or failed, 2 when the command line was wrong. The line says what went wrong
 * and, where there is one, what to do about it. Stack traces only with {@code --debug}.
 */
public final class Errors {
    /** Exit status of a refused or failed request. */
    public static final int FAILED = 1;
    /** Exit status of a command-line mistake. */
    public static final int USAGE = 2;

    private Errors() {}

    /**
     * Prints the one-line report of {@code error} to {@code err} (and its stack trace when
     * {@code debug}) and returns the exit status.
     */
    public static int report(Throwable error, PrintWriter err, boolean debug) {
        Throwable cause = unwrap(error);
        err.println("glimpse: " + message(cause));
        if (debug) {
            error.printStackTrace(err);
        }
        err.flush();
        return exitCode(cause);
    }

    /** The exit status for {@code error}. */
    public static int exitCode(Throwable error) {
        // Library calls reject malformed values given on the command line (a blank --project, an
        // unknown --member-status) with IllegalArgumentException: a usage mistake, not a failure.
        return unwrap(error) instanceof IllegalArgumentException ? USAGE : FAILED;
    }

    /** The line that describes {@code error}, without the {@code glimpse: } prefix. */
    public static String message(Throwable error) {
        Throwable e = unwrap(error);
        String text = text(e);
        if (e instanceof UsageException) {
            return text;
        }
        if (e instanceof IllegalArgumentException) {
            return "invalid value: " + text;
        }
        if (e instanceof NotFoundException) {
            return text + " (see 'glimpse image list' for what this project can see)";
        }
        if (e instanceof ForbiddenException) {
            return "not allowed: " + text + " (act as the owner or an admin with --project/--roles)";
        }
        if (e instanceof ConflictException) {
            return "conflict: " + text + " (check the current state with 'glimpse image show')";
        }
        if (e instanceof QuotaExceededException) {
            return "quota exceeded: " + text + " (free space, or raise the quota in the --config file)";
        }
        if (e instanceof InvalidImageDataException) {
            return "image refused: " + text + " (run 'glimpse inspect FILE' for details)";
        }
        if (e instanceof InvalidRequestException) {
            return "invalid request: " + text;
        }
        if (e instanceof ImageException) {
            return text;
        }
        if (e instanceof ImageFormatException) {
            return "image refused: " + text + " (run 'glimpse inspect FILE' for details)";
        }
        if (e instanceof CatalogueLockedException) {
            return text + " (another glimpse command or application is using this --home; wait for it, or use another)";
        }
        if (e instanceof ChecksumMismatchException) {
            return "the stored data is corrupt: " + text + " (nothing was written; restore the image from a good copy)";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file: " + text;
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file already exists: " + text + " (choose another name or remove it first)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + text;
        }
        if (e instanceof IOException) {
            return "I/O error: " + text;
        }
        return "internal error: " + e.getClass().getSimpleName() + ": " + text
                + " (run again with --debug for the stack trace, and report it)";
    }

    private static String text(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e instanceof UncheckedIOException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
