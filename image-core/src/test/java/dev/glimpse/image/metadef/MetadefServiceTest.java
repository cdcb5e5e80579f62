package dev.glimpse.image.metadef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.event.Event;
import dev.glimpse.image.event.EventType;
import dev.glimpse.image.internal.metadef.InMemoryMetadefRepository;
import dev.glimpse.image.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetadefServiceTest {
    private static final Instant NOW = Instant.parse("2026-05-06T07:08:09Z");
    private static final RequestContext ADMIN = RequestContext.admin("admin-project", "root");
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");
    private static final RequestContext BOB = RequestContext.member("bob-project", "bob");

    private final List<Event> events = new ArrayList<>();
    private InMemoryMetadefRepository repository;
    private MetadefService service;

    @BeforeEach
    void setUp() {
        repository = new InMemoryMetadefRepository();
        service = MetadefService.builder().repository(repository).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .eventListener(events::add).eventListener(e -> {
                    throw new IllegalStateException("a broken listener must not matter");
                }).build();
    }

    private static MetadefNamespace ns(String name, MetadefVisibility visibility) {
        return MetadefNamespace.builder(name).visibility(visibility).build();
    }

    private static PropertyDefinition stringProperty(String name, String... values) {
        return PropertyDefinition.builder(name).title(name).type(PropertyType.STRING).enumValues(values).build();
    }

    private List<String> eventNames() {
        return events.stream().map(e -> e.type().wireName()).toList();
    }

    @Test
    void createSetsOwnerTimesAndResourceTypesAndSendsAnEvent() {
        MetadefNamespace created = service.createNamespace(ADMIN, MetadefNamespace.builder("OS::Test")
                .association(ResourceTypeAssociation.of(ResourceType.IMAGE, "hw_"))
                .tag(MetadefTag.of("t")).property(stringProperty("p", "a")).build());
        assertThat(created.owner()).contains("admin-project");
        assertThat(created.createdAt()).contains(NOW);
        assertThat(created.tags().get("t").createdAt()).isEqualTo(NOW);
        assertThat(created.resourceTypeAssociations().get(ResourceType.IMAGE).createdAt()).isEqualTo(NOW);
        assertThat(service.getNamespace(ADMIN, "OS::Test")).isEqualTo(created);
        assertThat(service.listResourceTypes(ALICE)).extracting(ResourceType::name).containsExactly(ResourceType.IMAGE);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.METADEF_NAMESPACE_CREATE);
            assertThat(e.payload()).containsEntry("namespace", "OS::Test").containsEntry("owner", "admin-project")
                    .containsEntry("visibility", "private").containsEntry("created_at", NOW.toString());
        });
        assertThatThrownBy(() -> service.createNamespace(ADMIN, ns("OS::Test", MetadefVisibility.PUBLIC)))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void defaultPolicyLetsOnlyAdminsWriteAndReadersRead() {
        assertThatThrownBy(() -> service.createNamespace(ALICE, ns("mine", MetadefVisibility.PRIVATE)))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("add_metadef_namespace");
        service.createNamespace(ADMIN, ns("pub", MetadefVisibility.PUBLIC));
        assertThat(service.getNamespace(ALICE, "pub").namespace()).isEqualTo("pub");
        assertThatThrownBy(() -> service.createTag(ALICE, "pub", "x")).isInstanceOf(ForbiddenException.class);
        RequestContext noRole = RequestContext.builder().projectId("p").userId("u").build();
        assertThatThrownBy(() -> service.getNamespace(noRole, "pub")).isInstanceOf(ForbiddenException.class);
        assertThat(repository.find("pub").orElseThrow().tags()).isEmpty();
    }

    @Test
    void privateNamespacesOfOtherProjectsAreNotFound() {
        Policy delegated = Policy.defaults().withRules(Map.of("metadef_admin", "role:admin or role:member"));
        MetadefService open = MetadefService.builder().repository(repository).policy(delegated).build();
        open.createNamespace(ALICE, ns("alice-private", MetadefVisibility.PRIVATE));
        open.createNamespace(ALICE, ns("alice-public", MetadefVisibility.PUBLIC));
        assertThat(open.getNamespace(ALICE, "alice-private").owner()).contains("alice-project");
        assertThatThrownBy(() -> open.getNamespace(BOB, "alice-private")).isInstanceOf(NotFoundException.class)
                .hasMessage("no namespace named 'alice-private'");
        assertThatThrownBy(() -> open.createTag(BOB, "alice-private", "x")).isInstanceOf(NotFoundException.class);
        assertThat(open.getNamespace(ADMIN, "alice-private").namespace()).isEqualTo("alice-private");
        // Visible but owned by someone else: the policy passes, ownership does not.
        assertThatThrownBy(() -> open.createTag(BOB, "alice-public", "x")).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("only the owner");
        assertThatThrownBy(() -> open.createNamespace(BOB, MetadefNamespace.builder("stolen").owner("alice-project").build()))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> open.updateNamespace(ALICE, "alice-public",
                ns("alice-public", MetadefVisibility.PUBLIC).toBuilder().owner("bob-project").build()))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("owner");
        assertThat(open.listNamespaces(BOB, NamespaceQuery.all())).extracting(MetadefNamespace::namespace)
                .containsExactly("alice-public");
        assertThat(open.listNamespaces(ADMIN, NamespaceQuery.all())).hasSize(2);
        assertThat(open.listNamespaces(ALICE, new NamespaceQuery(MetadefVisibility.PRIVATE, java.util.Set.of())))
                .extracting(MetadefNamespace::namespace).containsExactly("alice-private");
    }

    @Test
    void protectedNamespacesAndTheirContentsCannotBeDeleted() {
        service.createNamespace(ADMIN, MetadefNamespace.builder("prot").isProtected(true)
                .association(ResourceTypeAssociation.of(ResourceType.IMAGE, null)).property(stringProperty("p", "a"))
                .object(MetadefObject.builder("o").build()).tag(MetadefTag.of("t")).build());
        MetadefNamespace before = repository.find("prot").orElseThrow();
        List<Runnable> deletions = List.of(
                () -> service.deleteNamespace(ADMIN, "prot"),
                () -> service.deleteProperty(ADMIN, "prot", "p"),
                () -> service.deleteObject(ADMIN, "prot", "o"),
                () -> service.deleteTag(ADMIN, "prot", "t"),
                () -> service.deleteProperties(ADMIN, "prot"),
                () -> service.deleteObjects(ADMIN, "prot"),
                () -> service.deleteTags(ADMIN, "prot"),
                () -> service.createTags(ADMIN, "prot", List.of("new"), false),
                () -> service.dissociateResourceType(ADMIN, "prot", ResourceType.IMAGE));
        for (Runnable deletion : deletions) {
            assertThatThrownBy(deletion::run).isInstanceOf(ForbiddenException.class).hasMessageContaining("protected");
        }
        assertThat(repository.find("prot")).contains(before);
        // Adding is allowed; unprotecting makes deletion possible.
        service.createTags(ADMIN, "prot", List.of("more"), true);
        service.updateNamespace(ADMIN, "prot", before.toBuilder().isProtected(false).build());
        service.deleteNamespace(ADMIN, "prot");
        assertThat(repository.find("prot")).isEmpty();
    }

    @Test
    void objectsPropertiesAndTagsHaveCrudWithConflictsAndEvents() {
        service.createNamespace(ADMIN, ns("ns", MetadefVisibility.PUBLIC));
        events.clear();
        MetadefObject object = MetadefObject.builder("Database").property(stringProperty("engine", "pg", "mysql"))
                .required(List.of("engine")).build();
        service.createObject(ADMIN, "ns", object);
        assertThatThrownBy(() -> service.createObject(ADMIN, "ns", object)).isInstanceOf(ConflictException.class);
        MetadefObject renamed = service.updateObject(ADMIN, "ns", "Database", object.toBuilder().name("DB").build());
        assertThat(renamed.createdAt()).contains(NOW);
        assertThat(service.listObjects(BOB, "ns")).extracting(MetadefObject::name).containsExactly("DB");
        assertThatThrownBy(() -> service.getObject(BOB, "ns", "Database")).isInstanceOf(NotFoundException.class);
        service.deleteObject(ADMIN, "ns", "DB");

        service.createProperty(ADMIN, "ns", stringProperty("a", "x"));
        service.createProperty(ADMIN, "ns", stringProperty("b", "y"));
        assertThatThrownBy(() -> service.updateProperty(ADMIN, "ns", "a", stringProperty("b", "z")))
                .isInstanceOf(ConflictException.class);
        service.updateProperty(ADMIN, "ns", "a", stringProperty("c", "z"));
        assertThat(service.listProperties(BOB, "ns")).extracting(PropertyDefinition::name).containsExactly("c", "b");
        assertThat(service.getProperty(BOB, "ns", "c").enumValues()).containsExactly("z");
        service.deleteProperty(ADMIN, "ns", "b");
        assertThatThrownBy(() -> service.deleteProperty(ADMIN, "ns", "b")).isInstanceOf(NotFoundException.class);

        service.createTags(ADMIN, "ns", List.of("one", "two"), false);
        assertThatThrownBy(() -> service.createTags(ADMIN, "ns", List.of("x", "x"), true))
                .isInstanceOf(ConflictException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> service.createTag(ADMIN, "ns", "one")).isInstanceOf(ConflictException.class);
        service.createTags(ADMIN, "ns", List.of("three"), false);
        assertThat(service.listTags(BOB, "ns")).extracting(MetadefTag::name).containsExactly("three");
        service.updateTag(ADMIN, "ns", "three", "3");
        assertThat(service.getTag(BOB, "ns", "3").name()).isEqualTo("3");
        service.deleteTags(ADMIN, "ns");
        assertThat(service.listTags(BOB, "ns")).isEmpty();
        assertThatThrownBy(() -> service.createTag(ADMIN, "ns", "x".repeat(81)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 80");

        assertThat(eventNames()).containsExactly("metadef_object.create", "metadef_object.update",
                "metadef_object.delete", "metadef_property.create", "metadef_property.create",
                "metadef_property.update", "metadef_property.delete", "metadef_tag.create", "metadef_tag.create",
                "metadef_tag.create", "metadef_tag.update", "metadef_namespace.delete_tags");
        Event update = events.stream().filter(e -> e.type() == EventType.METADEF_PROPERTY_UPDATE).findFirst().orElseThrow();
        assertThat(update.payload()).containsEntry("name", "c").containsEntry("name_old", "a");
        Event delete = events.stream().filter(e -> e.type() == EventType.METADEF_OBJECT_DELETE).findFirst().orElseThrow();
        assertThat(delete.payload()).containsEntry("deleted", true).containsEntry("deleted_at", NOW.toString());
    }

    @Test
    void renamingANamespaceKeepsItsContentsAndRefusesTakenNames() {
        service.createNamespace(ADMIN, MetadefNamespace.builder("old").tag(MetadefTag.of("t")).build());
        service.createNamespace(ADMIN, ns("other", MetadefVisibility.PRIVATE));
        assertThatThrownBy(() -> service.updateNamespace(ADMIN, "old", ns("other", MetadefVisibility.PUBLIC)))
                .isInstanceOf(ConflictException.class);
        MetadefNamespace renamed = service.updateNamespace(ADMIN, "old",
                MetadefNamespace.builder("new").displayName("New").visibility(MetadefVisibility.PUBLIC).build());
        assertThat(renamed.tags()).containsOnlyKeys("t");
        assertThat(renamed.displayName()).contains("New");
        assertThat(service.listNamespaces(ADMIN, NamespaceQuery.all())).extracting(MetadefNamespace::namespace)
                .containsExactly("new", "other");
        assertThat(events.get(events.size() - 1).payload()).containsEntry("namespace", "new")
                .containsEntry("namespace_old", "old");
    }

    @Test
    void resourceTypeAssociationsAndPrefixedView() {
        service.createNamespace(ADMIN, MetadefNamespace.builder("OS::Compute::CPUPinning").visibility(MetadefVisibility.PUBLIC)
                .property(stringProperty("cpu_policy", "shared", "dedicated"))
                .object(MetadefObject.builder("o").property(stringProperty("x", "1")).required(List.of("x")).build())
                .build());
        service.associateResourceType(ADMIN, "OS::Compute::CPUPinning", ResourceTypeAssociation.of(ResourceType.IMAGE, "hw_"));
        service.associateResourceType(ADMIN, "OS::Compute::CPUPinning", ResourceTypeAssociation.of("OS::Nova::Flavor", "hw:"));
        assertThatThrownBy(() -> service.associateResourceType(ADMIN, "OS::Compute::CPUPinning",
                ResourceTypeAssociation.of(ResourceType.IMAGE, "x"))).isInstanceOf(ConflictException.class);
        assertThat(service.getNamespace(BOB, "OS::Compute::CPUPinning", ResourceType.IMAGE).properties())
                .containsOnlyKeys("hw_cpu_policy");
        MetadefNamespace flavor = service.getNamespace(BOB, "OS::Compute::CPUPinning", "OS::Nova::Flavor");
        assertThat(flavor.properties()).containsOnlyKeys("hw:cpu_policy");
        assertThat(flavor.objects().get("o").required()).containsExactly("hw:x");
        assertThat(service.getNamespace(BOB, "OS::Compute::CPUPinning", "OS::Cinder::Volume").properties())
                .containsOnlyKeys("cpu_policy");
        assertThat(service.listNamespaces(BOB, NamespaceQuery.forResourceType("OS::Nova::Flavor"))).hasSize(1);
        assertThat(service.listNamespaces(BOB, NamespaceQuery.forResourceType("OS::Trove::Instance"))).isEmpty();
        service.dissociateResourceType(ADMIN, "OS::Compute::CPUPinning", "OS::Nova::Flavor");
        assertThatThrownBy(() -> service.dissociateResourceType(ADMIN, "OS::Compute::CPUPinning", "OS::Nova::Flavor"))
                .isInstanceOf(NotFoundException.class);
        assertThat(service.listResourceTypeAssociations(BOB, "OS::Compute::CPUPinning"))
                .extracting(ResourceTypeAssociation::name).containsExactly(ResourceType.IMAGE);
        assertThat(service.listResourceTypes(BOB)).extracting(ResourceType::name)
                .containsExactly(ResourceType.IMAGE, "OS::Nova::Flavor");
    }

    @Test
    void standardDefinitionsLoadOnceAndValidateImageProperties() {
        assertThatThrownBy(() -> service.loadStandardDefinitions(ALICE)).isInstanceOf(ForbiddenException.class);
        List<String> created = service.loadStandardDefinitions(ADMIN);
        assertThat(created).contains("OS::Compute::LibvirtImage", "OS::Compute::CPUPinning", "OS::Compute::TPM",
                "OS::Glance::Signatures", "OS::OperatingSystem", "OS::Compute::Hypervisor");
        assertThat(service.loadStandardDefinitions(ADMIN)).isEmpty();
        MetadefNamespace libvirt = service.getNamespace(BOB, "OS::Compute::LibvirtImage");
        assertThat(libvirt.isProtected()).isTrue();
        assertThat(libvirt.owner()).isEmpty();

        service.validateImageProperties("p", Map.of("hw_disk_bus", "virtio", "hw_cpu_policy", "dedicated",
                "hw_cpu_sockets", "2", "hw_tpm_version", "2.0", "os_distro", "debian", "hw_boot_menu", "true",
                "unrelated_key", "anything", "img_signature_certificate_uuid", "0b8c4d5e-1f2a-4b3c-8d9e-0a1b2c3d4e5f"));
        assertThatThrownBy(() -> service.validateImageProperties("p", Map.of("hw_disk_bus", "floppy")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'hw_disk_bus' = 'floppy' is not one of [scsi, virtio")
                .hasMessageContaining("OS::Compute::LibvirtImage");
        assertThatThrownBy(() -> service.validateImageProperties("p", Map.of("hw_cpu_sockets", "0", "hw_cpu_cores", "two")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'hw_cpu_sockets' = '0' is less than the minimum 1")
                .hasMessageContaining("'hw_cpu_cores' = 'two' is not an integer");
        assertThatThrownBy(() -> service.validateImageProperties("p", Map.of("os_distro", "Debian GNU/Linux")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("pattern");
        assertThatThrownBy(() -> service.validateImageProperties("p", Map.of("hw_boot_menu", "sometimes")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a boolean");
        // The flavor spelling is not an image property, so it is not checked.
        service.validateImageProperties("p", Map.of("hw:cpu_policy", "bogus", "cpu_policy", "bogus"));
    }

    @Test
    void validationUsesOnlyNamespacesTheOwnerMaySee() {
        Policy delegated = Policy.defaults().withRules(Map.of("metadef_admin", "role:admin or role:member"));
        MetadefService open = MetadefService.builder().repository(repository).policy(delegated).build();
        open.createNamespace(ALICE, MetadefNamespace.builder("alice-rules")
                .association(ResourceTypeAssociation.of(ResourceType.IMAGE, "x_"))
                .property(stringProperty("color", "red")).build());
        open.validateImageProperties("bob-project", Map.of("x_color", "blue"));
        open.validateImageProperties(null, Map.of("x_color", "blue"));
        assertThatThrownBy(() -> open.validateImageProperties("alice-project", Map.of("x_color", "blue")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("x_color");
    }

    @Test
    void concurrentChangesToOneNamespaceAreAllKept() throws Exception {
        service.createNamespace(ADMIN, ns("busy", MetadefVisibility.PUBLIC));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        service.createTag(ADMIN, "busy", "t" + id + "-" + i);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(service.listTags(ADMIN, "busy")).hasSize(80);
    }

    @Test
    void disabledNotificationsFromTheConfiguration() {
        MetadefService quiet = MetadefService.builder().repository(repository).eventListener(events::add)
                .config(GlimpseConfig.builder().disabledNotifications(List.of("metadef_tag")).defaultPublisherId("image.h1").build())
                .build();
        quiet.createNamespace(ADMIN, ns("n", MetadefVisibility.PUBLIC));
        quiet.createTag(ADMIN, "n", "t");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.METADEF_NAMESPACE_CREATE);
            assertThat(e.publisherId()).isEqualTo("image.h1");
        });
    }
}
