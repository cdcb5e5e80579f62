package dev.glimpse.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.config.GlimpseConfig;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.InMemoryImageRepository;
import dev.glimpse.image.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageServiceTest {
    private static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
    private static final RequestContext ALICE = RequestContext.member("alice-project", "alice");
    private static final RequestContext BOB = RequestContext.member("bob-project", "bob");
    private static final RequestContext CAROL = RequestContext.member("carol-project", "carol");
    private static final RequestContext ADMIN = RequestContext.admin("admin-project", "root");

    private TestClock clock;
    private InMemoryImageRepository repository;
    private ImageService service;

    @BeforeEach
    void setUp() {
        clock = new TestClock(START);
        repository = new InMemoryImageRepository();
        // This suite checks the catalogue's own rules. Glance's default policy makes publicizing
        // admin-only and the per-image quotas cap properties and tags at 128; they are relaxed here and
        // tested with their defaults in GovernedImageServiceTest.
        service = ImageService.builder().repository(repository).clock(clock)
                .config(GlimpseConfig.builder().imagePropertyQuota(-1).imageTagQuota(-1).build())
                .policy(Policy.defaults().withRules(Map.of("publicize_image", "role:admin or role:member")))
                .build();
    }

    private Image create(RequestContext ctx, NewImage.Builder b) {
        clock.advance(Duration.ofSeconds(1));
        return service.create(ctx, b.build());
    }

    private Image activeImage(RequestContext ctx) {
        Image image = create(ctx, NewImage.builder().diskFormat(DiskFormat.RAW).containerFormat(ContainerFormat.BARE));
        // Upload belongs to the store integration; drive the record through the same states directly.
        Image saving = repository.update(image.toBuilder().status(ImageStatus.SAVING).build());
        return repository.update(saving.toBuilder().status(ImageStatus.ACTIVE).size(3L).build());
    }

    // ---- create

    @Test
    void createAppliesGlanceDefaults() {
        Image image = service.create(ALICE, NewImage.builder().name("cirros").build());
        assertThat(image.status()).isEqualTo(ImageStatus.QUEUED);
        assertThat(image.visibility()).isEqualTo(Visibility.SHARED);
        assertThat(image.owner()).contains("alice-project");
        assertThat(image.isProtected()).isFalse();
        assertThat(image.osHidden()).isFalse();
        assertThat(image.minDisk()).isZero();
        assertThat(image.size()).isEmpty();
        assertThat(image.createdAt()).isEqualTo(START).isEqualTo(image.updatedAt());
        assertThat(image.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(service.get(ALICE, image.id())).isEqualTo(image);
    }

    @Test
    void createWithExplicitIdAndDuplicateIsConflict() {
        String id = "c0ffee00-0000-4000-8000-000000000001";
        Image image = service.create(ALICE, NewImage.builder().id(id).build());
        assertThat(image.id()).isEqualTo(id);
        assertThatThrownBy(() -> service.create(BOB, NewImage.builder().id(id).build()))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void createRefusesBadValues() {
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().id("not-a-uuid").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("UUID");
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().name("x".repeat(256)).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("255");
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().name("smile \uD83D\uDE00").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("4-byte");
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().property("k", "\uD83D\uDE00").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("4-byte");
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().minDisk(-1).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("min_disk");
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().addTag("t".repeat(256)).build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().property("k".repeat(256), "v").build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(service.list(ADMIN, ImageQuery.builder().allVisibilities().build()).images()).isEmpty();
    }

    @Test
    void createRefusesReservedAndReadOnlyPropertyNames() {
        for (String key : List.of("os_glance_import_task", "os_glancefoo", "location", "deleted", "deleted_at",
                "status", "checksum", "size", "created_at", "direct_url", "self", "owner", "locations")) {
            assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().property(key, "x").build()))
                    .as(key).isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    void onlyAdminsCreateForAnotherOwner() {
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().owner("bob-project").build()))
                .isInstanceOf(ForbiddenException.class);
        assertThat(service.create(ALICE, NewImage.builder().owner("alice-project").build()).owner())
                .contains("alice-project");
        assertThat(service.create(ADMIN, NewImage.builder().owner("bob-project").build()).owner())
                .contains("bob-project");
    }

    @Test
    void formatsOutsideTheAllowedSetAreRefused() {
        ImageService strict = ImageService.builder().allowedDiskFormats(Set.of(DiskFormat.QCOW2))
                .allowedContainerFormats(Set.of(ContainerFormat.BARE)).build();
        assertThatThrownBy(() -> strict.create(ALICE, NewImage.builder().diskFormat(DiskFormat.VMDK).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("vmdk");
        assertThatThrownBy(() -> strict.create(ALICE, NewImage.builder().containerFormat(ContainerFormat.OVA).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("ova");
        Image ok = strict.create(ALICE, NewImage.builder().diskFormat(DiskFormat.QCOW2).build());
        assertThatThrownBy(() -> strict.update(ALICE, ok.id(), ImagePatch.builder().diskFormat(DiskFormat.RAW).build()))
                .isInstanceOf(InvalidRequestException.class);
    }

    // ---- get / visibility

    @Test
    void invisibleImagesDoNotExistForOthers() {
        Image priv = create(ALICE, NewImage.builder().visibility(Visibility.PRIVATE));
        Image shared = create(ALICE, NewImage.builder());
        Image community = create(ALICE, NewImage.builder().visibility(Visibility.COMMUNITY));
        Image pub = create(ALICE, NewImage.builder().visibility(Visibility.PUBLIC));
        assertThatThrownBy(() -> service.get(BOB, priv.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.get(BOB, shared.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.update(BOB, priv.id(), ImagePatch.builder().name("x").build()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.delete(BOB, priv.id())).isInstanceOf(NotFoundException.class);
        assertThat(service.get(BOB, community.id())).isEqualTo(community);
        assertThat(service.get(BOB, pub.id())).isEqualTo(pub);
        assertThat(service.get(ADMIN, priv.id())).isEqualTo(priv);
        service.addMember(ALICE, shared.id(), "bob-project");
        assertThat(service.get(BOB, shared.id()).id()).isEqualTo(shared.id());
    }

    @Test
    void visibleButNotOwnedImagesCannotBeChanged() {
        Image pub = create(ALICE, NewImage.builder().visibility(Visibility.PUBLIC));
        assertThatThrownBy(() -> service.update(BOB, pub.id(), ImagePatch.builder().name("x").build()))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.delete(BOB, pub.id())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.addTag(BOB, pub.id(), "t")).isInstanceOf(ForbiddenException.class);
        assertThat(service.get(ALICE, pub.id())).isEqualTo(pub);
    }

    @Test
    void unknownImageIsNotFound() {
        assertThatThrownBy(() -> service.get(ALICE, "00000000-0000-4000-8000-000000000000"))
                .isInstanceOf(NotFoundException.class);
    }

    // ---- update

    @Test
    void patchChangesAttributesAndPropertiesAndStampsUpdatedAt() {
        Image image = create(ALICE, NewImage.builder().name("old"));
        clock.advance(Duration.ofMinutes(1));
        Image updated = service.update(ALICE, image.id(), ImagePatch.builder().name("new")
                .visibility(Visibility.PRIVATE).isProtected(true).osHidden(true).minDisk(10).minRam(512)
                .diskFormat(DiskFormat.QCOW2).containerFormat(ContainerFormat.BARE).tags(List.of("a", "b"))
                .property("os_distro", "debian").build());
        assertThat(updated.name()).contains("new");
        assertThat(updated.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(updated.isProtected()).isTrue();
        assertThat(updated.osHidden()).isTrue();
        assertThat(updated.minDisk()).isEqualTo(10);
        assertThat(updated.minRam()).isEqualTo(512);
        assertThat(updated.diskFormat()).contains(DiskFormat.QCOW2);
        assertThat(updated.containerFormat()).contains(ContainerFormat.BARE);
        assertThat(updated.tags()).containsExactly("a", "b");
        assertThat(updated.properties()).containsEntry("os_distro", "debian");
        assertThat(updated.updatedAt()).isEqualTo(clock.instant());
        assertThat(updated.createdAt()).isEqualTo(image.createdAt());
        assertThat(service.get(ALICE, image.id())).isEqualTo(updated);
    }

    @Test
    void replaceOrRemoveOfMissingPropertyIsConflictAndChangesNothing() {
        Image image = create(ALICE, NewImage.builder().property("a", "1"));
        assertThatThrownBy(() -> service.update(ALICE, image.id(),
                ImagePatch.builder().name("changed").replace("missing", "x").build()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> service.update(ALICE, image.id(), ImagePatch.builder().remove("missing").build()))
                .isInstanceOf(ConflictException.class);
        assertThat(service.get(ALICE, image.id())).isEqualTo(image);
        Image replaced = service.update(ALICE, image.id(), ImagePatch.builder().replace("a", "2").build());
        assertThat(replaced.properties()).containsEntry("a", "2");
        Image removed = service.update(ALICE, image.id(), ImagePatch.builder().remove("a").build());
        assertThat(removed.properties()).isEmpty();
    }

    @Test
    void laterOperationsSeeEarlierOnes() {
        Image image = create(ALICE, NewImage.builder());
        Image updated = service.update(ALICE, image.id(),
                ImagePatch.builder().add("k", "1").replace("k", "2").build());
        assertThat(updated.properties()).containsEntry("k", "2");
        assertThatThrownBy(() -> service.update(ALICE, image.id(),
                ImagePatch.builder().remove("k").remove("k").build())).isInstanceOf(ConflictException.class);
        assertThat(service.get(ALICE, image.id()).properties()).containsEntry("k", "2");
    }

    @Test
    void removeOfBaseAttributeIsForbidden() {
        Image image = create(ALICE, NewImage.builder().name("n"));
        for (String attr : List.of("name", "visibility", "min_disk", "tags", "protected")) {
            assertThatThrownBy(() -> service.update(ALICE, image.id(), ImagePatch.builder().remove(attr).build()))
                    .as(attr).isInstanceOf(ForbiddenException.class);
        }
    }

    @Test
    void readOnlyAndReservedAttributesAreForbidden() {
        Image image = create(ALICE, NewImage.builder());
        for (String attr : List.of("id", "status", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value",
                "created_at", "updated_at", "direct_url", "stores", "self", "file", "schema", "location", "deleted",
                "deleted_at", "os_glance_import_task", "locations")) {
            assertThatThrownBy(() -> service.update(ALICE, image.id(), ImagePatch.builder().replace(attr, "x").build()))
                    .as(attr).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> service.update(ALICE, image.id(), ImagePatch.builder().add(attr, "x").build()))
                    .as(attr).isInstanceOf(ForbiddenException.class);
        }
        assertThat(service.get(ALICE, image.id())).isEqualTo(image);
    }

    @Test
    void badlyTypedValuesAreInvalid() {
        Image image = create(ALICE, NewImage.builder());
        List<ImagePatch> bad = List.of(
                ImagePatch.builder().replace("min_disk", "5").build(),
                ImagePatch.builder().replace("min_disk", -1L).build(),
                ImagePatch.builder().replace("min_ram", 2147483648L).build(),
                ImagePatch.builder().replace("min_ram", new java.math.BigDecimal("1.5")).build(),
                ImagePatch.builder().replace("protected", "true").build(),
                ImagePatch.builder().replace("visibility", "everyone").build(),
                ImagePatch.builder().replace("disk_format", "floppy").build(),
                ImagePatch.builder().replace("tags", "a").build(),
                ImagePatch.builder().replace("tags", List.of(1L)).build(),
                ImagePatch.builder().add("prop", 5L).build(),
                ImagePatch.builder().replace("name", "n".repeat(256)).build());
        for (ImagePatch patch : bad) {
            assertThatThrownBy(() -> service.update(ALICE, image.id(), patch)).as(patch.toString())
                    .isInstanceOf(InvalidRequestException.class);
        }
        assertThat(service.update(ALICE, image.id(), ImagePatch.builder().replace("min_ram", 2147483647L).build())
                .minRam()).isEqualTo(Integer.MAX_VALUE);
        assertThat(service.update(ALICE, image.id(), ImagePatch.builder().add("nullprop", null).build())
                .properties()).containsEntry("nullprop", "");
    }

    @Test
    void formatsChangeOnlyWhileQueued() {
        Image active = activeImage(ALICE);
        assertThatThrownBy(() -> service.update(ALICE, active.id(), ImagePatch.builder().diskFormat(DiskFormat.QCOW2).build()))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("queued");
        assertThatThrownBy(() -> service.update(ALICE, active.id(),
                ImagePatch.builder().containerFormat(ContainerFormat.OVA).build())).isInstanceOf(ForbiddenException.class);
        assertThat(service.update(ALICE, active.id(), ImagePatch.builder().name("fine").build()).name()).contains("fine");
    }

    @Test
    void onlyAdminsChangeTheOwner() {
        Image image = create(ALICE, NewImage.builder());
        assertThatThrownBy(() -> service.update(ALICE, image.id(), ImagePatch.builder().owner("bob-project").build()))
                .isInstanceOf(ForbiddenException.class);
        assertThat(service.update(ADMIN, image.id(), ImagePatch.builder().owner("bob-project").build()).owner())
                .contains("bob-project");
    }

    @Test
    void concurrentPatchesLoseNoUpdate() throws Exception {
        Image image = create(ALICE, NewImage.builder());
        int threads = 8;
        int perThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    service.update(ALICE, image.id(), ImagePatch.builder().property("p" + thread + "_" + i, "v").build());
                    service.addTag(ALICE, image.id(), "t" + thread + "_" + i);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Image end = service.get(ALICE, image.id());
        assertThat(end.properties()).hasSize(threads * perThread);
        assertThat(end.tags()).hasSize(threads * perThread);
        assertThat(end.version()).isEqualTo(1 + 2L * threads * perThread);
    }

    // ---- delete

    @Test
    void deleteMakesTheImageDisappear() {
        Image image = create(ALICE, NewImage.builder());
        service.delete(ALICE, image.id());
        assertThatThrownBy(() -> service.get(ALICE, image.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.delete(ALICE, image.id())).isInstanceOf(NotFoundException.class);
        assertThat(service.list(ALICE, ImageQuery.all()).images()).isEmpty();
        assertThat(repository.get(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.DELETED);
        assertThatThrownBy(() -> service.create(ALICE, NewImage.builder().id(image.id()).build()))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void protectedImagesCannotBeDeleted() {
        Image image = create(ALICE, NewImage.builder().isProtected(true));
        assertThatThrownBy(() -> service.delete(ALICE, image.id())).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("protected");
        assertThat(service.get(ALICE, image.id()).status()).isEqualTo(ImageStatus.QUEUED);
        service.update(ALICE, image.id(), ImagePatch.builder().isProtected(false).build());
        service.delete(ALICE, image.id());
        assertThatThrownBy(() -> service.get(ALICE, image.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteWorksFromEveryLiveStatus() {
        for (ImageStatus status : List.of(ImageStatus.QUEUED, ImageStatus.SAVING, ImageStatus.UPLOADING,
                ImageStatus.IMPORTING, ImageStatus.ACTIVE, ImageStatus.DEACTIVATED, ImageStatus.KILLED)) {
            Image image = create(ALICE, NewImage.builder().diskFormat(DiskFormat.RAW).containerFormat(ContainerFormat.BARE));
            repository.update(image.toBuilder().status(status).build());
            service.delete(ALICE, image.id());
            assertThat(repository.get(image.id()).orElseThrow().status()).as(status.wireName())
                    .isEqualTo(ImageStatus.DELETED);
        }
    }

    // ---- tags

    @Test
    void tagsAreAddedIdempotentlyAndRemoved() {
        Image image = create(ALICE, NewImage.builder());
        Image tagged = service.addTag(ALICE, image.id(), "x");
        assertThat(tagged.tags()).containsExactly("x");
        assertThat(service.addTag(ALICE, image.id(), "x")).isEqualTo(tagged);
        assertThatThrownBy(() -> service.addTag(ALICE, image.id(), "t".repeat(256)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> service.removeTag(ALICE, image.id(), "nope")).isInstanceOf(NotFoundException.class);
        assertThat(service.removeTag(ALICE, image.id(), "x").tags()).isEmpty();
    }

    // ---- deactivate / reactivate

    @Test
    void deactivateAndReactivateFollowGlance() {
        Image active = activeImage(ALICE);
        Image deactivated = service.deactivate(ALICE, active.id());
        assertThat(deactivated.status()).isEqualTo(ImageStatus.DEACTIVATED);
        assertThat(service.deactivate(ALICE, active.id())).isEqualTo(deactivated);
        Image reactivated = service.reactivate(ALICE, active.id());
        assertThat(reactivated.status()).isEqualTo(ImageStatus.ACTIVE);
        assertThat(service.reactivate(ALICE, active.id())).isEqualTo(reactivated);
        Image queued = create(ALICE, NewImage.builder());
        assertThatThrownBy(() -> service.deactivate(ALICE, queued.id())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.reactivate(ALICE, queued.id())).isInstanceOf(ForbiddenException.class);
        assertThat(service.get(ALICE, queued.id()).status()).isEqualTo(ImageStatus.QUEUED);
    }

    // ---- members

    @Test
    void membershipLifecycle() {
        Image image = create(ALICE, NewImage.builder().name("shared"));
        ImageMember member = service.addMember(ALICE, image.id(), "bob-project");
        assertThat(member.status()).isEqualTo(MemberStatus.PENDING);
        assertThat(member.createdAt()).isEqualTo(clock.instant());
        assertThatThrownBy(() -> service.addMember(ALICE, image.id(), "bob-project")).isInstanceOf(ConflictException.class);
        service.addMember(ALICE, image.id(), "carol-project");

        // pending: gettable by id, not listed by default
        assertThat(service.get(BOB, image.id()).id()).isEqualTo(image.id());
        assertThat(service.list(BOB, ImageQuery.all()).images()).isEmpty();
        assertThat(service.list(BOB, ImageQuery.builder().memberStatuses(Set.of(MemberStatus.PENDING)).build())
                .images()).extracting(Image::id).containsExactly(image.id());

        // the owner may not answer for the member; the member may
        assertThatThrownBy(() -> service.updateMember(ALICE, image.id(), "bob-project", MemberStatus.ACCEPTED))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> service.updateMember(CAROL, image.id(), "bob-project", MemberStatus.ACCEPTED))
                .isInstanceOf(ForbiddenException.class);
        clock.advance(Duration.ofSeconds(5));
        ImageMember accepted = service.updateMember(BOB, image.id(), "bob-project", MemberStatus.ACCEPTED);
        assertThat(accepted.status()).isEqualTo(MemberStatus.ACCEPTED);
        assertThat(accepted.updatedAt()).isEqualTo(clock.instant());
        assertThat(service.list(BOB, ImageQuery.all()).images()).extracting(Image::id).containsExactly(image.id());

        // owner sees all members, a member only itself, others nothing
        assertThat(service.listMembers(ALICE, image.id())).extracting(ImageMember::memberId)
                .containsExactly("bob-project", "carol-project");
        assertThat(service.listMembers(BOB, image.id())).extracting(ImageMember::memberId).containsExactly("bob-project");
        assertThat(service.getMember(BOB, image.id(), "bob-project")).isEqualTo(accepted);
        assertThatThrownBy(() -> service.getMember(BOB, image.id(), "carol-project")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.listMembers(RequestContext.member("dave", "dave"), image.id()))
                .isInstanceOf(NotFoundException.class);

        // only the owner removes
        assertThatThrownBy(() -> service.removeMember(BOB, image.id(), "bob-project")).isInstanceOf(ForbiddenException.class);
        service.removeMember(ALICE, image.id(), "bob-project");
        assertThatThrownBy(() -> service.removeMember(ALICE, image.id(), "bob-project")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.get(BOB, image.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void membersOnlyOnSharedImages() {
        for (Visibility v : List.of(Visibility.PRIVATE, Visibility.PUBLIC, Visibility.COMMUNITY)) {
            Image image = create(ALICE, NewImage.builder().visibility(v));
            assertThatThrownBy(() -> service.addMember(ALICE, image.id(), "bob-project")).as(v.wireName())
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("shared");
            assertThatThrownBy(() -> service.listMembers(ALICE, image.id())).isInstanceOf(ForbiddenException.class);
        }
        Image image = create(ALICE, NewImage.builder().visibility(Visibility.PUBLIC));
        assertThatThrownBy(() -> service.addMember(BOB, image.id(), "carol-project")).isInstanceOf(ForbiddenException.class);
    }

    // ---- list

    @Test
    void listPagesWithDefaultLimitAndNextMarker() {
        ImageService small = ImageService.builder().repository(repository).clock(clock)
                .limitParamDefault(3).apiLimitMax(4).build();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(create(ALICE, NewImage.builder()).id());
        }
        ImagePage first = small.list(ALICE, ImageQuery.all());
        assertThat(first.images()).hasSize(3);
        assertThat(first.next()).contains(first.images().get(2).id());
        ImagePage capped = small.list(ALICE, ImageQuery.builder().limit(100).build());
        assertThat(capped.images()).hasSize(4);
        List<String> seen = new ArrayList<>();
        String marker = null;
        do {
            ImagePage page = small.list(ALICE, ImageQuery.builder().marker(marker).build());
            page.images().forEach(i -> seen.add(i.id()));
            marker = page.nextMarker();
        } while (marker != null);
        java.util.Collections.reverse(created);
        assertThat(seen).isEqualTo(created);
        assertThat(small.list(ALICE, ImageQuery.builder().limit(0).build()).images()).isEmpty();
    }

    @Test
    void unknownMarkerIsInvalid() {
        create(ALICE, NewImage.builder());
        Image other = create(BOB, NewImage.builder().visibility(Visibility.PRIVATE));
        assertThatThrownBy(() -> service.list(ALICE, ImageQuery.builder().marker("00000000-0000-4000-8000-000000000000").build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> service.list(ALICE, ImageQuery.builder().marker(other.id()).build()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void deletedImagesAreNeverListedEvenWhenAskedFor() {
        Image image = create(ALICE, NewImage.builder());
        service.delete(ALICE, image.id());
        assertThat(service.list(ADMIN, ImageQuery.builder().status(ImageStatus.DELETED).allVisibilities().build())
                .images()).isEmpty();
        assertThat(service.list(ADMIN, ImageQuery.builder()
                .statuses(List.of(ImageStatus.DELETED, ImageStatus.QUEUED)).allVisibilities().build()).images()).isEmpty();
    }

    @Test
    void listCombinesPropertyFilterAndSort() {
        create(ALICE, NewImage.builder().name("b").property("os_distro", "debian"));
        create(ALICE, NewImage.builder().name("a").property("os_distro", "debian"));
        create(ALICE, NewImage.builder().name("c").property("os_distro", "ubuntu"));
        List<String> names = service.list(ALICE, ImageQuery.builder().property("os_distro", "debian")
                .sort(ImageQuery.SortField.NAME, ImageQuery.SortDirection.ASC).build())
                .images().stream().map(i -> i.name().orElseThrow()).collect(Collectors.toList());
        assertThat(names).containsExactly("a", "b");
    }
}
