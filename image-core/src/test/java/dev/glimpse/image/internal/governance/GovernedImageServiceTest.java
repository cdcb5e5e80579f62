package dev.glimpse.image.internal.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImagePatch;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.QuotaExceededException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.config.ProjectLimits;
import dev.glimpse.image.event.Event;
import dev.glimpse.image.event.EventType;
import dev.glimpse.image.internal.InMemoryImageRepository;
import dev.glimpse.image.metadef.MetadefService;
import dev.glimpse.image.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GovernedImageServiceTest {
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");
    private static final RequestContext BOB = RequestContext.member("bob-project", "bob");
    private static final RequestContext ADMIN = RequestContext.admin("admin-project", "root");

    private final InMemoryImageRepository repository = new InMemoryImageRepository();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    private ImageService service(GlimpseConfig config) {
        return ImageService.builder().repository(repository).config(config).eventListener(events::add)
                .eventListener(e -> {
                    throw new IllegalStateException("broken listener");
                }).build();
    }

    @Test
    void perImageQuotasRefuseGrowthWithQuotaExceeded() {
        ImageService service = service(GlimpseConfig.builder().imagePropertyQuota(2).imageTagQuota(1)
                .imageMemberQuota(1).build());
        Image image = service.create(ALICE, NewImage.builder().property("a", "1").build());
        // Glance's own os_glance* keys (set by the service, never by users) do not count.
        repository.update(repository.get(image.id()).orElseThrow().toBuilder().property("os_glance_x", "internal").build());
        service.update(ALICE, image.id(), ImagePatch.builder().property("b", "2").build());
        assertThatThrownBy(() -> service.update(ALICE, image.id(), ImagePatch.builder().property("c", "3").build()))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("image_property_quota");
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().property("a", "1").property("b", "2")
                .property("c", "3").build())).isInstanceOf(QuotaExceededException.class);
        service.addTag(ALICE, image.id(), "one");
        assertThatThrownBy(() -> service.addTag(ALICE, image.id(), "two"))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("image_tag_quota");
        service.addMember(ALICE, image.id(), "bob-project");
        assertThatThrownBy(() -> service.addMember(ALICE, image.id(), "carol-project"))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("image_member_quota");
        Image stored = repository.get(image.id()).orElseThrow();
        assertThat(stored.properties()).containsOnlyKeys("a", "b", "os_glance_x");
        assertThat(stored.tags()).containsExactly("one");
        assertThat(repository.listMembers(image.id())).hasSize(1);
        // Lowering a quota does not freeze an image already above it: changes that do not grow pass.
        ImageService lowered = service(GlimpseConfig.builder().imagePropertyQuota(1).build());
        lowered.update(ALICE, image.id(), ImagePatch.builder().property("a", "changed").build());
        lowered.update(ALICE, image.id(), ImagePatch.builder().removeProperty("b").build());
        ImageService unlimited = service(GlimpseConfig.builder().imageTagQuota(-1).build());
        for (int i = 0; i < 200; i++) {
            unlimited.addTag(ALICE, image.id(), "t" + i);
        }
    }

    @Test
    void imageCountTotalPerProjectWithOverrides() {
        GlimpseConfig config = GlimpseConfig.builder()
                .defaultProjectLimits(new ProjectLimits(2, -1, -1, -1))
                .projectLimits("bob-project", new ProjectLimits(0, -1, -1, -1)).build();
        ImageService service = service(config);
        Image first = service.create(ALICE, NewImage.builder().build());
        service.create(ALICE, NewImage.builder().osHidden(true).visibility(Visibility.COMMUNITY).build());
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().build()))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("image_count_total is 2");
        assertThatThrownBy(() -> service.create(BOB, NewImage.builder().build())).isInstanceOf(QuotaExceededException.class);
        // An admin creating for alice counts against alice.
        assertThatThrownBy(() -> service.create(ADMIN, NewImage.builder().owner("alice-project").build()))
                .isInstanceOf(QuotaExceededException.class);
        service.delete(ALICE, first.id());
        service.create(ALICE, NewImage.builder().build());
    }

    @Test
    void concurrentCreatesCannotOvershootImageCountTotal() throws Exception {
        int limit = 5;
        ImageService service = service(GlimpseConfig.builder()
                .defaultProjectLimits(new ProjectLimits(limit, -1, -1, -1)).build());
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads * 3; i++) {
                results.add(pool.submit((Callable<Boolean>) () -> {
                    start.await();
                    try {
                        service.create(ALICE, NewImage.builder().build());
                        return true;
                    } catch (QuotaExceededException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            long created = 0;
            for (Future<Boolean> f : results) {
                created += f.get() ? 1 : 0;
            }
            assertThat(created).isEqualTo(limit);
        } finally {
            pool.shutdownNow();
        }
        assertThat(repository.list(ImageQuery.builder().owner("alice-project").build(),
                dev.glimpse.image.spi.AccessScope.system(), 100)).hasSize(limit);
    }

    @Test
    void concurrentTagsAndMembersCannotOvershootTheirQuotas() throws Exception {
        ImageService service = service(GlimpseConfig.builder().imageTagQuota(10).imageMemberQuota(4).build());
        Image image = service.create(ALICE, NewImage.builder().build());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        service.addTag(ALICE, image.id(), "tag" + n);
                    } catch (QuotaExceededException expected) {
                        // the quota is full
                    }
                    try {
                        service.addMember(ALICE, image.id(), "project-" + n);
                    } catch (QuotaExceededException expected) {
                        // the quota is full
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(repository.get(image.id()).orElseThrow().tags()).hasSize(10);
        assertThat(repository.listMembers(image.id())).hasSize(4);
    }

    @Test
    void visibilityChangesNeedTheirOwnRules() {
        ImageService service = service(GlimpseConfig.defaults());
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().visibility(Visibility.PUBLIC).build()))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("publicize_image");
        Image image = service.create(ALICE, NewImage.builder().build());
        assertThatThrownBy(() -> service.update(ALICE, image.id(), ImagePatch.builder().visibility(Visibility.PUBLIC).build()))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("publicize_image");
        assertThat(service.update(ALICE, image.id(), ImagePatch.builder().visibility(Visibility.COMMUNITY).build())
                .visibility()).isEqualTo(Visibility.COMMUNITY);
        assertThat(service.update(ADMIN, image.id(), ImagePatch.builder().visibility(Visibility.PUBLIC).build())
                .visibility()).isEqualTo(Visibility.PUBLIC);
        ImageService noCommunity = ImageService.builder().repository(repository)
                .policy(Policy.defaults().withRules(Map.of("communitize_image", "role:admin"))).build();
        Image other = noCommunity.create(ALICE, NewImage.builder().build());
        assertThatThrownBy(() -> noCommunity.update(ALICE, other.id(),
                ImagePatch.builder().visibility(Visibility.COMMUNITY).build())).isInstanceOf(ForbiddenException.class);
        assertThat(repository.get(other.id()).orElseThrow().visibility()).isEqualTo(Visibility.SHARED);
    }

    @Test
    void aDenialOnAnImageTheCallerCannotGetIsNotFound() {
        Policy strict = Policy.defaults().withRules(Map.of("get_image", "role:admin", "modify_image", "role:admin"));
        ImageService service = ImageService.builder().repository(repository).policy(strict).build();
        Image image = service.create(ALICE, NewImage.builder().build());
        assertThatThrownBy(() -> service.get(ALICE, image.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.update(ALICE, image.id(), ImagePatch.builder().name("x").build()))
                .isInstanceOf(NotFoundException.class);
        assertThat(service.list(ALICE, ImageQuery.all()).images()).as("listed images pass get_image too").isEmpty();
        assertThat(service.list(ADMIN, ImageQuery.all()).images()).hasSize(1);
        ImageService noList = ImageService.builder().repository(repository)
                .policy(Policy.defaults().withRules(Map.of("get_images", "!"))).build();
        assertThatThrownBy(() -> noList.list(ALICE, ImageQuery.all())).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void eventsFollowEveryChangeAndABrokenListenerChangesNothing() {
        ImageService service = service(GlimpseConfig.builder().defaultPublisherId("image.test").build());
        Image image = service.create(ALICE, NewImage.builder().name("cirros").build());
        service.update(ALICE, image.id(), ImagePatch.builder().name("cirros-2").build());
        service.update(ALICE, image.id(), ImagePatch.builder().build());
        service.addTag(ALICE, image.id(), "t");
        service.removeTag(ALICE, image.id(), "t");
        service.addMember(ALICE, image.id(), "bob-project");
        service.updateMember(BOB, image.id(), "bob-project", MemberStatus.ACCEPTED);
        service.removeMember(ALICE, image.id(), "bob-project");
        service.delete(ALICE, image.id());
        assertThat(events).extracting(e -> e.type().wireName()).containsExactly("image.create", "image.update",
                "image.update", "image.update", "image.member.create", "image.member.update", "image.member.delete",
                "image.delete");
        assertThat(events.get(0).publisherId()).isEqualTo("image.test");
        assertThat(events.get(0).payload()).containsEntry("id", image.id()).containsEntry("name", "cirros")
                .containsEntry("status", "queued").containsEntry("owner", "alice-project")
                .containsEntry("visibility", "shared").containsEntry("is_public", false).containsEntry("deleted", false);
        assertThat(events.get(1).payload()).containsEntry("name", "cirros-2");
        assertThat(events.get(5).payload()).containsEntry("member_id", "bob-project").containsEntry("status", "accepted");
        assertThat(events.get(6).payload()).containsEntry("deleted", true);
        Event deleted = events.get(7);
        assertThat(deleted.type()).isEqualTo(EventType.IMAGE_DELETE);
        assertThat(deleted.payload()).containsEntry("deleted", true).containsEntry("status", "deleted");
        assertThat(deleted.payloadString("deleted_at")).isNotNull();
        assertThat(repository.get(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.DELETED);
    }

    @Test
    void thePolicyFileOfTheConfigurationApplies(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("policy.yaml"),
                "publicize_image: \"role:admin or role:member\"\n");
        ImageService service = ImageService.builder().repository(repository)
                .config(GlimpseConfig.builder().policyFile(file).build()).build();
        assertThat(service.create(ALICE, NewImage.builder().visibility(Visibility.PUBLIC).build()).visibility())
                .isEqualTo(Visibility.PUBLIC);
        ImageService explicit = ImageService.builder().repository(repository)
                .config(GlimpseConfig.builder().policyFile(file).build()).policy(Policy.defaults()).build();
        assertThatThrownBy(() -> explicit.create(ALICE, NewImage.builder().visibility(Visibility.PUBLIC).build()))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void theGuardCapsLocationsPerImage() {
        dev.glimpse.image.internal.ChangeGuard guard = GovernedImageService.guard(Policy.defaults(),
                GlimpseConfig.builder().imageLocationQuota(2).build(), null);
        Image image = ImageService.builder().repository(repository).build().create(ALICE, NewImage.builder().build());
        Image two = image.toBuilder().locations(List.of(dev.glimpse.image.ImageLocation.of("file:///a", "s"),
                dev.glimpse.image.ImageLocation.of("file:///b", "s"))).build();
        guard.check(ALICE, image, two);
        Image three = two.toBuilder().addLocation(dev.glimpse.image.ImageLocation.of("file:///c", "s")).build();
        assertThatThrownBy(() -> guard.check(ALICE, two, three)).isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("image_location_quota");
        // Marking locations (delete, scrub) is not growth and needs no location rule.
        guard.check(ALICE, two, two.toBuilder().status(ImageStatus.QUEUED).build());
    }

    @Test
    void refusedCallsSendNoEvents() {
        ImageService service = service(GlimpseConfig.builder().imageTagQuota(0).build());
        Image image = service.create(ALICE, NewImage.builder().build());
        events.clear();
        assertThatThrownBy(() -> service.addTag(ALICE, image.id(), "t")).isInstanceOf(QuotaExceededException.class);
        assertThatThrownBy(() -> service.update(BOB, image.id(), ImagePatch.builder().name("x").build()))
                .isInstanceOf(NotFoundException.class);
        assertThat(events).isEmpty();
    }

    @Test
    void imagePropertiesAreCheckedAgainstMetadataDefinitionsWhenAsked() {
        MetadefService metadefs = MetadefService.builder().build();
        metadefs.loadStandardDefinitions(ADMIN);
        ImageService service = ImageService.builder().repository(repository).metadefValidation(metadefs).build();
        Image image = service.create(ALICE, NewImage.builder().property("hw_disk_bus", "virtio").build());
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().property("hw_disk_bus", "floppy").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("hw_disk_bus")
                .hasMessageContaining("floppy");
        assertThatThrownBy(() -> service.update(ALICE, image.id(),
                ImagePatch.builder().property("hw_cpu_policy", "sometimes").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("hw_cpu_policy");
        assertThat(repository.get(image.id()).orElseThrow().properties()).containsOnlyKeys("hw_disk_bus");
        ImageService unchecked = ImageService.builder().repository(repository).build();
        unchecked.create(ALICE, NewImage.builder().property("hw_disk_bus", "floppy").build());
    }
}
