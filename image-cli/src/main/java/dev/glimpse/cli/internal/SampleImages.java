package dev.glimpse.cli.internal;

import dev.glimpse.image.format.testing.TestImages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Makes the demo's images: a qcow2 holding a few MiB of data, and a hostile qcow2 whose backing
 * file is {@code /etc/passwd} (the classic way to read a host file through an image). With
 * qemu-img when it is installed, as a user would make them; else with the image-formats testing
 * builders, so that the demo needs nothing beyond a JDK.
 */
public final class SampleImages {
    private static final int DATA_BYTES = 4 << 20;

    private SampleImages() {}

    /**
     * Writes the sample to {@code sample} and the hostile image to {@code hostile}, replacing any
     * earlier ones.
     *
     * @return a line saying how they were made
     */
    public static String write(Path sample, Path hostile) throws IOException, InterruptedException {
        Files.deleteIfExists(sample);
        Files.deleteIfExists(hostile);
        if (!onPath("qemu-img")) {
            return writeWithBuilders(sample, hostile);
        }
        Path raw = sample.resolveSibling("sample.raw");
        writeData(raw);
        try {
            run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), sample.toString());
        } finally {
            Files.deleteIfExists(raw);
        }
        run("qemu-img", "create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", hostile.toString(), "1M");
        return "made with qemu-img: " + sample.getFileName() + " (" + Files.size(sample) + " bytes, qcow2, "
                + (DATA_BYTES >> 20) + " MiB virtual) and " + hostile.getFileName() + " (backing file /etc/passwd)";
    }

    /**
     * Writes the same two images with the image-formats testing builders, for machines without
     * qemu-img. The sample holds no data, but is a valid qcow2 that qemu-img would open.
     */
    static String writeWithBuilders(Path sample, Path hostile) throws IOException {
        Files.deleteIfExists(sample);
        Files.deleteIfExists(hostile);
        Files.write(sample, TestImages.qcow2(DATA_BYTES));
        Files.write(hostile, TestImages.Qcow2.builder(1 << 20).backingFile("/etc/passwd").build());
        return "made with the image-formats testing builders (qemu-img is not installed): " + sample.getFileName()
                + " (" + Files.size(sample) + " bytes, qcow2, " + (DATA_BYTES >> 20) + " MiB virtual) and "
                + hostile.getFileName() + " (backing file /etc/passwd)";
    }

    /** A recognisable, incompressible payload, so that the round trip compares real data. */
    private static void writeData(Path raw) throws IOException {
        byte[] block = new byte[64 * 1024];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(raw)) {
            byte[] greeting = "Hello from the Glimpse demo\n".getBytes(StandardCharsets.US_ASCII);
            for (int written = 0; written < DATA_BYTES; written += block.length) {
                random.nextBytes(block);
                System.arraycopy(greeting, 0, block, 0, greeting.length);
                out.write(block);
            }
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command[0] + " did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }
}
