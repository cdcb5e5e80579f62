package dev.glimpse.image;

import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.internal.JsonPatchParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An ordered list of changes to one image with the semantics of Glance's JSON-patch update
 * ({@code PATCH /v2/images/{id}}, media type {@code application/openstack-images-v2.1-json-patch}).
 *
 * <p>Each {@link Operation} targets one attribute (e.g. {@code name}, {@code min_disk},
 * {@code tags}) or one extra property by name. {@code add} sets (and overwrites), {@code replace}
 * requires the target to exist, {@code remove} deletes an extra property. The service applies all
 * operations or none: replace or remove of a missing property is a {@link ConflictException},
 * remove of a base attribute and any write to a read-only or reserved name is a
 * {@link ForbiddenException}, a badly typed value is an {@link InvalidRequestException}.
 *
 * <p>Immutable. Build one with {@link #builder()} (typed helpers for the common attributes) or parse
 * one with {@link #parseJsonPatch(String)}.
 */
public final class ImagePatch {

    /** The three operations Glance accepts (no move, copy or test). */
    public enum Op {
        /** Set the target, creating an extra property if needed. */
        ADD("add"),
        /** Set the target, which must exist. */
        REPLACE("replace"),
        /** Remove an extra property, which must exist. */
        REMOVE("remove");

        private final String wireName;

        Op(String wireName) {
            this.wireName = wireName;
        }

        /** Returns the JSON-patch name, e.g. {@code "add"}. */
        public String wireName() {
            return wireName;
        }
    }

    /**
     * One change.
     *
     * @param op what to do
     * @param name the attribute or extra-property name, already decoded from its JSON pointer
     *     (e.g. {@code "min_disk"} for {@code "/min_disk"})
     * @param value the new value for add/replace, as a JSON value mapped to Java: {@code String},
     *     {@code Boolean}, {@code Long}/{@code Integer}/{@code BigInteger}, {@code List} or null; enums
     *     of this library are accepted too. Always null for remove.
     */
    public record Operation(Op op, String name, @Nullable Object value) {
        /** Validates the operation's shape (not its value: that is checked against the image). */
        public Operation {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new InvalidRequestException("patch path must name an attribute");
            }
            if (op == Op.REMOVE && value != null) {
                throw new InvalidRequestException("remove takes no value (path /" + name + ")");
            }
        }
    }

    private final List<Operation> operations;

    private ImagePatch(List<Operation> operations) {
        this.operations = List.copyOf(operations);
    }

    /** Returns a patch of the given operations, in order. */
    public static ImagePatch of(List<Operation> operations) {
        return new ImagePatch(Objects.requireNonNull(operations, "operations"));
    }

    /** Returns an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses a Glance JSON-patch document, media type
     * {@code application/openstack-images-v2.1-json-patch}: a JSON array of
     * {@code {"op": "add"|"replace"|"remove", "path": "/name", "value": ...}} objects.
     *
     * @throws InvalidRequestException if the document is not such an array, an op is unknown, a path
     *     is not a depth-1 JSON pointer, or a value is missing
     */
    public static ImagePatch parseJsonPatch(String json) {
        return JsonPatchParser.parse(Objects.requireNonNull(json, "json"), JsonPatchParser.Dialect.V2_1);
    }

    /** The operations, in the order they apply. */
    public List<Operation> operations() {
        return operations;
    }

    /** Whether there is nothing to apply. */
    public boolean isEmpty() {
        return operations.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePatch && ((ImagePatch) o).operations.equals(operations);
    }

    @Override
    public int hashCode() {
        return operations.hashCode();
    }

    @Override
    public String toString() {
        return "ImagePatch" + operations;
    }

    /** Builds an {@link ImagePatch}. Not thread-safe. */
    public static final class Builder {
        private final List<Operation> operations = new ArrayList<>();

        private Builder() {}

        /** Appends {@code add} of a value to an attribute or extra property. */
        public Builder add(String name, @Nullable Object value) {
            operations.add(new Operation(Op.ADD, name, value));
            return this;
        }

        /** Appends {@code replace} of an existing attribute or extra property. */
        public Builder replace(String name, @Nullable Object value) {
            operations.add(new Operation(Op.REPLACE, name, value));
            return this;
        }

        /** Appends {@code remove} of an extra property. */
        public Builder remove(String name) {
            operations.add(new Operation(Op.REMOVE, name, null));
            return this;
        }

        /** Sets the name ({@code replace /name}). */
        public Builder name(@Nullable String name) {
            return replace("name", name);
        }

        /** Sets the visibility. */
        public Builder visibility(Visibility visibility) {
            return replace("visibility", visibility.wireName());
        }

        /** Sets {@code protected}. */
        public Builder isProtected(boolean isProtected) {
            return replace("protected", isProtected);
        }

        /** Sets {@code os_hidden}. */
        public Builder osHidden(boolean osHidden) {
            return replace("os_hidden", osHidden);
        }

        /** Sets {@code min_disk}. */
        public Builder minDisk(int minDisk) {
            return replace("min_disk", (long) minDisk);
        }

        /** Sets {@code min_ram}. */
        public Builder minRam(int minRam) {
            return replace("min_ram", (long) minRam);
        }

        /** Sets the disk format (allowed only while the image is queued or importing). */
        public Builder diskFormat(@Nullable DiskFormat format) {
            return replace("disk_format", format == null ? null : format.wireName());
        }

        /** Sets the container format (allowed only while the image is queued or importing). */
        public Builder containerFormat(@Nullable ContainerFormat format) {
            return replace("container_format", format == null ? null : format.wireName());
        }

        /** Sets the owner (administrators only). */
        public Builder owner(@Nullable String owner) {
            return replace("owner", owner);
        }

        /** Replaces the whole tag set. */
        public Builder tags(Collection<String> tags) {
            return replace("tags", List.copyOf(tags));
        }

        /** Sets an extra property, creating or overwriting it ({@code add}). */
        public Builder property(String key, String value) {
            return add(key, Objects.requireNonNull(value, "value"));
        }

        /** Removes an extra property, which must exist. */
        public Builder removeProperty(String key) {
            return remove(key);
        }

        /** Builds the patch. */
        public ImagePatch build() {
            return new ImagePatch(operations);
        }
    }
}
