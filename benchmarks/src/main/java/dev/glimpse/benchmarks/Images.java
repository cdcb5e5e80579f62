package dev.glimpse.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Makes benchmark images with qemu-img in a temporary directory. */
final class Images {
    private Images() {}

    static Path tempDir() {
        try {
            return Files.createTempDirectory("glimpse-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Creates {@code name} in {@code dir}: {@code spec} is {@code format:size[:option,...]}, e.g.
     * {@code qcow2:1T} or {@code vmdk:1T:subformat=streamOptimized}; raw images are sparse files.
     */
    static Path create(Path dir, String name, String spec) throws IOException, InterruptedException {
        String[] parts = spec.split(":");
        Path file = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", parts[0]));
        if (parts.length > 2) {
            command.add("-o");
            command.add(parts[2]);
        }
        command.add(file.toString());
        command.add(parts[1]);
        run(command);
        return file;
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
