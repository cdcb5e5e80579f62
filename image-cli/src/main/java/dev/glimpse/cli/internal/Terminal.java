package dev.glimpse.cli.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What the command knows of where its output goes: whether a person is watching (a terminal) and
 * how wide the screen is. Progress bars are drawn only for a person; scripts and pipes get the
 * result alone.
 *
 * @param interactive whether stdout is a terminal
 * @param width the width in columns
 * @param out where progress is drawn
 * @param nanoClock the clock progress rates are measured with
 */
public record Terminal(boolean interactive, int width, PrintStream out, LongSupplier nanoClock) {

    /** A terminal that shows no progress, for tests and scripted runs. */
    public static Terminal none(PrintStream out) {
        return new Terminal(false, 80, out, System::nanoTime);
    }

    /**
     * Detects the terminal of this process. {@link System#console()} is non-null only when both
     * stdin and stdout are terminals, which is when a progress bar helps; the width comes from
     * {@code COLUMNS}, else {@code stty size}, else 80.
     */
    public static Terminal detect() {
        boolean interactive = System.console() != null;
        return new Terminal(interactive, interactive ? detectWidth() : 80, System.out, System::nanoTime);
    }

    /**
     * Returns a progress bar for a copy of {@code total} bytes (-1 when unknown), or {@code null}
     * when nobody is watching.
     */
    public @Nullable ProgressBar progress(String label, long total) {
        return interactive ? new ProgressBar(out, label, total, width, nanoClock) : null;
    }

    /**
     * Wraps {@code in} so that reading it draws a progress bar, when a person is watching; returns
     * {@code in} itself otherwise.
     */
    public InputStream track(InputStream in, String label, long total) {
        ProgressBar bar = progress(label, total);
        return bar == null ? in : new ProgressInputStream(in, bar);
    }

    private static int detectWidth() {
        String columns = System.getenv("COLUMNS");
        if (columns != null) {
            try {
                return Integer.parseInt(columns.trim());
            } catch (NumberFormatException ignored) {
                // Not a number: fall through to stty.
            }
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (stty.waitFor(1, TimeUnit.SECONDS)) {
                String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                        .trim().split("\\s+");
                if (size.length == 2) {
                    return Integer.parseInt(size[1]);
                }
            } else {
                stty.destroyForcibly();
            }
        } catch (IOException | NumberFormatException e) {
            // No stty or no tty: the default width is good enough for a progress bar.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 80;
    }
}
