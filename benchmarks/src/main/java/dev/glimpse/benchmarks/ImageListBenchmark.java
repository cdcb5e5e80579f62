package dev.glimpse.benchmarks;

import dev.glimpse.image.ImagePage;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
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
 * One page (25 images) of {@link ImageService#list} with an extra-property filter and a sort, over
 * 100,000 images in the in-memory repository.
 *
 * <p>The catalogue: 100 owner projects, 20% public, the rest shared or private; {@code os_distro} one
 * of 10 values. The caller is one project, so a page must pass visibility rules and the property
 * filter (about 2% of the catalogue matches). {@code sort} picks the path: {@code name} and
 * {@code default} walk an ordered index; {@code size,name} (two keys) scans with a bounded heap.
 * {@code page} 1 is the first page, 40 the fortieth (marker paging).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ImageList -f 1 -wi 2 -i 3}
 *
 * <p>Measured 2026-12-02 on a 2-core machine shared with five busy builds (load average 10 to 20, so
 * wall-clock figures swing widely): per page of 25, JMH average {@code default} 0.25 to 0.8 ms,
 * {@code name} 0.5 to 1.0 ms, {@code size,name} 22 to 28 ms. Thread CPU time per page, best of four
 * 1.5 s rounds (less sensitive to the load): {@code default} 0.06 to 0.2 ms, {@code name} 0.08 to
 * 0.16 ms, {@code size,name} 4.4 to 6.2 ms. Before the ordered indexes every page scanned the
 * catalogue (about 54 ms CPU for {@code size,name}); index walks cost the same on page 40 as on page 1.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ImageListBenchmark {
    private static final String[] DISTROS = {"ubuntu", "debian", "fedora", "centos", "rhel", "suse", "arch", "alpine",
            "cirros", "windows"};

    /** Number of images in the catalogue. */
    @Param("100000")
    public int images;

    /** Sort: {@code default} (created_at desc), {@code name} (name asc) or {@code size,name} (size desc, name asc). */
    @Param({"default", "name", "size,name"})
    public String sort;

    /** Which page to fetch, 1-based, by following markers during setup. */
    @Param({"1", "40"})
    public int page;

    private ImageService service;
    private RequestContext caller;
    private ImageQuery query;

    /** Builds the catalogue and the query (with the marker of the requested page). */
    @Setup(Level.Trial)
    public void setUp() {
        Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
        service = ImageService.builder().clock(new Clock() {
            private long tick;

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public synchronized Instant instant() {
                // Distinct creation times, a few images per second like a busy cloud.
                return clock.instant().plusMillis(250 * tick++);
            }
        // Glance's default policy lets only admins publicize; the fixture's owners publish their own.
        }).policy(Policy.defaults().withRules(Map.of("publicize_image", "role:admin or role:member"))).build();
        Random random = new Random(1);
        for (int i = 0; i < images; i++) {
            RequestContext owner = RequestContext.member("project-" + random.nextInt(100), "user");
            int v = random.nextInt(10);
            Visibility visibility = v < 2 ? Visibility.PUBLIC : v < 6 ? Visibility.SHARED : Visibility.PRIVATE;
            service.create(owner, NewImage.builder().name("image-" + random.nextInt(1_000_000)).visibility(visibility)
                    .minDisk(random.nextInt(40)).property("os_distro", DISTROS[random.nextInt(DISTROS.length)])
                    .property("hw_disk_bus", random.nextBoolean() ? "virtio" : "scsi").build());
        }
        caller = RequestContext.member("project-7", "user");
        ImageQuery.Builder q = ImageQuery.builder().property("os_distro", "ubuntu").limit(25);
        switch (sort) {
            case "default":
                break;
            case "name":
                q.sort(ImageQuery.SortField.NAME, ImageQuery.SortDirection.ASC);
                break;
            case "size,name":
                q.sort(ImageQuery.SortField.SIZE, ImageQuery.SortDirection.DESC)
                        .sort(ImageQuery.SortField.NAME, ImageQuery.SortDirection.ASC);
                break;
            default:
                throw new IllegalArgumentException("unknown sort " + sort);
        }
        query = q.build();
        for (int p = 1; p < page; p++) {
            ImagePage result = service.list(caller, query);
            if (result.nextMarker() == null) {
                throw new IllegalStateException("catalogue has fewer than " + page + " pages");
            }
            query = query.toBuilder().marker(result.nextMarker()).build();
        }
        if (service.list(caller, query).images().size() != 25) {
            throw new IllegalStateException("page " + page + " is not full");
        }
    }

    /** Lists one page. */
    @Benchmark
    public ImagePage listPage() {
        return service.list(caller, query);
    }
}
