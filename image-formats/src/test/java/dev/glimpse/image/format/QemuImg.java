package dev.glimpse.image.format;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs qemu-img and friends for oracle tests; skips (not fails) only when the tool is absent. */
final class QemuImg {
    private QemuImg() {}

    static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static void assumeTool(String tool) {
        assumeTrue(available(tool), tool + " is not installed");
    }

    /** Runs a command and returns its standard output; fails the test when it exits non-zero. */
    static String run(String... command) throws IOException, InterruptedException {
        assumeTool(command[0]);
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + Arrays.toString(command));
        }
        if (process.exitValue() != 0) {
            throw new IOException(Arrays.toString(command) + " failed: " + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** {@code qemu-img create -f FORMAT [-o OPTIONS] PATH SIZE}. */
    static Path create(Path path, String format, String options, long size) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", format));
        if (!options.isEmpty()) {
            command.add("-o");
            command.add(options);
        }
        command.add(path.toString());
        command.add(Long.toString(size));
        run(command.toArray(String[]::new));
        return path;
    }

    /** {@code qemu-img info -f FORMAT --output=json PATH}. */
    static JsonNode info(Path path, String format) throws IOException, InterruptedException {
        return new ObjectMapper().readTree(run("qemu-img", "info", "-f", format, "--output=json", path.toString()));
    }
}
