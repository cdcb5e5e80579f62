package dev.glimpse.image.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.metadef.MetadefNamespace;
import dev.glimpse.image.metadef.MetadefObject;
import dev.glimpse.image.metadef.MetadefTag;
import dev.glimpse.image.metadef.MetadefVisibility;
import dev.glimpse.image.metadef.PropertyDefinition;
import dev.glimpse.image.metadef.PropertyType;
import dev.glimpse.image.metadef.ResourceType;
import dev.glimpse.image.metadef.ResourceTypeAssociation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MetadefRepository} must meet. Implementations extend this class and
 * provide {@link #newRepository()}; persistent ones also override {@link #reopen} to show that
 * what was written survives a new instance over the same storage.
 */
public abstract class MetadefRepositoryContractTest {
    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.123456Z");

    protected MetadefRepository repository;

    /** A new, empty repository. */
    protected abstract MetadefRepository newRepository() throws Exception;

    /** A new repository instance over the same storage as {@code repository}; in-memory ones return it. */
    protected MetadefRepository reopen(MetadefRepository repository) throws Exception {
        return repository;
    }

    @BeforeEach
    void createRepository() throws Exception {
        repository = newRepository();
    }

    protected static MetadefNamespace fullNamespace(String name) {
        return MetadefNamespace.builder(name).displayName("Display " + name).description("Everything set")
                .visibility(MetadefVisibility.PUBLIC).isProtected(true).owner("admin-project")
                .createdAt(T0).updatedAt(T0.plusSeconds(1))
                .association(new ResourceTypeAssociation(ResourceType.IMAGE, "hw_", null, T0, T0))
                .association(new ResourceTypeAssociation("OS::Cinder::Volume", "hw_", "image", T0, T0))
                .property(PropertyDefinition.builder("cpu_policy").title("CPU policy").description("d")
                        .type(PropertyType.STRING).enumValues("shared", "dedicated").defaultValue("shared").build())
                .property(PropertyDefinition.builder("cpu_sockets").title("Sockets").type(PropertyType.INTEGER)
                        .minimum(1).maximum(BigDecimal.valueOf(64)).operators(List.of("<or>")).readonly(true).build())
                .property(PropertyDefinition.builder("name_like").title("Pattern").type(PropertyType.STRING)
                        .pattern("^[a-z]+$").minLength(2).maxLength(10).build())
                .property(PropertyDefinition.builder("list").title("List").type(PropertyType.ARRAY)
                        .items(new PropertyDefinition.Items(PropertyType.STRING, List.of("a", "b"))).minItems(1)
                        .maxItems(2).uniqueItems(true).build())
                .property(PropertyDefinition.builder("ratio").title("Ratio").type(PropertyType.NUMBER)
                        .minimum(new BigDecimal("0.5")).build())
                .object(MetadefObject.builder("Database").description("db").required(List.of("engine"))
                        .property(PropertyDefinition.builder("engine").title("Engine").type(PropertyType.STRING).build())
                        .createdAt(T0).updatedAt(T0).build())
                .tag(new MetadefTag("fast", T0, T0)).tag(new MetadefTag("ssd", T0, T0.plusSeconds(2)))
                .build();
    }

    @Test
    void createdNamespacesComeBackEqualAndInCreationOrder() throws Exception {
        repository.create(fullNamespace("b"));
        repository.create(MetadefNamespace.builder("a").build());
        MetadefRepository reopened = reopen(repository);
        assertThat(reopened.find("b")).contains(fullNamespace("b"));
        assertThat(reopened.find("a")).contains(MetadefNamespace.builder("a").build());
        assertThat(reopened.list()).extracting(MetadefNamespace::namespace).containsExactly("b", "a");
        assertThat(reopened.find("B")).isEmpty();
        assertThat(reopened.find("missing")).isEmpty();
    }

    @Test
    void duplicateNamesConflictAndChangeNothing() throws Exception {
        repository.create(fullNamespace("ns"));
        assertThatThrownBy(() -> repository.create(MetadefNamespace.builder("ns").build()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("ns");
        assertThat(reopen(repository).find("ns")).contains(fullNamespace("ns"));
    }

    @Test
    void replaceIsACompareAndSet() throws Exception {
        MetadefNamespace original = fullNamespace("ns");
        repository.create(original);
        MetadefNamespace changed = original.toBuilder().description("changed").build();
        assertThat(repository.replace(original, changed)).isTrue();
        MetadefNamespace other = original.toBuilder().description("lost update").build();
        assertThat(repository.replace(original, other)).isFalse();
        assertThat(reopen(repository).find("ns")).contains(changed);
    }

    @Test
    void replaceCanRenameKeepingOrderButNotOntoAnotherName() throws Exception {
        repository.create(MetadefNamespace.builder("first").build());
        MetadefNamespace second = MetadefNamespace.builder("second").build();
        repository.create(second);
        repository.create(MetadefNamespace.builder("third").build());
        MetadefNamespace renamed = second.toBuilder().namespace("renamed").build();
        assertThat(repository.replace(second, renamed)).isTrue();
        MetadefRepository reopened = reopen(repository);
        assertThat(reopened.list()).extracting(MetadefNamespace::namespace).containsExactly("first", "renamed", "third");
        assertThat(reopened.find("second")).isEmpty();
        assertThatThrownBy(() -> reopened.replace(renamed, renamed.toBuilder().namespace("third").build()))
                .isInstanceOf(ConflictException.class);
        assertThat(reopen(reopened).list()).extracting(MetadefNamespace::namespace)
                .containsExactly("first", "renamed", "third");
    }

    @Test
    void replaceOrDeleteOfAMissingNamespaceIsNotFound() {
        MetadefNamespace ghost = MetadefNamespace.builder("ghost").build();
        assertThatThrownBy(() -> repository.replace(ghost, ghost)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> repository.delete("ghost")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteRemovesTheNamespaceForGood() throws Exception {
        repository.create(fullNamespace("a"));
        repository.create(fullNamespace("b"));
        repository.delete("a");
        MetadefRepository reopened = reopen(repository);
        assertThat(reopened.find("a")).isEmpty();
        assertThat(reopened.list()).extracting(MetadefNamespace::namespace).containsExactly("b");
        reopened.create(fullNamespace("a"));
        assertThat(reopen(reopened).list()).extracting(MetadefNamespace::namespace).containsExactly("b", "a");
    }

    @Test
    void resourceTypesAreRegisteredOnce() throws Exception {
        assertThat(repository.addResourceType(new ResourceType(ResourceType.IMAGE, T0))).isTrue();
        assertThat(repository.addResourceType(new ResourceType("OS::Nova::Flavor", T0))).isTrue();
        assertThat(repository.addResourceType(new ResourceType(ResourceType.IMAGE, T0.plusSeconds(9)))).isFalse();
        assertThat(reopen(repository).resourceTypes()).containsExactly(new ResourceType(ResourceType.IMAGE, T0),
                new ResourceType("OS::Nova::Flavor", T0));
    }

    @Test
    void concurrentCompareAndSetLosesNoUpdate() throws Exception {
        repository.create(MetadefNamespace.builder("counter").build());
        int threads = 4;
        int perThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < perThread; i++) {
                        while (true) {
                            MetadefNamespace current = repository.find("counter").orElseThrow();
                            MetadefNamespace next = current.toBuilder().tag(MetadefTag.of("t" + id + "-" + i)).build();
                            if (repository.replace(current, next)) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reopen(repository).find("counter").orElseThrow().tags()).hasSize(threads * perThread);
    }
}
