package dev.glimpse.benchmarks;

import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.format.Inspection;
import dev.glimpse.image.format.StreamingInspection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming inspection throughput: a whole image, already in memory, pushed through
 * {@link StreamingInspection#update} in 64 KiB chunks as an upload would. The time per operation
 * is for {@link #SIZE} bytes, so MB/s = 256 / (ms per op / 1000). Memory in use is the image
 * array plus what the inspection keeps, which is bounded by its limits.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar StreamingInspection -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@State(Scope.Benchmark)
public class StreamingInspectionBenchmark {
    /** Bytes of guest data in each image. */
    static final int SIZE = 256 * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    /** The format of the image streamed: raw, or qcow2 converted from the same raw data. */
    @Param({"raw", "qcow2"})
    public String format;

    private byte[] image;
    private final FormatInspector inspector = FormatInspector.defaults();

    /** Makes 256 MiB of mixed guest data (random and zero runs) and, for qcow2, converts it with qemu-img. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Images.tempDir();
        try {
            byte[] raw = new byte[SIZE];
            Random random = new Random(42);
            byte[] block = new byte[1024 * 1024];
            for (int offset = 0; offset < SIZE; offset += block.length) {
                // Every other MiB is data; the rest stays zero, so qcow2 has allocated and free clusters.
                if ((offset / block.length) % 2 == 0) {
                    random.nextBytes(block);
                    System.arraycopy(block, 0, raw, offset, block.length);
                }
            }
            if (format.equals("raw")) {
                image = raw;
            } else {
                Path rawFile = dir.resolve("data.raw");
                Files.write(rawFile, raw);
                raw = null;
                Path converted = dir.resolve("data." + format);
                Images.run(List.of("qemu-img", "convert", "-f", "raw", "-O", format, rawFile.toString(),
                        converted.toString()));
                image = Files.readAllBytes(converted);
            }
            System.out.printf("%n# streaming %s: %d bytes in %d KiB chunks%n", format, image.length, CHUNK / 1024);
        } finally {
            Images.deleteTree(dir);
        }
    }

    /** Streams the whole image through one inspection. */
    @Benchmark
    public Inspection stream() throws IOException {
        StreamingInspection inspection = inspector.startStreaming();
        for (int offset = 0; offset < image.length; offset += CHUNK) {
            inspection.update(image, offset, Math.min(CHUNK, image.length - offset));
        }
        return inspection.finish();
    }
}
