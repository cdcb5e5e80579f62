package dev.glimpse.cli.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar for uploads and downloads: bar, percentage, bytes done and total,
 * rate and time left, redrawn in place with a carriage return and fitted to the terminal width.
 *
 * <pre>{@code
 * Uploading [==========>        ]  52%  53.2 MiB/102.0 MiB   12.1 MiB/s ETA     0:04
 * }</pre>
 *
 * <p>Redrawn at most every {@value #REDRAW_NANOS} ns so that a fast copy does not spend its time
 * printing. The clock is injected so that tests can drive it. Not thread-safe: one copying thread
 * advances it.
 */
public final class ProgressBar {
    static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final int width;
    private final LongSupplier nanoClock;
    private final long started;
    private long done;
    private long lastDrawn = Long.MIN_VALUE;
    private int lastLength;
    private boolean finished;

    /**
     * Creates a bar and draws it at 0.
     *
     * @param out the terminal
     * @param label what is happening, e.g. {@code Uploading}
     * @param total the number of bytes expected, or -1 when unknown
     * @param width the terminal width in columns
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    public ProgressBar(PrintStream out, String label, long total, int width, LongSupplier nanoClock) {
        this.out = Objects.requireNonNull(out, "out");
        this.label = Objects.requireNonNull(label, "label");
        this.total = total;
        this.width = Math.max(20, width);
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.started = nanoClock.getAsLong();
        draw(started);
    }

    /** Records {@code bytes} more bytes copied and redraws if enough time has passed. */
    public void advance(long bytes) {
        done += bytes;
        long now = nanoClock.getAsLong();
        if (now - lastDrawn >= REDRAW_NANOS) {
            draw(now);
        }
    }

    /** Draws the final state and ends the line. Later calls do nothing. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        draw(nanoClock.getAsLong());
        out.println();
        out.flush();
    }

    /** The line as it would be drawn now, without the carriage return; for tests. */
    String line(long now) {
        String stats = stats(now, true);
        if (label.length() + 1 + stats.length() > width - 1) {
            // Too narrow for everything: the rate and the padding go, the time left stays.
            stats = stats(now, false).replaceAll(" +", " ").trim();
        }
        // The bar takes whatever the label and figures leave of the width, if that is worth drawing.
        int room = width - 1 - label.length() - 1 - stats.length() - 4;
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (total >= 0 && room >= 10) {
            int filled = (int) (room * (long) percent() / 100);
            sb.append('[').append("=".repeat(filled));
            if (filled < room) {
                sb.append('>').append(" ".repeat(room - filled - 1));
            }
            sb.append("]  ");
        }
        sb.append(stats);
        return sb.length() > width - 1 ? sb.substring(0, width - 1) : sb.toString();
    }

    private String stats(long now, boolean withRate) {
        double seconds = Math.max(0, now - started) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        // Fixed-width fields, so that the bar keeps its length from one redraw to the next.
        StringBuilder stats = new StringBuilder();
        if (total >= 0) {
            stats.append(String.format(Locale.ROOT, "%3d%% %9s/%-9s", percent(), bytes(done), bytes(total)));
        } else {
            stats.append(String.format(Locale.ROOT, "%9s", bytes(done)));
        }
        if (withRate) {
            stats.append(String.format(Locale.ROOT, " %11s", bytes((long) rate) + "/s"));
        }
        if (total >= 0 && done < total && rate > 0) {
            stats.append(String.format(Locale.ROOT, " ETA %8s", duration((long) Math.ceil((total - done) / rate))));
        } else {
            stats.append(String.format(Locale.ROOT, " %12s", duration((long) seconds)));
        }
        return stats.toString();
    }

    private int percent() {
        if (total <= 0) {
            return 100;
        }
        return (int) Math.min(100, done * 100 / total);
    }

    private void draw(long now) {
        lastDrawn = now;
        String line = line(now);
        // Pad over the remains of a longer previous line.
        out.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    /** Bytes in binary units with one decimal, as people read sizes: {@code 12.5 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Seconds as {@code m:ss} or {@code h:mm:ss}; {@code >99h} beyond, which no one waits for. */
    static String duration(long seconds) {
        if (seconds >= 100 * 3600) {
            return ">99h";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
