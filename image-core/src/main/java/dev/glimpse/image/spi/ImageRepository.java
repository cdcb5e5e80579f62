package dev.glimpse.image.spi;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.NotFoundException;
import dev.glimpse.image.VersionConflictException;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of the catalogue: image records and their members. The service keeps every rule
 * (validation, status transitions, who may do what); a repository keeps records safe and answers
 * queries.
 *
 * <p><b>Versioned writes.</b> Every image carries a {@link Image#version() version}. {@link #create}
 * stores version 1; {@link #update} stores the image only if the stored record still has the version
 * of the given image, and then stores it with the version plus one. This compare-and-set is what
 * keeps concurrent writers from losing updates: the service re-reads and retries when it fails. A
 * SQL implementation maps it to {@code UPDATE ... SET version = v + 1 WHERE id = ? AND version = v}.
 *
 * <p><b>Queries</b> are plain data ({@link ImageQuery} + {@link AccessScope} + limit) so that a
 * database implementation can push filters, visibility, sort and marker paging down to SQL. The
 * reference semantics are those of {@link ImageQueries}, which simple implementations can call
 * directly; {@code ImageRepositoryContractTest} (in the image-core test-jar) checks any
 * implementation against them.
 *
 * <p><b>Deleted images</b> are kept (status {@code deleted}) so their ids stay taken, as Glance
 * soft-deletes rows; {@link #purge} removes them for good.
 *
 * <p>Implementations must be thread-safe, and each method must be atomic: after a crash a record
 * is either the old or the new version, never a mix.
 */
public interface ImageRepository {

    /**
     * Stores a new image. The image's version is ignored; the stored copy has version 1.
     *
     * @return the stored image (version 1)
     * @throws ConflictException if an image with the same id exists, deleted or not
     */
    Image create(Image image);

    /**
     * Returns the image with this id, whatever its status (deleted ones included), or empty.
     */
    Optional<Image> get(String id);

    /**
     * Replaces an image if it has not changed since it was read.
     *
     * @param image the new content; its {@link Image#version()} is the version that was read
     * @return the stored image, with the version incremented
     * @throws NotFoundException if no image has this id
     * @throws VersionConflictException if the stored version differs from {@code image.version()}
     */
    Image update(Image image);

    /**
     * Removes an image and its members for good (no soft delete). Used for purging deleted records.
     *
     * @return whether an image was removed
     */
    boolean purge(String id);

    /**
     * Lists one page of images.
     *
     * <p>Semantics (exactly those of {@link ImageQueries#matches} and
     * {@link ImageQueries#comparator}): every filter of the query, Glance's list visibility rules for
     * the scope, images in statuses {@code deleted}, {@code pending_delete} and {@code killed} left out
     * unless the query's status filter names them, ordered by {@link ImageQuery#effectiveSort()},
     * starting strictly after the marker image in that order, at most {@code limit} images.
     *
     * @param query the filters, sort and marker; its own limit is ignored
     * @param scope whose visibility rules apply
     * @param limit the page size, already resolved by the service (0 or more)
     * @throws InvalidRequestException if the query has a marker that is not an image this scope
     *     could get (Glance's 400 "marker not found")
     */
    List<Image> list(ImageQuery query, AccessScope scope, int limit);

    /**
     * Stores a new membership.
     *
     * @return the stored member
     * @throws NotFoundException if the image does not exist
     * @throws ConflictException if the project is already a member of the image
     */
    ImageMember addMember(ImageMember member);

    /** Returns one membership, or empty. */
    Optional<ImageMember> getMember(String imageId, String memberId);

    /** Returns the memberships of an image, ordered by member id; empty if none or no such image. */
    List<ImageMember> listMembers(String imageId);

    /**
     * Replaces an existing membership (status and update time).
     *
     * @return the stored member
     * @throws NotFoundException if there is no such membership
     */
    ImageMember updateMember(ImageMember member);

    /**
     * Removes a membership.
     *
     * @return whether it existed
     */
    boolean removeMember(String imageId, String memberId);
}
