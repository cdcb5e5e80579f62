package dev.glimpse.image;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list.
 *
 * @param images the images, in the query's order
 * @param nextMarker the marker for the next page: the last image's id when the page is full (as
 *     Glance's {@code next} link), else null
 */
public record ImagePage(List<Image> images, @Nullable String nextMarker) {
    /** Copies the list. */
    public ImagePage {
        images = List.copyOf(Objects.requireNonNull(images, "images"));
    }

    /** The marker for the next page, or empty on the last page. */
    public Optional<String> next() {
        return Optional.ofNullable(nextMarker);
    }
}
