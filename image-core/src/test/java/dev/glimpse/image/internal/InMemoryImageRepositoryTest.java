package dev.glimpse.image.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageQuery.SortDirection;
import dev.glimpse.image.ImageQuery.SortField;
import dev.glimpse.image.VersionConflictException;
import dev.glimpse.image.spi.AccessScope;
import dev.glimpse.image.spi.ImageQueries;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.spi.ImageRepositoryContractTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InMemoryImageRepositoryTest extends ImageRepositoryContractTest {
    @Override
    protected ImageRepository newRepository() {
        return new InMemoryImageRepository();
    }

    /**
     * Regression: an image renamed during an index walk moved ahead and was listed twice on one page.
     * The ordered indexes must never show an image twice, nor a stale version once writes stop.
     */
    @Test
    void indexedListsStayConsistentUnderConcurrentWrites() throws Exception {
        int count = 200;
        for (int n = 1; n <= count; n++) {
            repo.create(image(n, "p").name("n" + n).build());
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int seed = w;
            writers.add(pool.submit(() -> {
                Random random = new Random(seed);
                while (!stop.get()) {
                    String id = id(1 + random.nextInt(count));
                    Image current = repo.get(id).orElseThrow();
                    try {
                        repo.update(current.toBuilder().name("n" + random.nextInt(1000)).build());
                    } catch (VersionConflictException lost) {
                        // the other writer won; fine
                    }
                }
                return null;
            }));
        }
        AccessScope scope = new AccessScope("p", false);
        ImageQuery byName = ImageQuery.builder().sort(SortField.NAME, SortDirection.ASC).build();
        for (int round = 0; round < 300; round++) {
            List<Image> page = repo.list(byName, scope, 50);
            assertThat(page).hasSizeLessThanOrEqualTo(50);
            assertThat(page.stream().map(Image::id).collect(Collectors.toSet())).hasSize(page.size());
        }
        stop.set(true);
        for (Future<?> f : writers) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<Image> all = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            all.add(repo.get(id(n)).orElseThrow());
        }
        List<Image> expected = all.stream().sorted(ImageQueries.comparator(byName.effectiveSort()))
                .collect(Collectors.toList());
        assertThat(repo.list(byName, scope, count)).isEqualTo(expected);
        assertThat(new HashSet<>(repo.list(byName, scope, count))).hasSize(count);
    }
}
