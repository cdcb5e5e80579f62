package dev.glimpse.examples;

import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.policy.Policy;
import java.util.List;

/**
 * Example: two projects sharing an image through members, under Glance's default rules. Alice's
 * project owns a {@code shared} image and adds Bob's project as a member; Bob sees it only after
 * accepting it, may use it but not change it, and loses it when Alice removes him.
 *
 * <p>Run: {@code java dev.glimpse.examples.SharingExample}.
 */
public final class SharingExample {
    private SharingExample() {}

    /** Plays the story out on an in-memory catalogue, printing each step. */
    public static void main(String[] args) {
        // Glance's default rules (the builder's default too): owners change and share, members accept.
        ImageService images = ImageService.builder().policy(Policy.defaults()).build();
        RequestContext alice = RequestContext.member("alice-project", "alice");
        RequestContext bob = RequestContext.member("bob-project", "bob");

        Image golden = images.create(alice, NewImage.builder().name("golden-ubuntu")
                .diskFormat(DiskFormat.QCOW2).containerFormat(ContainerFormat.BARE)
                .visibility(Visibility.SHARED).build());
        System.out.println("alice created " + golden.name().orElseThrow() + ", visible to bob: " + sees(images, bob, golden));

        images.addMember(alice, golden.id(), "bob-project");
        System.out.println("shared with bob, pending; in bob's list: " + sees(images, bob, golden)
                + ", in bob's pending list: " + names(images.list(bob, ImageQuery.builder()
                        .memberStatuses(List.of(MemberStatus.PENDING)).build()).images()));

        images.updateMember(bob, golden.id(), "bob-project", MemberStatus.ACCEPTED);
        System.out.println("bob accepted; in bob's list: " + sees(images, bob, golden));

        try {
            images.delete(bob, golden.id());
        } catch (ForbiddenException e) {
            System.out.println("bob may not delete it: " + e.getMessage());
        }
        try {
            images.updateMember(alice, golden.id(), "bob-project", MemberStatus.REJECTED);
        } catch (ForbiddenException e) {
            System.out.println("alice may not answer for bob: " + e.getMessage());
        }

        images.removeMember(alice, golden.id(), "bob-project");
        try {
            images.get(bob, golden.id());
        } catch (NotFoundException e) {
            System.out.println("alice removed bob; for bob the image no longer exists: " + e.getMessage());
        }
    }

    private static boolean sees(ImageService images, RequestContext who, Image image) {
        return images.list(who, ImageQuery.all()).images().stream().anyMatch(i -> i.id().equals(image.id()));
    }

    private static List<String> names(List<Image> list) {
        return list.stream().map(i -> i.name().orElse("")).toList();
    }
}
