package dev.glimpse.benchmarks;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.ContainerInspection;
import dev.glimpse.image.format.FormatInspector;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * OVA validation of a 128 MiB qcow2 disk (64 MiB of it allocated) in a tar made by GNU tar, from
 * a file (disk inspected in place) and from a stream (disk inspected by streaming), with and
 * without a SHA-256 manifest: the archive is always read once, so the cost is that pass plus
 * the digest when there is a manifest.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar OvaValidation -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class OvaValidationBenchmark {
    /** Whether the OVA carries a SHA-256 manifest that must be checked. */
    @Param({"false", "true"})
    public boolean manifest;

    private Path dir;
    private Path ova;
    private final FormatInspector inspector = FormatInspector.defaults();

    /** Builds the OVA with qemu-img and tar. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Images.tempDir();
        byte[] raw = new byte[128 * 1024 * 1024];
        Random random = new Random(7);
        byte[] block = new byte[1024 * 1024];
        for (int mib = 0; mib < 128; mib += 2) {
            random.nextBytes(block);
            System.arraycopy(block, 0, raw, mib * block.length, block.length);
        }
        Files.write(dir.resolve("disk.raw"), raw);
        Images.run(List.of("qemu-img", "convert", "-f", "raw", "-O", "qcow2",
                dir.resolve("disk.raw").toString(), dir.resolve("disk.qcow2").toString()));
        Files.delete(dir.resolve("disk.raw"));
        String ovf = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">
                  <References><File ovf:href="disk.qcow2" ovf:id="f0"/></References>
                </Envelope>
                """;
        Files.writeString(dir.resolve("vm.ovf"), ovf);
        if (manifest) {
            Files.writeString(dir.resolve("vm.mf"), "SHA256(vm.ovf)= " + sha256(dir.resolve("vm.ovf")) + "\n"
                    + "SHA256(disk.qcow2)= " + sha256(dir.resolve("disk.qcow2")) + "\n");
            Images.run(List.of("tar", "--format=ustar", "-C", dir.toString(), "-cf", dir.resolve("vm.ova").toString(),
                    "vm.ovf", "vm.mf", "disk.qcow2"));
        } else {
            Images.run(List.of("tar", "--format=ustar", "-C", dir.toString(), "-cf", dir.resolve("vm.ova").toString(),
                    "vm.ovf", "disk.qcow2"));
        }
        ova = dir.resolve("vm.ova");
        System.out.printf("%n# OVA of %d bytes, manifest %s%n", Files.size(ova), manifest);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Deletes the images. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Images.deleteTree(dir);
    }

    /** Validates the OVA file; the disk is inspected in place. */
    @Benchmark
    public ContainerInspection file() throws IOException {
        return inspector.validate(ova, ContainerFormat.OVA);
    }

    /** Validates the OVA as a stream; the disk is inspected as it streams past. */
    @Benchmark
    public ContainerInspection stream() throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(ova), 64 * 1024)) {
            return inspector.validate(in, ContainerFormat.OVA);
        }
    }
}
