package dev.glimpse.benchmarks;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.fs.FileImageRepository;
import dev.glimpse.image.store.fs.FilesystemImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Upload throughput, measured by hand (not in CI): generates an image file, then times, in the
 * same run and over the same bytes, one thread computing SHA-512 (the floor no upload can beat
 * without more digest threads), a sequential Java loop doing what an upload does one step after
 * another, and a real {@code ImageService.upload} into a {@link FilesystemImageStore} with the
 * file-backed catalogue (MD5 + SHA-512 + streaming inspection + write + fsync).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.glimpse.benchmarks.UploadBenchmark \
 *     --dir /dev/shm/glimpse-bench --size-mib 2048 --rounds 3
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.glimpse.benchmarks.UploadBenchmark \
 *     --dir /tmp/glimpse-sparse --size-mib 20480 --sparse --rounds 1 --upload-only
 * </pre>
 *
 * {@code --sparse} makes a sparse file of zeros and stores it thin-provisioned (holes stay holes),
 * to show that a huge upload runs in a small heap. Throughput is MB/s (10^6 bytes per second).
 */
public final class UploadBenchmark {
    private static final RequestContext OWNER = RequestContext.member("bench", "bench");

    private UploadBenchmark() {}

    /** Runs the benchmark; see the class comment for arguments. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of("/dev/shm/glimpse-bench");
        long sizeMib = 2048;
        int rounds = 3;
        boolean sparse = false;
        boolean uploadOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--size-mib" -> sizeMib = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--sparse" -> sparse = true;
                case "--upload-only" -> uploadOnly = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        long size = sizeMib * 1024 * 1024;
        Files.createDirectories(dir);
        Path source = dir.resolve("source.img");
        generate(source, size, sparse);
        System.out.printf("source %s: %d bytes%s; heap max %d MiB; %d CPUs%n", source, size,
                sparse ? " (sparse zeros)" : "", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());

        Path work = dir;
        List<Double> sha = new ArrayList<>();
        List<Double> sequential = new ArrayList<>();
        List<Double> upload = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            if (!uploadOnly) {
                sha.add(report("round " + round + " sha512 1 thread", size, () -> digestOnly(source)));
                sequential.add(report("round " + round + " sequential loop", size, () -> sequentialLoop(source, work)));
            }
            boolean thin = sparse;
            upload.add(report("round " + round + " ImageService.upload", size, () -> upload(source, work, thin)));
        }
        if (!uploadOnly) {
            double bestSha = Collections.max(sha);
            double bestUpload = Collections.max(upload);
            System.out.printf("best: sha512 %.0f MB/s, sequential %.0f MB/s, upload %.0f MB/s; upload/sha512 = %.2f%n",
                    bestSha, Collections.max(sequential), bestUpload, bestUpload / bestSha);
        }
        Files.deleteIfExists(source);
    }

    @FunctionalInterface
    private interface Task {
        void run() throws Exception;
    }

    /**
     * Times a task: wall clock, and CPU seconds of the whole process, which tell on a shared
     * machine whether a slow run was starved of CPU or did too much work.
     */
    private static double report(String name, long size, Task task) throws Exception {
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        task.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpuStart) / 1e9;
        double mbs = size / 1e6 / seconds;
        System.out.printf("%-32s %8.2f s %8.0f MB/s   cpu %6.2f s (%.0f MB per cpu-s)%n", name, seconds, mbs, cpu,
                size / 1e6 / cpu);
        return mbs;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static void generate(Path file, long size, boolean sparse) throws IOException {
        if (Files.exists(file) && Files.size(file) == size) {
            return;
        }
        if (sparse) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(size);
            }
            return;
        }
        // Random-looking bytes with no format signature: a raw image, inspected like any upload.
        byte[] block = new byte[1024 * 1024];
        new Random(1).nextBytes(block);
        block[0] = 0x11;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, size - written));
                block[1]++;
            }
        }
    }

    private static void digestOnly(Path source) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-512");
        ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            while (in.read(buffer.clear()) >= 0) {
                buffer.flip();
                sha.update(buffer);
            }
        }
        sha.digest();
    }

    /** What a plain loop does: read, MD5, SHA-512, write, one after another; then fsync. */
    private static void sequentialLoop(Path source, Path dir) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        MessageDigest sha = MessageDigest.getInstance("SHA-512");
        Path target = dir.resolve("sequential.out");
        byte[] buffer = new byte[1024 * 1024];
        try (InputStream in = Files.newInputStream(source);
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                md5.update(buffer, 0, n);
                sha.update(buffer, 0, n);
                ByteBuffer wrapped = ByteBuffer.wrap(buffer, 0, n);
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
            }
            out.force(true);
        }
        Files.delete(target);
    }

    private static void upload(Path source, Path dir, boolean thin) throws Exception {
        FilesystemImageStore store = FilesystemImageStore.builder("bench").dataDirectory(dir.resolve("images"))
                .thinProvisioning(thin).build();
        try (FileImageRepository repository = FileImageRepository.open(dir.resolve("catalogue"))) {
            ImageService service = ImageService.builder().repository(repository).stores(ImageStoreRegistry.of(store))
                    .imageSizeCap(-1).build();
            Image image = service.create(OWNER, NewImage.builder().diskFormat(DiskFormat.RAW)
                    .containerFormat(ContainerFormat.BARE).build());
            Image active;
            try (InputStream in = Files.newInputStream(source)) {
                active = service.upload(OWNER, image.id(), in);
            }
            if (active.size().orElseThrow() != Files.size(source)) {
                throw new IllegalStateException("uploaded " + active.size() + " bytes of " + Files.size(source));
            }
            service.delete(OWNER, image.id());
        }
    }
}
