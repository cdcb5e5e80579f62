package dev.glimpse.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.format.ImageFormatException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void reportsOneLineWithAHintAndExitOneForRefusals() {
        StringWriter err = new StringWriter();
        int code = Errors.report(new NotFoundException("No image found with ID 42"), new PrintWriter(err), false);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(
                "glimpse: No image found with ID 42 (see 'glimpse image list' for what this project can see)"
                        + System.lineSeparator());
    }

    @Test
    void usageMistakesExitTwo() {
        StringWriter err = new StringWriter();
        assertThat(Errors.report(new UsageException("no column 'x'"), new PrintWriter(err), false)).isEqualTo(2);
        assertThat(err.toString()).startsWith("glimpse: no column 'x'");
    }

    @Test
    void malformedValuesFromLibraryCallsAreUsageMistakes() {
        StringWriter err = new StringWriter();
        assertThat(Errors.report(new IllegalArgumentException("unknown member status 'maybe'"), new PrintWriter(err), false))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("glimpse: invalid value: unknown member status 'maybe'");
    }

    @Test
    void stackTraceOnlyWithDebug() {
        StringWriter quiet = new StringWriter();
        Errors.report(new IllegalStateException("boom"), new PrintWriter(quiet), false);
        assertThat(quiet.toString()).doesNotContain("\tat ").contains("--debug");
        StringWriter loud = new StringWriter();
        Errors.report(new IllegalStateException("boom"), new PrintWriter(loud), true);
        assertThat(loud.toString()).contains("\tat ");
    }

    @Test
    void eachFamilyIsNamed() {
        assertThat(Errors.message(new ForbiddenException("x"))).startsWith("not allowed: x");
        assertThat(Errors.message(new ConflictException("x"))).startsWith("conflict: x");
        assertThat(Errors.message(new ImageFormatException("qcow2 backing file"))).startsWith("image refused: qcow2 backing file");
        assertThat(Errors.message(new UncheckedIOException(new NoSuchFileException("/nope")))).isEqualTo("no such file: /nope");
    }
}
