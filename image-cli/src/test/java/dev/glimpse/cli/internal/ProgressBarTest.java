package dev.glimpse.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(5 * SECOND);
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsBarPercentBytesRateAndTimeLeft() {
        ProgressBar bar = new ProgressBar(out, "Uploading", 100L << 20, 80, clock::get);
        clock.addAndGet(2 * SECOND);
        bar.advance(20L << 20);
        String line = bar.line(clock.get());
        assertThat(line).startsWith("Uploading [").hasSize(79);
        assertThat(line.replaceAll(" +", " ")).endsWith("] 20% 20.0 MiB/100.0 MiB 10.0 MiB/s ETA 0:08");
        assertThat(line.substring(line.indexOf('[') + 1, line.indexOf(']'))).matches("=+> +");
    }

    @Test
    void barKeepsItsLengthAsTheFiguresChange() {
        ProgressBar bar = new ProgressBar(out, "Up", 10L << 30, 100, clock::get);
        clock.addAndGet(SECOND);
        bar.advance(1);
        String early = bar.line(clock.get());
        clock.addAndGet(1000 * SECOND);
        bar.advance((10L << 30) - 2);
        String late = bar.line(clock.get());
        assertThat(late.indexOf(']')).isEqualTo(early.indexOf(']'));
        assertThat(late).hasSameSizeAs(early);
    }

    @Test
    void fitsNarrowTerminalsByDroppingTheBar() {
        ProgressBar bar = new ProgressBar(out, "Downloading", 1000, 40, clock::get);
        bar.advance(500);
        clock.addAndGet(SECOND);
        String line = bar.line(clock.get());
        assertThat(line).doesNotContain("[").doesNotContain("/s").hasSizeLessThanOrEqualTo(39)
                .isEqualTo("Downloading 50% 500 B/1000 B ETA 0:01");
    }

    @Test
    void unknownTotalShowsBytesRateAndElapsedTime() {
        ProgressBar bar = new ProgressBar(out, "Uploading", -1, 80, clock::get);
        clock.addAndGet(65 * SECOND);
        bar.advance(3 << 20);
        assertThat(bar.line(clock.get()).replaceAll(" +", " ")).isEqualTo("Uploading 3.0 MiB 47.3 KiB/s 1:05");
    }

    @Test
    void redrawsInPlaceAtMostEveryTenthOfASecondAndEndsTheLineOnFinish() {
        ProgressBar bar = new ProgressBar(out, "Up", 1000, 60, clock::get);
        bar.advance(100);
        bar.advance(100);
        assertThat(screen().chars().filter(c -> c == '\r').count()).isEqualTo(1);
        clock.addAndGet(ProgressBar.REDRAW_NANOS);
        bar.advance(800);
        assertThat(screen().chars().filter(c -> c == '\r').count()).isEqualTo(2);
        bar.finish();
        bar.finish();
        assertThat(screen()).endsWith("\n").contains("100%");
        assertThat(screen().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void streamAdvancesTheBarAndFinishesItOnClose() throws Exception {
        ProgressBar bar = new ProgressBar(out, "Up", 10, 60, clock::get);
        try (InputStream in = new ProgressInputStream(new ByteArrayInputStream(new byte[10]), bar)) {
            assertThat(in.read()).isZero();
            clock.addAndGet(SECOND);
            assertThat(in.read(new byte[20])).isEqualTo(9);
        }
        assertThat(screen()).contains("100%").endsWith("\n");
    }

    @Test
    void nonInteractiveTerminalDrawsNothingAndReturnsTheSameStream() {
        Terminal terminal = new Terminal(false, 80, out, clock::get);
        InputStream in = new ByteArrayInputStream(new byte[3]);
        assertThat(terminal.track(in, "Up", 3)).isSameAs(in);
        assertThat(terminal.progress("Up", 3)).isNull();
        assertThat(screen()).isEmpty();
    }

    @Test
    void interactiveTerminalTracksTheStream() throws Exception {
        Terminal terminal = new Terminal(true, 80, out, clock::get);
        try (InputStream in = terminal.track(new ByteArrayInputStream(new byte[3]), "Up", 3)) {
            in.readAllBytes();
        }
        assertThat(screen()).startsWith("\rUp [").endsWith("\n");
    }

    @Test
    void sizesAndDurationsReadLikePeopleWriteThem() {
        assertThat(ProgressBar.bytes(1023)).isEqualTo("1023 B");
        assertThat(ProgressBar.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(ProgressBar.bytes(5L << 30)).isEqualTo("5.0 GiB");
        assertThat(ProgressBar.duration(59)).isEqualTo("0:59");
        assertThat(ProgressBar.duration(3725)).isEqualTo("1:02:05");
        assertThat(ProgressBar.duration(360_000)).isEqualTo(">99h");
    }
}
