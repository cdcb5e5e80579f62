package dev.glimpse.benchmarks;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.store.fs.FileImageRepository;
import dev.glimpse.image.store.fs.internal.RecordCodec;
import dev.glimpse.image.store.fs.internal.RecordLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Time to open a file-backed catalogue of many images, measured by hand:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.glimpse.benchmarks.CatalogueOpenBenchmark \
 *     --dir /tmp/glimpse-catalogue --images 100000
 * </pre>
 *
 * Writes the catalogue once (as a compacted snapshot plus a log of recent changes, the state a
 * long-running catalogue is in), then opens it in this fresh JVM and reports the first (cold) open
 * and the best of three.
 */
public final class CatalogueOpenBenchmark {
    private CatalogueOpenBenchmark() {}

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of("/tmp/glimpse-catalogue");
        int count = 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--images" -> count = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!Files.exists(dir.resolve("catalogue.snapshot"))) {
            generate(dir, count);
        }
        System.out.printf("catalogue %s: snapshot %d bytes, log %d bytes%n", dir,
                Files.size(dir.resolve("catalogue.snapshot")), Files.size(dir.resolve("catalogue.log")));
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            int size;
            try (FileImageRepository repository = FileImageRepository.open(dir)) {
                size = repository.size();
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            best = Math.min(best, ms);
            System.out.printf("open %d: %d images in %d ms%n", i + 1, size, ms);
        }
        System.out.printf("best open: %d ms%n", best);
    }

    private static void generate(Path dir, int count) throws Exception {
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        List<byte[]> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            Instant created = t0.plusSeconds(i);
            Image image = Image.builder().id(id).name("image-" + i).status(ImageStatus.ACTIVE)
                    .visibility(i % 3 == 0 ? Visibility.PUBLIC : Visibility.SHARED).owner("project-" + (i % 500))
                    .diskFormat(DiskFormat.QCOW2).containerFormat(ContainerFormat.BARE)
                    .size(1_000_000L + i).virtualSize(10_737_418_240L)
                    .checksum("0123456789abcdef0123456789abcdef").osHashAlgo("sha512")
                    .osHashValue("ab".repeat(64)).minDisk(10).minRam(512)
                    .createdAt(created).updatedAt(created).tags(List.of("bench", "tag-" + (i % 10)))
                    .locations(List.of(new ImageLocation("file:///var/lib/glimpse/images/" + id, Map.of(), "local",
                            ImageLocation.Status.ACTIVE)))
                    .properties(Map.of("os_distro", "debian", "os_version", "12", "hw_disk_bus", "virtio",
                            "architecture", "x86_64", "description", "benchmark image number " + i))
                    .version(1).build();
            records.add(RecordCodec.image(image));
        }
        try (RecordLog log = RecordLog.open(dir, payload -> { })) {
            log.compact(records);
            // A log of recent changes after the snapshot, as between two compactions.
            for (int i = 0; i < 1000; i++) {
                log.append(records.get(i));
            }
        }
    }
}
