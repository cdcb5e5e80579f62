package dev.glimpse.image.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Inspects one file in every mode (seekable, and streaming in chunks of 1, 17, 512, 4096 and 1 MiB
 * bytes) and asserts that all give the same answer: the same inspection, or the same refusal.
 */
final class Modes {
    static final int[] CHUNKS = {1, 17, 512, 4096, 1024 * 1024};

    private Modes() {}

    /** The outcome of one mode: an inspection or the message of the refusal. */
    record Outcome(Inspection inspection, String refusal) {
        Inspection get() {
            if (inspection == null) {
                throw new AssertionError("refused: " + refusal);
            }
            return inspection;
        }
    }

    static Outcome seekable(Path path) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(path, StandardOpenOption.READ)) {
            return new Outcome(FormatInspector.defaults().inspect(channel), null);
        } catch (ImageFormatException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    static Outcome streaming(Path path, int chunk) throws IOException {
        StreamingInspection inspection = FormatInspector.defaults().startStreaming();
        byte[] buffer = new byte[Math.max(chunk, 64 * 1024)];
        try (var in = Files.newInputStream(path)) {
            for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                for (int at = 0; at < n; at += chunk) {
                    inspection.update(buffer, at, Math.min(chunk, n - at));
                }
            }
        }
        try {
            return new Outcome(inspection.finish(), null);
        } catch (ImageFormatException e) {
            return new Outcome(null, e.getMessage());
        }
    }

    /** Inspects {@code path} every way; returns the common outcome. */
    static Outcome all(Path path) throws IOException {
        Outcome seekable = seekable(path);
        for (int chunk : CHUNKS) {
            assertThat(streaming(path, chunk)).as("streaming in chunks of %d bytes vs seekable", chunk).isEqualTo(seekable);
        }
        return seekable;
    }

    /** Seekable and streaming in 17-byte, 4 KiB and 1 MiB chunks: for large tables of cases. */
    static Outcome quick(Path dir, String name, byte[] content) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, content);
        Outcome seekable = seekable(path);
        for (int chunk : new int[] {17, 4096, 1024 * 1024}) {
            assertThat(streaming(path, chunk)).as("streaming in chunks of %d bytes vs seekable", chunk).isEqualTo(seekable);
        }
        return seekable;
    }

    static Outcome all(Path dir, String name, byte[] content) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, content);
        return all(path);
    }
}
