package dev.glimpse.benchmarks;

import dev.glimpse.image.RequestContext;
import dev.glimpse.image.metadef.MetadefService;
import dev.glimpse.image.policy.Policy;
import dev.glimpse.image.policy.PolicyTargets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost governance adds to a call: one policy decision with Glance's default rules (the
 * {@code get_image} rule is the longest: five alternatives behind two roles), parsing a rule, and
 * checking a set of image properties against the standard metadata definitions.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Policy -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PolicyBenchmark {
    private Policy policy;
    private RequestContext owner;
    private RequestContext stranger;
    private Map<String, String> sharedImage;
    private MetadefService metadefs;
    private Map<String, String> properties;

    /** Builds the policy, the targets and the standard definitions. */
    @Setup
    public void setUp() {
        policy = Policy.defaults();
        owner = RequestContext.member("owner-project", "alice");
        stranger = RequestContext.member("other-project", "bob");
        sharedImage = PolicyTargets.image("c5f1b7a2-0000-4000-8000-000000000001", "owner-project", "private", null,
                null, Map.of("os_distro", "debian"));
        RequestContext admin = RequestContext.admin("admin-project", "root");
        metadefs = MetadefService.builder().build();
        metadefs.loadStandardDefinitions(admin);
        properties = Map.of("hw_disk_bus", "virtio", "hw_cpu_policy", "dedicated", "hw_cpu_sockets", "2",
                "os_distro", "debian", "os_type", "linux", "architecture", "x86_64");
    }

    /** get_image allowed on the first alternative (owner). */
    @Benchmark
    public boolean getImageAllowed() {
        return policy.check("get_image", owner, sharedImage);
    }

    /** get_image denied after trying every alternative (a private image of another project). */
    @Benchmark
    public boolean getImageDenied() {
        return policy.check("get_image", stranger, sharedImage);
    }

    /** Parsing and checking a policy with one override (what loading a policy file costs per rule). */
    @Benchmark
    public Policy parseOverride() {
        return policy.withRules(Map.of("get_image", "role:admin or (role:reader and (project_id:%(project_id)s"
                + " or 'public':%(visibility)s or 'community':%(visibility)s))"));
    }

    /** Six image properties checked against the ten standard namespaces. */
    @Benchmark
    public Map<String, String> validateImageProperties() {
        metadefs.validateImageProperties("owner-project", properties);
        return properties;
    }
}
