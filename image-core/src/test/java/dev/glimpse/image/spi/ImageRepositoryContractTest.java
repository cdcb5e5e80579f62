package dev.glimpse.image.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageQuery.Comparison;
import dev.glimpse.image.ImageQuery.SortDirection;
import dev.glimpse.image.ImageQuery.SortField;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.VersionConflictException;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ImageRepository} must meet. Subclass it in the implementation's test
 * sources and return a fresh, empty repository from {@link #newRepository()}; the in-memory
 * repository, the file-backed one and any future SQL one all run this same suite.
 *
 * <p>Shipped in the image-core test-jar ({@code <type>test-jar</type>}).
 */
public abstract class ImageRepositoryContractTest {
    /** The fixed time all fixtures are created at, plus their index in seconds. */
    protected static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    /** The repository under test, fresh for each test. */
    protected ImageRepository repo;

    /** Returns a new, empty repository. Called before each test. */
    protected abstract ImageRepository newRepository() throws Exception;

    @BeforeEach
    void setUpRepository() throws Exception {
        repo = newRepository();
    }

    /** Returns a canonical UUID made from a number, so that id order follows the number. */
    protected static String id(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    /** Returns a builder for a queued image {@code n} owned by {@code owner}, created at T0 + n seconds. */
    protected static Image.Builder image(int n, String owner) {
        Instant t = T0.plusSeconds(n);
        return Image.builder().id(id(n)).owner(owner).createdAt(t).updatedAt(t);
    }

    private static AccessScope user(String project) {
        return new AccessScope(project, false);
    }

    private List<String> ids(ImageQuery query, AccessScope scope) {
        return repo.list(query, scope, 1000).stream().map(Image::id).collect(Collectors.toList());
    }

    // ---- create / get / update / purge

    @Test
    void createStoresVersionOneAndGetReturnsIt() {
        Image stored = repo.create(image(1, "p1").name("one").property("k", "v").addTag("t").build());
        assertThat(stored.version()).isEqualTo(1);
        Optional<Image> read = repo.get(id(1));
        assertThat(read).contains(stored);
        assertThat(read.get().name()).contains("one");
        assertThat(read.get().properties()).containsEntry("k", "v");
        assertThat(read.get().tags()).containsExactly("t");
    }

    @Test
    void createKeepsEveryAttribute() {
        Image full = image(2, "p1").name("n").status(ImageStatus.ACTIVE).visibility(Visibility.PUBLIC)
                .isProtected(true).osHidden(true).diskFormat(DiskFormat.QCOW2).containerFormat(ContainerFormat.BARE)
                .size(10L).virtualSize(20L).checksum("0123456789abcdef0123456789abcdef").osHashAlgo("sha512")
                .osHashValue("ab").minDisk(3).minRam(4).tags(List.of("b", "a"))
                .locations(List.of(dev.glimpse.image.ImageLocation.of("file:///x", "fs1")))
                .properties(java.util.Map.of("os_distro", "debian")).build();
        Image stored = repo.create(full);
        assertThat(repo.get(full.id())).contains(stored);
        assertThat(stored.toBuilder().version(0).build()).isEqualTo(full);
    }

    @Test
    void createWithTakenIdIsConflictEvenWhenDeleted() {
        repo.create(image(1, "p1").build());
        assertThatThrownBy(() -> repo.create(image(1, "p2").build())).isInstanceOf(ConflictException.class);
        Image current = repo.get(id(1)).orElseThrow();
        repo.update(current.toBuilder().status(ImageStatus.DELETED).build());
        assertThatThrownBy(() -> repo.create(image(1, "p2").build())).isInstanceOf(ConflictException.class);
        assertThat(repo.get(id(1)).orElseThrow().owner()).contains("p1");
    }

    @Test
    void getOfUnknownIdIsEmpty() {
        assertThat(repo.get(id(99))).isEmpty();
    }

    @Test
    void updateIncrementsVersion() {
        Image v1 = repo.create(image(1, "p1").build());
        Image v2 = repo.update(v1.toBuilder().name("renamed").build());
        assertThat(v2.version()).isEqualTo(2);
        assertThat(repo.get(id(1)).orElseThrow().name()).contains("renamed");
        Image v3 = repo.update(v2.toBuilder().name("again").build());
        assertThat(v3.version()).isEqualTo(3);
    }

    @Test
    void updateWithStaleVersionIsRejectedAndChangesNothing() {
        Image v1 = repo.create(image(1, "p1").build());
        repo.update(v1.toBuilder().name("first").build());
        assertThatThrownBy(() -> repo.update(v1.toBuilder().name("lost").build()))
                .isInstanceOf(VersionConflictException.class);
        Image now = repo.get(id(1)).orElseThrow();
        assertThat(now.name()).contains("first");
        assertThat(now.version()).isEqualTo(2);
    }

    @Test
    void updateOfMissingImageIsNotFound() {
        assertThatThrownBy(() -> repo.update(image(5, "p1").version(1).build())).isInstanceOf(NotFoundException.class);
        assertThat(repo.get(id(5))).isEmpty();
    }

    @Test
    void concurrentCompareAndSetLosesNoUpdate() throws Exception {
        repo.create(image(1, "p1").build());
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    while (true) {
                        Image current = repo.get(id(1)).orElseThrow();
                        try {
                            repo.update(current.toBuilder().property("t" + thread + "_" + i, "x").build());
                            break;
                        } catch (VersionConflictException retry) {
                            // lost the race: read again
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Image end = repo.get(id(1)).orElseThrow();
        assertThat(end.properties()).hasSize(threads * perThread);
        assertThat(end.version()).isEqualTo(1 + threads * perThread);
    }

    @Test
    void purgeRemovesImageAndMembers() {
        repo.create(image(1, "p1").build());
        repo.addMember(member(1, "p2", MemberStatus.PENDING));
        assertThat(repo.purge(id(1))).isTrue();
        assertThat(repo.get(id(1))).isEmpty();
        assertThat(repo.listMembers(id(1))).isEmpty();
        assertThat(repo.purge(id(1))).isFalse();
        repo.create(image(1, "p3").build());
        assertThat(repo.listMembers(id(1))).isEmpty();
    }

    // ---- members

    private static ImageMember member(int image, String project, MemberStatus status) {
        return new ImageMember(id(image), project, status, T0, T0);
    }

    @Test
    void membersAreAddedListedInIdOrderUpdatedAndRemoved() {
        repo.create(image(1, "p1").build());
        repo.addMember(member(1, "pz", MemberStatus.PENDING));
        repo.addMember(member(1, "pa", MemberStatus.PENDING));
        assertThat(repo.listMembers(id(1))).extracting(ImageMember::memberId).containsExactly("pa", "pz");
        ImageMember accepted = member(1, "pa", MemberStatus.ACCEPTED).withStatus(MemberStatus.ACCEPTED, T0.plusSeconds(9));
        assertThat(repo.updateMember(accepted)).isEqualTo(accepted);
        assertThat(repo.getMember(id(1), "pa")).contains(accepted);
        assertThat(repo.removeMember(id(1), "pa")).isTrue();
        assertThat(repo.removeMember(id(1), "pa")).isFalse();
        assertThat(repo.getMember(id(1), "pa")).isEmpty();
        assertThat(repo.listMembers(id(1))).extracting(ImageMember::memberId).containsExactly("pz");
    }

    @Test
    void duplicateMemberIsConflict() {
        repo.create(image(1, "p1").build());
        repo.addMember(member(1, "p2", MemberStatus.PENDING));
        assertThatThrownBy(() -> repo.addMember(member(1, "p2", MemberStatus.ACCEPTED)))
                .isInstanceOf(ConflictException.class);
        assertThat(repo.getMember(id(1), "p2").orElseThrow().status()).isEqualTo(MemberStatus.PENDING);
    }

    @Test
    void memberOfMissingImageIsNotFound() {
        assertThatThrownBy(() -> repo.addMember(member(7, "p2", MemberStatus.PENDING)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> repo.updateMember(member(7, "p2", MemberStatus.ACCEPTED)))
                .isInstanceOf(NotFoundException.class);
        assertThat(repo.listMembers(id(7))).isEmpty();
    }

    @Test
    void updateOfMissingMemberIsNotFound() {
        repo.create(image(1, "p1").build());
        assertThatThrownBy(() -> repo.updateMember(member(1, "p2", MemberStatus.ACCEPTED)))
                .isInstanceOf(NotFoundException.class);
        assertThat(repo.getMember(id(1), "p2")).isEmpty();
    }

    // ---- list: visibility

    private void visibilityFixture() {
        repo.create(image(1, "owner").visibility(Visibility.PUBLIC).build());
        repo.create(image(2, "owner").visibility(Visibility.COMMUNITY).build());
        repo.create(image(3, "owner").visibility(Visibility.SHARED).build());
        repo.create(image(4, "owner").visibility(Visibility.PRIVATE).build());
        repo.create(image(5, "other").visibility(Visibility.SHARED).build());
        repo.addMember(member(3, "accepted", MemberStatus.ACCEPTED));
        repo.addMember(member(3, "pending", MemberStatus.PENDING));
        repo.addMember(member(3, "rejected", MemberStatus.REJECTED));
    }

    @Test
    void ownerListsAllOwnImagesIncludingCommunity() {
        visibilityFixture();
        assertThat(ids(ImageQuery.all(), user("owner"))).containsExactly(id(4), id(3), id(2), id(1));
    }

    @Test
    void strangerListsPublicOnlyAndCommunityOnlyWhenAsked() {
        visibilityFixture();
        assertThat(ids(ImageQuery.all(), user("stranger"))).containsExactly(id(1));
        assertThat(ids(ImageQuery.builder().visibility(Visibility.COMMUNITY).build(), user("stranger")))
                .containsExactly(id(2));
        assertThat(ids(ImageQuery.builder().allVisibilities().build(), user("stranger")))
                .containsExactly(id(2), id(1));
        assertThat(ids(ImageQuery.builder().visibility(Visibility.PRIVATE).build(), user("stranger"))).isEmpty();
        assertThat(ids(ImageQuery.builder().visibility(Visibility.SHARED).build(), user("stranger"))).isEmpty();
    }

    @Test
    void memberListsSharedImageByMemberStatus() {
        visibilityFixture();
        assertThat(ids(ImageQuery.all(), user("accepted"))).containsExactly(id(3), id(1));
        assertThat(ids(ImageQuery.all(), user("pending"))).containsExactly(id(1));
        assertThat(ids(ImageQuery.builder().memberStatuses(Set.of(MemberStatus.PENDING)).build(), user("pending")))
                .containsExactly(id(3), id(1));
        assertThat(ids(ImageQuery.builder().memberStatuses(Set.of(MemberStatus.PENDING)).build(), user("accepted")))
                .containsExactly(id(1));
        assertThat(ids(ImageQuery.builder().memberStatuses(EnumSet.allOf(MemberStatus.class))
                .visibility(Visibility.SHARED).build(), user("rejected"))).containsExactly(id(3));
    }

    @Test
    void sharedImageIsNotListedForMembersOnceNoLongerShared() {
        visibilityFixture();
        Image shared = repo.get(id(3)).orElseThrow();
        repo.update(shared.toBuilder().visibility(Visibility.PRIVATE).build());
        assertThat(ids(ImageQuery.all(), user("accepted"))).containsExactly(id(1));
    }

    @Test
    void adminListsEverythingButOthersCommunityImagesByDefault() {
        visibilityFixture();
        AccessScope admin = new AccessScope("adminproject", true);
        assertThat(ids(ImageQuery.all(), admin)).containsExactly(id(5), id(4), id(3), id(1));
        assertThat(ids(ImageQuery.builder().allVisibilities().build(), admin))
                .containsExactly(id(5), id(4), id(3), id(2), id(1));
    }

    @Test
    void deletedPendingDeleteAndKilledImagesAreListedOnlyWhenAskedFor() {
        repo.create(image(1, "p").status(ImageStatus.DELETED).build());
        repo.create(image(2, "p").status(ImageStatus.PENDING_DELETE).build());
        repo.create(image(3, "p").status(ImageStatus.KILLED).build());
        repo.create(image(4, "p").status(ImageStatus.ACTIVE).build());
        repo.create(image(5, "p").status(ImageStatus.DEACTIVATED).build());
        assertThat(ids(ImageQuery.all(), user("p"))).containsExactly(id(5), id(4));
        assertThat(ids(ImageQuery.builder().status(ImageStatus.PENDING_DELETE).build(), AccessScope.system()))
                .containsExactly(id(2));
    }

    // ---- list: filters

    @Test
    void eachFilterSelectsExactlyItsImages() {
        repo.create(image(1, "p").name("alpha").status(ImageStatus.ACTIVE).diskFormat(DiskFormat.QCOW2)
                .containerFormat(ContainerFormat.BARE).size(100L).tags(List.of("a", "b")).property("os", "linux")
                .checksum("c1").osHashValue("h1").isProtected(true).build());
        repo.create(image(2, "p").name("beta").diskFormat(DiskFormat.RAW).containerFormat(ContainerFormat.OVA)
                .size(200L).tags(List.of("a")).property("os", "windows").build());
        repo.create(image(3, "q").visibility(Visibility.PUBLIC).name("gamma").size(300L).osHidden(true)
                .property("os", "linux").property("arch", "x86_64").build());
        repo.create(image(4, "p").name("alpha").build());
        AccessScope p = user("p");

        assertThat(ids(ImageQuery.builder().name("alpha").build(), p)).containsExactly(id(4), id(1));
        assertThat(ids(ImageQuery.builder().names(List.of("beta", "zzz")).build(), p)).containsExactly(id(2));
        assertThat(ids(ImageQuery.builder().ids(List.of(id(1), id(2), id(9))).build(), p)).containsExactly(id(2), id(1));
        assertThat(ids(ImageQuery.builder().status(ImageStatus.ACTIVE).build(), p)).containsExactly(id(1));
        assertThat(ids(ImageQuery.builder().diskFormats(List.of(DiskFormat.QCOW2, DiskFormat.RAW)).build(), p))
                .containsExactly(id(2), id(1));
        assertThat(ids(ImageQuery.builder().containerFormats(List.of(ContainerFormat.OVA)).build(), p))
                .containsExactly(id(2));
        assertThat(ids(ImageQuery.builder().owner("q").osHidden(null).build(), p)).containsExactly(id(3));
        assertThat(ids(ImageQuery.builder().tag("a").tag("b").build(), p)).containsExactly(id(1));
        assertThat(ids(ImageQuery.builder().tag("a").build(), p)).containsExactly(id(2), id(1));
        assertThat(ids(ImageQuery.builder().isProtected(true).build(), p)).containsExactly(id(1));
        assertThat(ids(ImageQuery.builder().isProtected(false).build(), p)).containsExactly(id(4), id(2));
        assertThat(ids(ImageQuery.all(), p)).doesNotContain(id(3));
        assertThat(ids(ImageQuery.builder().osHidden(true).build(), p)).containsExactly(id(3));
        assertThat(ids(ImageQuery.builder().osHidden(null).build(), p)).containsExactly(id(4), id(3), id(2), id(1));
        assertThat(ids(ImageQuery.builder().sizeMin(200L).osHidden(null).build(), p)).containsExactly(id(3), id(2));
        assertThat(ids(ImageQuery.builder().sizeMin(100L).sizeMax(200L).build(), p)).containsExactly(id(2), id(1));
        assertThat(ids(ImageQuery.builder().checksum("c1").build(), p)).containsExactly(id(1));
        assertThat(ids(ImageQuery.builder().osHashValue("h1").build(), p)).containsExactly(id(1));
        assertThat(ids(ImageQuery.builder().property("os", "linux").osHidden(null).build(), p))
                .containsExactly(id(3), id(1));
        assertThat(ids(ImageQuery.builder().property("os", "linux").property("arch", "x86_64").osHidden(null).build(), p))
                .containsExactly(id(3));
        assertThat(ids(ImageQuery.builder().property("os", "Linux").build(), p)).isEmpty();
    }

    @Test
    void timeFiltersCompareWithEachOperator() {
        for (int n = 1; n <= 5; n++) {
            repo.create(image(n, "p").updatedAt(T0.plusSeconds(100 + n)).build());
        }
        AccessScope p = user("p");
        Instant t3 = T0.plusSeconds(3);
        assertThat(ids(ImageQuery.builder().createdAt(Comparison.GT, t3).build(), p)).containsExactly(id(5), id(4));
        assertThat(ids(ImageQuery.builder().createdAt(Comparison.GTE, t3).build(), p)).containsExactly(id(5), id(4), id(3));
        assertThat(ids(ImageQuery.builder().createdAt(Comparison.LT, t3).build(), p)).containsExactly(id(2), id(1));
        assertThat(ids(ImageQuery.builder().createdAt(Comparison.LTE, t3).build(), p)).containsExactly(id(3), id(2), id(1));
        assertThat(ids(ImageQuery.builder().createdAt(Comparison.EQ, t3).build(), p)).containsExactly(id(3));
        assertThat(ids(ImageQuery.builder().createdAt(Comparison.NEQ, t3).build(), p))
                .containsExactly(id(5), id(4), id(2), id(1));
        assertThat(ids(ImageQuery.builder().updatedAt(Comparison.GTE, T0.plusSeconds(102))
                .updatedAt(Comparison.LT, T0.plusSeconds(104)).build(), p)).containsExactly(id(3), id(2));
    }

    // ---- list: sort and paging

    @Test
    void defaultSortIsCreatedAtDescendingThenIdDescending() {
        repo.create(image(1, "p").build());
        repo.create(image(2, "p").createdAt(T0.plusSeconds(50)).build());
        repo.create(image(3, "p").createdAt(T0.plusSeconds(50)).build());
        assertThat(ids(ImageQuery.all(), user("p"))).containsExactly(id(3), id(2), id(1));
    }

    @Test
    void multiKeySortWithTieBreakersAndUnsetValuesFirstAscending() {
        repo.create(image(1, "p").name("b").size(5L).build());
        repo.create(image(2, "p").name("a").size(5L).build());
        repo.create(image(3, "p").name("a").size(1L).build());
        repo.create(image(4, "p").size(9L).build());
        AccessScope p = user("p");
        assertThat(ids(ImageQuery.builder().sort(SortField.NAME, SortDirection.ASC).build(), p))
                .containsExactly(id(4), id(2), id(3), id(1));
        assertThat(ids(ImageQuery.builder().sort(SortField.NAME, SortDirection.DESC).build(), p))
                .containsExactly(id(1), id(3), id(2), id(4));
        assertThat(ids(ImageQuery.builder().sort(SortField.SIZE, SortDirection.DESC)
                .sort(SortField.NAME, SortDirection.ASC).build(), p)).containsExactly(id(4), id(2), id(1), id(3));
        assertThat(ids(ImageQuery.builder().sort(SortField.ID, SortDirection.ASC).build(), p))
                .containsExactly(id(1), id(2), id(3), id(4));
    }

    @Test
    void sortsByStatusAndFormatsByWireName() {
        repo.create(image(1, "p").status(ImageStatus.QUEUED).diskFormat(DiskFormat.VMDK).build());
        repo.create(image(2, "p").status(ImageStatus.ACTIVE).diskFormat(DiskFormat.AKI).build());
        repo.create(image(3, "p").status(ImageStatus.DEACTIVATED).diskFormat(DiskFormat.QCOW2).build());
        AccessScope p = user("p");
        assertThat(ids(ImageQuery.builder().sort(SortField.STATUS, SortDirection.ASC).build(), p))
                .containsExactly(id(2), id(3), id(1));
        assertThat(ids(ImageQuery.builder().sort(SortField.DISK_FORMAT, SortDirection.ASC).build(), p))
                .containsExactly(id(2), id(3), id(1));
    }

    @Test
    void limitCapsThePage() {
        for (int n = 1; n <= 5; n++) {
            repo.create(image(n, "p").build());
        }
        assertThat(repo.list(ImageQuery.all(), user("p"), 2)).extracting(Image::id).containsExactly(id(5), id(4));
        assertThat(repo.list(ImageQuery.all(), user("p"), 0)).isEmpty();
    }

    @Test
    void markerPagingVisitsEveryImageOnceWithTies() {
        Random random = new Random(42);
        for (int n = 1; n <= 60; n++) {
            repo.create(image(n, "p").name("n" + random.nextInt(5)).createdAt(T0.plusSeconds(random.nextInt(4)))
                    .size(random.nextBoolean() ? null : (long) random.nextInt(3)).build());
        }
        for (ImageQuery base : List.of(ImageQuery.all(),
                ImageQuery.builder().sort(SortField.NAME, SortDirection.ASC).build(),
                ImageQuery.builder().sort(SortField.SIZE, SortDirection.DESC).sort(SortField.NAME, SortDirection.ASC).build())) {
            List<String> all = ids(base, user("p"));
            assertThat(all).hasSize(60).doesNotHaveDuplicates();
            List<String> paged = new ArrayList<>();
            String marker = null;
            while (true) {
                List<Image> page = repo.list(base.toBuilder().marker(marker).build(), user("p"), 7);
                page.forEach(i -> paged.add(i.id()));
                if (page.size() < 7) {
                    break;
                }
                marker = page.get(page.size() - 1).id();
            }
            assertThat(paged).isEqualTo(all);
        }
    }

    @Test
    void listReflectsUpdatesAndPurgesInEverySortOrder() {
        for (int n = 1; n <= 5; n++) {
            repo.create(image(n, "p").name("n" + n).size((long) n).build());
        }
        Image third = repo.get(id(3)).orElseThrow();
        repo.update(third.toBuilder().name("a-first").size(100L).build());
        repo.purge(id(4));
        for (SortField field : SortField.values()) {
            for (SortDirection dir : SortDirection.values()) {
                List<String> listed = ids(ImageQuery.builder().sort(field, dir).build(), user("p"));
                assertThat(listed).as(field + " " + dir).hasSize(4).doesNotHaveDuplicates().doesNotContain(id(4));
            }
        }
        assertThat(ids(ImageQuery.builder().sort(SortField.NAME, SortDirection.ASC).build(), user("p")))
                .containsExactly(id(3), id(1), id(2), id(5));
        assertThat(ids(ImageQuery.builder().sort(SortField.SIZE, SortDirection.DESC).build(), user("p")))
                .containsExactly(id(3), id(5), id(2), id(1));
    }

    @Test
    void unknownOrInvisibleMarkerIsInvalid() {
        repo.create(image(1, "p").build());
        repo.create(image(2, "other").visibility(Visibility.PRIVATE).build());
        repo.create(image(3, "p").status(ImageStatus.DELETED).build());
        assertThatThrownBy(() -> repo.list(ImageQuery.builder().marker(id(9)).build(), user("p"), 5))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("marker");
        assertThatThrownBy(() -> repo.list(ImageQuery.builder().marker(id(2)).build(), user("p"), 5))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> repo.list(ImageQuery.builder().marker(id(3)).build(), user("p"), 5))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void markerNeedNotMatchTheFilters() {
        repo.create(image(1, "p").name("x").build());
        repo.create(image(2, "p").name("y").build());
        repo.create(image(3, "p").name("x").build());
        assertThat(ids(ImageQuery.builder().name("x").marker(id(2)).build(), user("p"))).containsExactly(id(1));
    }

    @Test
    void randomQueriesAgreeWithTheReferenceSemantics() {
        Random random = new Random(7);
        String[] projects = {"p1", "p2", "p3"};
        for (int n = 1; n <= 150; n++) {
            Image.Builder b = image(n, projects[random.nextInt(3)])
                    .createdAt(T0.plusSeconds(random.nextInt(20)))
                    .visibility(Visibility.values()[random.nextInt(4)])
                    .status(ImageStatus.values()[random.nextInt(ImageStatus.values().length)])
                    .osHidden(random.nextInt(5) == 0)
                    .name(random.nextInt(4) == 0 ? null : "img" + random.nextInt(6));
            if (random.nextBoolean()) {
                b.size((long) random.nextInt(1000));
            }
            if (random.nextBoolean()) {
                b.property("os_distro", random.nextBoolean() ? "ubuntu" : "debian");
            }
            if (random.nextBoolean()) {
                b.addTag("t" + random.nextInt(3));
            }
            repo.create(b.build());
            if (random.nextInt(3) == 0) {
                repo.addMember(new ImageMember(id(n), projects[random.nextInt(3)],
                        MemberStatus.values()[random.nextInt(3)], T0, T0));
            }
        }
        // Rewrite and purge some images so that every index has seen changes.
        Set<Integer> purged = new HashSet<>();
        for (int k = 0; k < 40; k++) {
            int n = 1 + random.nextInt(150);
            Optional<Image> current = repo.get(id(n));
            if (current.isEmpty()) {
                continue;
            }
            if (k % 8 == 7) {
                repo.purge(id(n));
                purged.add(n);
                continue;
            }
            Image.Builder changed = current.get().toBuilder().name("renamed" + random.nextInt(6));
            if (random.nextBoolean()) {
                changed.removeProperty("os_distro");
            } else {
                changed.property("os_distro", random.nextBoolean() ? "ubuntu" : "fedora");
            }
            repo.update(changed.build());
        }
        ImageQueries.MembershipLookup lookup = (img, project) -> repo.getMember(img, project).map(ImageMember::status);
        List<Image> everything = new ArrayList<>();
        for (int n = 1; n <= 150; n++) {
            if (!purged.contains(n)) {
                everything.add(repo.get(id(n)).orElseThrow());
            }
        }
        SortField[] fields = SortField.values();
        for (int q = 0; q < 400; q++) {
            ImageQuery.Builder qb = ImageQuery.builder();
            if (random.nextBoolean()) {
                SortField first = fields[random.nextInt(fields.length)];
                qb.sort(first, SortDirection.values()[random.nextInt(2)]);
                SortField second = fields[random.nextInt(fields.length)];
                if (random.nextInt(3) == 0 && second != first) {
                    qb.sort(second, SortDirection.values()[random.nextInt(2)]);
                }
            }
            if (random.nextInt(3) == 0) {
                qb.property("os_distro", random.nextInt(4) == 0 ? "fedora" : "ubuntu");
            } else if (random.nextInt(10) == 0) {
                qb.property("os_distro", "nonexistent");
            }
            if (random.nextInt(4) == 0) {
                qb.tag("t1");
            }
            if (random.nextInt(4) == 0) {
                qb.allVisibilities();
            }
            if (random.nextInt(4) == 0) {
                qb.memberStatuses(EnumSet.allOf(MemberStatus.class));
            }
            if (random.nextInt(4) == 0) {
                qb.sizeMin(300L);
            }
            ImageQuery query = qb.build();
            AccessScope scope = random.nextInt(6) == 0 ? new AccessScope("p1", true) : user(projects[random.nextInt(3)]);
            List<Image> expected = everything.stream()
                    .filter(i -> ImageQueries.matches(i, query, scope, lookup))
                    .sorted(ImageQueries.comparator(query.effectiveSort()))
                    .collect(Collectors.toList());
            int limit = 1 + random.nextInt(10);
            List<Image> actual = repo.list(query, scope, limit);
            assertThat(actual).as("query %s for %s", query, scope)
                    .isEqualTo(expected.subList(0, Math.min(limit, expected.size())));
            if (actual.size() == limit && expected.size() > limit) {
                List<Image> second = repo.list(query.toBuilder().marker(actual.get(limit - 1).id()).build(), scope, limit);
                assertThat(second).isEqualTo(expected.subList(limit, Math.min(2 * limit, expected.size())));
            }
        }
        assertThat(new HashSet<>(everything)).hasSize(150 - purged.size());
    }
}
