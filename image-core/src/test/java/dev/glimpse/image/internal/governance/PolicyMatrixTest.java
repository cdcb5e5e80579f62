package dev.glimpse.image.internal.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImagePatch;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.InMemoryImageRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every image-service action, by every persona, on an image of every visibility, with Glance's
 * default policy. Each cell runs on a fresh catalogue: a shared image owned by {@code owner-project}
 * with tag {@code t}, a pending member {@code pend-project} and an accepted member
 * {@code acc-project}, then made active and given the visibility under test.
 *
 * <p>Expected outcomes per visibility, in the order private, shared, community, public:
 * {@code O} succeeds, {@code F} is {@link ForbiddenException}, {@code N} is
 * {@link NotFoundException} (the caller may not see the image, or Glance hides the denial).
 */
class PolicyMatrixTest {
    private static final String OWNER = "owner-project";
    private static final String PENDING = "pend-project";
    private static final String ACCEPTED = "acc-project";
    private static final List<Visibility> VISIBILITIES =
            List.of(Visibility.PRIVATE, Visibility.SHARED, Visibility.COMMUNITY, Visibility.PUBLIC);

    private static final Map<String, RequestContext> PERSONAS = new LinkedHashMap<>();

    static {
        PERSONAS.put("owner", RequestContext.member(OWNER, "olivia"));
        PERSONAS.put("reader", RequestContext.builder().projectId(OWNER).userId("rita").roles(Set.of("reader")).build());
        PERSONAS.put("pending", RequestContext.member(PENDING, "paul"));
        PERSONAS.put("accepted", RequestContext.member(ACCEPTED, "anna"));
        PERSONAS.put("other", RequestContext.member("other-project", "oscar"));
        PERSONAS.put("admin", RequestContext.admin("admin-project", "root"));
    }

    /** The membership a member action concerns: the caller's own for members, else the pending one. */
    private static String memberOf(String persona) {
        return persona.equals("accepted") ? ACCEPTED : PENDING;
    }

    private static final Map<String, BiConsumer<ImageService, Call>> ACTIONS = new LinkedHashMap<>();

    record Call(String persona, RequestContext ctx, String imageId) {}

    static {
        ACTIONS.put("get", (s, c) -> s.get(c.ctx(), c.imageId()));
        ACTIONS.put("update", (s, c) -> s.update(c.ctx(), c.imageId(),
                ImagePatch.builder().replace("name", "renamed").build()));
        ACTIONS.put("delete", (s, c) -> s.delete(c.ctx(), c.imageId()));
        ACTIONS.put("addTag", (s, c) -> s.addTag(c.ctx(), c.imageId(), "new"));
        ACTIONS.put("removeTag", (s, c) -> s.removeTag(c.ctx(), c.imageId(), "t"));
        ACTIONS.put("deactivate", (s, c) -> s.deactivate(c.ctx(), c.imageId()));
        ACTIONS.put("reactivate", (s, c) -> s.reactivate(c.ctx(), c.imageId()));
        ACTIONS.put("addMember", (s, c) -> s.addMember(c.ctx(), c.imageId(), "newcomer-project"));
        ACTIONS.put("listMembers", (s, c) -> s.listMembers(c.ctx(), c.imageId()));
        ACTIONS.put("getMember", (s, c) -> s.getMember(c.ctx(), c.imageId(), memberOf(c.persona())));
        ACTIONS.put("updateMember", (s, c) -> s.updateMember(c.ctx(), c.imageId(), memberOf(c.persona()),
                MemberStatus.REJECTED));
        ACTIONS.put("removeMember", (s, c) -> s.removeMember(c.ctx(), c.imageId(), memberOf(c.persona())));
    }

    //                    action          owner   reader  pending accepted other   admin
    private static final String[][] EXPECTED = {
        {"get",          "OOOO", "OOOO", "NOOO", "NOOO", "NNOO", "OOOO"},
        {"update",       "OOOO", "FFFF", "NFFF", "NFFF", "NNFF", "OOOO"},
        {"delete",       "OOOO", "FFFF", "NFFF", "NFFF", "NNFF", "OOOO"},
        {"addTag",       "OOOO", "FFFF", "NFFF", "NFFF", "NNFF", "OOOO"},
        {"removeTag",    "OOOO", "FFFF", "NFFF", "NFFF", "NNFF", "OOOO"},
        {"deactivate",   "OOOO", "FFFF", "NFFF", "NFFF", "NNFF", "OOOO"},
        {"reactivate",   "OOOO", "FFFF", "NFFF", "NFFF", "NNFF", "OOOO"},
        // Members exist only on shared images: the catalogue refuses the others (403).
        {"addMember",    "FOFF", "FFFF", "NFFF", "NFFF", "NNFF", "FOFF"},
        {"listMembers",  "FOFF", "FOFF", "NOFF", "NOFF", "NNFF", "FOFF"},
        // Glance's member show turns every denial into 404.
        {"getMember",    "FOFF", "FOFF", "NOFF", "NOFF", "NNNN", "FOFF"},
        // Only the member itself (or an admin) answers an invitation, not the owner.
        {"updateMember", "FFFF", "FFFF", "NOFF", "NOFF", "NNFF", "FOFF"},
        {"removeMember", "FOFF", "FFFF", "NFFF", "NFFF", "NNFF", "FOFF"},
    };

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        List<String> personas = List.copyOf(PERSONAS.keySet());
        for (String[] row : EXPECTED) {
            for (int p = 0; p < personas.size(); p++) {
                for (int v = 0; v < VISIBILITIES.size(); v++) {
                    cells.add(Arguments.of(row[0], personas.get(p), VISIBILITIES.get(v), row[p + 1].charAt(v)));
                }
            }
        }
        assertThat(cells).hasSize(ACTIONS.size() * PERSONAS.size() * VISIBILITIES.size());
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} by {1} on a {2} image -> {3}")
    @MethodSource("cells")
    void matrix(String action, String persona, Visibility visibility, char expected) {
        InMemoryImageRepository repository = new InMemoryImageRepository();
        ImageService service = ImageService.builder().repository(repository).build();
        RequestContext owner = PERSONAS.get("owner");
        Image image = service.create(owner, NewImage.builder().diskFormat(DiskFormat.RAW)
                .containerFormat(ContainerFormat.BARE).addTag("t").build());
        service.addMember(owner, image.id(), PENDING);
        service.addMember(owner, image.id(), ACCEPTED);
        service.updateMember(PERSONAS.get("accepted"), image.id(), ACCEPTED, MemberStatus.ACCEPTED);
        Image current = repository.get(image.id()).orElseThrow();
        Image prepared = repository.update(current.toBuilder().status(ImageStatus.ACTIVE).visibility(visibility).build());
        List<ImageMember> membersBefore = repository.listMembers(image.id());

        char outcome;
        try {
            ACTIONS.get(action).accept(service, new Call(persona, PERSONAS.get(persona), image.id()));
            outcome = 'O';
        } catch (NotFoundException e) {
            outcome = 'N';
        } catch (ForbiddenException e) {
            outcome = 'F';
        }
        assertThat(outcome).as("%s by %s on a %s image", action, persona, visibility).isEqualTo(expected);
        if (outcome != 'O') {
            assertThat(repository.get(image.id())).as("a refused call changes nothing").contains(prepared);
            assertThat(repository.listMembers(image.id())).isEqualTo(membersBefore);
        }
    }
}
