package dev.glimpse.benchmarks;

import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.format.Inspection;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Seekable inspection of one image per format and size, from an open file: the cost should depend
 * on the format, not on the image size, since only headers and footers are read. Besides the time
 * per inspection, JMH reports {@code bytesRead} and {@code reads}: the I/O of one inspection
 * (secondary results of the {@link Io} counters, per operation).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SeekableInspection -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SeekableInspectionBenchmark {

    /** {@code format:virtual size[:qemu-img -o options]}; 1 TiB sparse images next to 1 MiB ones. */
    @Param({
        "raw:1M", "raw:1T",
        "qcow2:1M", "qcow2:1T",
        "vmdk:1M", "vmdk:1T",
        "vmdk:1M:subformat=streamOptimized", "vmdk:1T:subformat=streamOptimized",
        "vhdx:1M", "vhdx:1T",
        "vpc:1M", "vpc:1T",
        "vdi:1M", "vdi:1T",
        "qed:1M", "qed:1T",
    })
    public String image;

    private Path dir;
    private Path file;
    private FileChannel channel;
    private final FormatInspector inspector = FormatInspector.defaults();

    /** Counters JMH reports per operation: the I/O one inspection does. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Io {
        /** Bytes read from the file, summed over the iteration; divide by operations for per-inspection. */
        public long bytesRead;
        /** Read calls, summed over the iteration. */
        public long reads;
        /** Inspections in the iteration. */
        public long inspections;
    }

    /** Makes the image and opens it once; inspection is measured, not opening the file. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Images.tempDir();
        file = Images.create(dir, "image", image);
        channel = FileChannel.open(file, StandardOpenOption.READ);
        CountingChannel counting = new CountingChannel(channel);
        Inspection inspection = inspector.inspect(counting);
        System.out.printf("%n# %s: detected %s, virtual size %s, file %d bytes, one inspection reads %d bytes in %d reads%n",
                image, inspection.format(), inspection.virtualSize(), Files.size(file), counting.bytesRead(),
                counting.reads());
    }

    /** Closes the file and deletes the image. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        Images.deleteTree(dir);
    }

    /** One seekable inspection of the open image. */
    @Benchmark
    public Inspection inspect(Io io) throws IOException {
        CountingChannel counting = new CountingChannel(channel);
        Inspection inspection = inspector.inspect(counting);
        io.bytesRead += counting.bytesRead();
        io.reads += counting.reads();
        io.inspections++;
        return inspection;
    }
}
