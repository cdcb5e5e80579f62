package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.spi.AccessScope;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.store.ImageStoreRegistry;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM ({@link CrashChild}) with SIGKILL at random moments while it uploads and
 * writes the catalogue, then reopens everything and checks that every change the child reported
 * is there and intact, and that nothing is corrupt. Repeated over one catalogue, so each round
 * also recovers from the previous crash.
 */
class CrashTest {
    private static final int ROUNDS = 6;

    @TempDir
    Path root;

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private Process start(long seed, CountDownLatch ready) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), root.toString(), Long.toString(seed))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("READY")) {
                        ready.countDown();
                    } else {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // The pipe breaks when the child is killed.
            }
        });
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    @Test
    void everyReportedChangeSurvivesRepeatedKills() throws Exception {
        Random random = new Random();
        long seed = random.nextLong();
        for (int round = 0; round < ROUNDS; round++) {
            CountDownLatch ready = new CountDownLatch(1);
            int before = lines.size();
            Process child = start(seed + round, ready);
            try {
                assertThat(ready.await(30, TimeUnit.SECONDS)).as("child started (seed %d)", seed).isTrue();
                if (round == 0) {
                    assertThatThrownBy(() -> FileImageRepository.open(root.resolve("catalogue")))
                            .isInstanceOf(CatalogueLockedException.class)
                            .hasMessageContaining("pid " + child.pid());
                }
                // Wait for the child's first change (a loaded machine may be slow), then kill it at a
                // random moment.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (lines.size() == before && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(random.nextInt(1200));
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            Thread.sleep(50); // let the reader drain what the child printed before it died
            assertThat(lines.size()).as("child made progress in round %d (seed %d)", round, seed).isGreaterThan(before);
            check(seed);
        }
    }

    /** Reopens the catalogue and store and checks every reported change. */
    private void check(long seed) throws IOException {
        Map<String, String> uploaded = new HashMap<>();
        Map<String, Set<String>> tags = new HashMap<>();
        Set<String> created = new HashSet<>();
        Set<String> deleted = new HashSet<>();
        synchronized (lines) {
            for (String line : lines) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "CREATED" -> created.add(parts[1]);
                    case "UPLOADED" -> uploaded.put(parts[1], parts[2]);
                    case "TAGGED" -> tags.computeIfAbsent(parts[1], k -> new HashSet<>()).add(parts[2]);
                    case "DELETED" -> deleted.add(parts[1]);
                    default -> throw new AssertionError("unexpected child output: " + line);
                }
            }
        }
        FilesystemImageStore store = FilesystemImageStore.builder("local").dataDirectory(root.resolve("images")).build();
        try (FileImageRepository repository = FileImageRepository.open(root.resolve("catalogue"))) {
            ImageService service = ImageService.builder().repository(repository).stores(ImageStoreRegistry.of(store))
                    .build();
            for (String id : created) {
                Image image = repository.get(id).orElseThrow(() -> new AssertionError("lost image " + id + " seed " + seed));
                if (deleted.contains(id)) {
                    assertThat(image.status()).isEqualTo(ImageStatus.DELETED);
                    assertThat(root.resolve("images").resolve(id)).doesNotExist();
                    continue;
                }
                assertThat(image.tags()).containsAll(tags.getOrDefault(id, Set.of()));
                if (uploaded.containsKey(id)) {
                    assertThat(image.status()).isEqualTo(ImageStatus.ACTIVE);
                    assertThat(image.osHashValue()).contains(uploaded.get(id));
                    try (ImageData data = service.download(CrashChild.OWNER, id).orElseThrow()) {
                        assertThat(data.stream().readAllBytes()).isEqualTo(CrashChild.dataFor(id));
                    }
                }
            }
            // Nothing the child did not report may look whole: active images all have verified data.
            for (Image image : repository.list(ImageQuery.builder().build(), AccessScope.system(), 100_000)) {
                if (image.status() == ImageStatus.ACTIVE) {
                    try (ImageData data = service.download(CrashChild.OWNER, image.id()).orElseThrow()) {
                        assertThat(data.stream().readAllBytes()).isEqualTo(CrashChild.dataFor(image.id()));
                    }
                }
            }
            // Recovery, as at startup: nothing stuck in saving, no file that no image needs.
            CatalogueRecovery.Report report = CatalogueRecovery.recover(repository, store, java.time.Duration.ZERO);
            for (String id : report.requeuedImages()) {
                assertThat(uploaded).as("a reported upload was requeued (seed %d)", seed).doesNotContainKey(id);
                Image image = repository.get(id).orElseThrow();
                assertThat(image.status()).isEqualTo(ImageStatus.QUEUED);
                assertThat(image.size()).isEmpty();
                assertThat(image.locations()).isEmpty();
            }
            for (Image image : repository.images()) {
                assertThat(image.status()).as("image %s after recovery (seed %d)", image.id(), seed)
                        .isNotEqualTo(ImageStatus.SAVING);
            }
            try (Stream<Path> files = Files.list(root.resolve("images"))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    assertThat(name).as("temp file left after recovery (seed %d)", seed).doesNotStartWith(".");
                    Image owner = repository.get(name).orElseThrow(() -> new AssertionError("stray data " + name));
                    assertThat(owner.status()).as("owner of file %s after recovery (seed %d)", name, seed)
                            .isEqualTo(ImageStatus.ACTIVE);
                }
            }
            // A second recovery finds nothing left to repair.
            assertThat(CatalogueRecovery.recover(repository, store, java.time.Duration.ZERO).isClean()).isTrue();
        }
    }
}
