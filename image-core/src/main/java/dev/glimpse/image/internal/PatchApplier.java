package dev.glimpse.image.internal;

import dev.glimpse.image.ConflictException;
import dev.glimpse.image.ForbiddenException;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImagePatch;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Applies an {@link ImagePatch} to an image with Glance's PATCH rules ({@code ImagesController.update}),
 * all operations or none.
 */
final class PatchApplier {
    private final Set<DiskFormat> allowedDiskFormats;
    private final Set<ContainerFormat> allowedContainerFormats;

    PatchApplier(Set<DiskFormat> allowedDiskFormats, Set<ContainerFormat> allowedContainerFormats) {
        this.allowedDiskFormats = allowedDiskFormats;
        this.allowedContainerFormats = allowedContainerFormats;
    }

    /**
     * Returns the patched image (same version as {@code image}, update time {@code now}).
     *
     * @throws ForbiddenException for read-only, reserved or base-attribute removal, format changes
     *     after upload, owner changes by non-administrators, location changes
     * @throws ConflictException for replace or remove of a missing extra property
     * @throws InvalidRequestException for a badly typed or out-of-range value
     */
    Image apply(Image image, ImagePatch patch, RequestContext context, Instant now) {
        Image.Builder b = image.toBuilder().updatedAt(now);
        // Track properties separately: replace/remove must see the effect of earlier operations.
        Map<String, String> props = new TreeMap<>(image.properties());
        for (ImagePatch.Operation op : patch.operations()) {
            String name = op.name();
            if (AttributeNames.isReserved(name)) {
                throw new ForbiddenException("attribute '" + name + "' is reserved");
            }
            if (AttributeNames.READ_ONLY.contains(name)) {
                throw new ForbiddenException("attribute '" + name + "' is read-only");
            }
            if (name.equals("locations")) {
                throw new ForbiddenException("image locations cannot be changed through a patch"
                        + " (multiple locations are not enabled)");
            }
            if (AttributeNames.BASE.contains(name)) {
                if (op.op() == ImagePatch.Op.REMOVE) {
                    throw new ForbiddenException("attribute '" + name + "' is a base attribute and cannot be removed");
                }
                setAttribute(b, image, name, op.value(), context);
            } else {
                applyProperty(props, op);
            }
        }
        b.properties(props);
        return b.build();
    }

    private void applyProperty(Map<String, String> props, ImagePatch.Operation op) {
        String name = op.name();
        switch (op.op()) {
            case REMOVE:
                if (props.remove(name) == null) {
                    throw new ConflictException("cannot remove property '" + name + "': the image has no such property");
                }
                return;
            case REPLACE:
                if (!props.containsKey(name)) {
                    throw new ConflictException("cannot replace property '" + name + "': the image has no such property");
                }
                props.put(name, propertyValue(name, op.value()));
                return;
            case ADD:
                props.put(name, propertyValue(name, op.value()));
                return;
            default:
                throw new AssertionError(op.op());
        }
    }

    private static String propertyValue(String name, @Nullable Object value) {
        if (value == null) {
            // Glance's schema filter serialises a null extra property as "".
            return "";
        }
        if (!(value instanceof String)) {
            throw new InvalidRequestException("property '" + name + "' must be a string, was " + describe(value));
        }
        return (String) value;
    }

    private void setAttribute(Image.Builder b, Image image, String name, @Nullable Object value, RequestContext context) {
        switch (name) {
            case "name":
                b.name(nullableString(name, value));
                return;
            case "visibility":
                try {
                    b.visibility(Visibility.fromWireName(string(name, value)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException(e.getMessage(), e);
                }
                return;
            case "protected":
                b.isProtected(bool(name, value));
                return;
            case "os_hidden":
                b.osHidden(bool(name, value));
                return;
            case "min_disk":
                b.minDisk(intRange(name, value));
                return;
            case "min_ram":
                b.minRam(intRange(name, value));
                return;
            case "disk_format": {
                checkFormatsMutable(image, name);
                String wire = nullableString(name, value);
                b.diskFormat(wire == null ? null : diskFormat(wire));
                return;
            }
            case "container_format": {
                checkFormatsMutable(image, name);
                String wire = nullableString(name, value);
                b.containerFormat(wire == null ? null : containerFormat(wire));
                return;
            }
            case "owner":
                if (!context.isAdmin()) {
                    throw new ForbiddenException("only administrators may change the owner of an image");
                }
                b.owner(nullableString(name, value));
                return;
            case "tags":
                b.tags(tags(value));
                return;
            default:
                throw new ForbiddenException("attribute '" + name + "' cannot be changed");
        }
    }

    private static void checkFormatsMutable(Image image, String name) {
        if (!image.status().formatsMutable()) {
            throw new ForbiddenException(name + " can only change while the image is queued or importing;"
                    + " image " + image.id() + " is " + image.status());
        }
    }

    DiskFormat diskFormat(String wire) {
        DiskFormat format;
        try {
            format = DiskFormat.fromWireName(wire);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        if (!allowedDiskFormats.contains(format)) {
            throw new InvalidRequestException("disk format '" + wire + "' is not allowed here; allowed: " + allowedDiskFormats);
        }
        return format;
    }

    ContainerFormat containerFormat(String wire) {
        ContainerFormat format;
        try {
            format = ContainerFormat.fromWireName(wire);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
        if (!allowedContainerFormats.contains(format)) {
            throw new InvalidRequestException("container format '" + wire + "' is not allowed here; allowed: "
                    + allowedContainerFormats);
        }
        return format;
    }

    private static List<String> tags(@Nullable Object value) {
        if (!(value instanceof List)) {
            throw new InvalidRequestException("tags must be a list of strings, was " + describe(value));
        }
        List<String> tags = new ArrayList<>();
        for (Object t : (List<?>) value) {
            if (!(t instanceof String)) {
                throw new InvalidRequestException("tags must be strings, found " + describe(t));
            }
            tags.add((String) t);
        }
        return tags;
    }

    private static @Nullable String nullableString(String name, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        return string(name, value);
    }

    private static String string(String name, @Nullable Object value) {
        if (!(value instanceof String)) {
            throw new InvalidRequestException(name + " must be a string, was " + describe(value));
        }
        return (String) value;
    }

    private static boolean bool(String name, @Nullable Object value) {
        if (!(value instanceof Boolean)) {
            throw new InvalidRequestException(name + " must be true or false, was " + describe(value));
        }
        return (Boolean) value;
    }

    private static int intRange(String name, @Nullable Object value) {
        BigInteger v;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            v = BigInteger.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger) {
            v = (BigInteger) value;
        } else {
            throw new InvalidRequestException(name + " must be an integer, was " + describe(value));
        }
        if (v.signum() < 0 || v.compareTo(BigInteger.valueOf(Image.MAX_MIN_VALUE)) > 0) {
            throw new InvalidRequestException(name + " must be between 0 and " + Image.MAX_MIN_VALUE + ", was " + v);
        }
        return v.intValue();
    }

    private static String describe(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "the string \"" + value + "\"";
        }
        return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }
}
