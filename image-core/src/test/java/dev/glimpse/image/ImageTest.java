package dev.glimpse.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageTest {
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    private static Image.Builder valid() {
        return Image.builder().id("1BEA47ED-f6a9-463b-b423-14b9cca9ad27").createdAt(T).updatedAt(T);
    }

    @Test
    void defaultsAreGlances() {
        Image image = valid().build();
        assertThat(image.status()).isEqualTo(ImageStatus.QUEUED);
        assertThat(image.visibility()).isEqualTo(Visibility.SHARED);
        assertThat(image.tags()).isEmpty();
        assertThat(image.properties()).isEmpty();
        assertThat(image.locations()).isEmpty();
        assertThat(image.directUrl()).isEmpty();
        assertThat(image.stores()).isEmpty();
        assertThat(image.version()).isZero();
    }

    @Test
    void toBuilderCopiesEveryField() {
        Image image = valid().name("n").owner("o").isProtected(true).osHidden(true).size(1L).virtualSize(2L)
                .checksum("c").osHashAlgo("sha512").osHashValue("h").minDisk(3).minRam(4).tags(List.of("t"))
                .locations(List.of(ImageLocation.of("file:///a", "s1"))).property("k", "v").version(7).build();
        assertThat(image.toBuilder().build()).isEqualTo(image);
        assertThat(image.toBuilder().name("m").build()).isNotEqualTo(image);
        assertThat(image.toBuilder().version(8).build()).isNotEqualTo(image);
    }

    @Test
    void idMustBeAUuid() {
        for (String bad : List.of("", "x", "1bea47ed-f6a9-463b-b423-14b9cca9ad2", "1bea47ed-f6a9-463b-b423-14b9cca9ad27a",
                "1bea47edxf6a9-463b-b423-14b9cca9ad27", "gbea47ed-f6a9-463b-b423-14b9cca9ad27")) {
            assertThatThrownBy(() -> valid().id(bad).build()).as(bad).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void lengthsFollowGlance() {
        assertThat(valid().name("n".repeat(255)).build().name()).hasValue("n".repeat(255));
        assertThatThrownBy(() -> valid().name("n".repeat(256)).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().owner("o".repeat(256)).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().checksum("c".repeat(33)).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().osHashAlgo("a".repeat(65)).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().osHashValue("h".repeat(129)).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().addTag("t".repeat(256)).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().property("k".repeat(256), "v").build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().property("", "v").build()).isInstanceOf(InvalidRequestException.class);
        assertThat(valid().property("k", "v".repeat(100_000)).build().properties()).hasSize(1);
    }

    @Test
    void fourByteUtf8IsRefusedEverywhere() {
        String emoji = "\uD83D\uDE00";
        assertThatThrownBy(() -> valid().name(emoji).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().addTag(emoji).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().property(emoji, "v").build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().property("k", "a" + emoji).build()).isInstanceOf(InvalidRequestException.class);
        assertThat(valid().name("caf\u00e9 \u65e5\u672c").build().name()).hasValue("caf\u00e9 \u65e5\u672c");
    }

    @Test
    void numbersAreNonNegative() {
        assertThatThrownBy(() -> valid().size(-1L).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().virtualSize(-1L).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().minDisk(-1).build()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> valid().minRam(Integer.MIN_VALUE).build()).isInstanceOf(InvalidRequestException.class);
        assertThat(valid().minRam(Integer.MAX_VALUE).build().minRam()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void collectionsAreImmutableCopies() {
        java.util.ArrayList<String> tags = new java.util.ArrayList<>(List.of("a"));
        Image image = valid().tags(tags).build();
        tags.add("b");
        assertThat(image.tags()).containsExactly("a");
        assertThatThrownBy(() -> image.tags().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> image.properties().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> image.locations().add(ImageLocation.of("x", null))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void directUrlAndStoresComeFromActiveLocations() {
        Image image = valid().locations(List.of(
                ImageLocation.of("file:///gone", "old").withStatus(ImageLocation.Status.PENDING_DELETE),
                ImageLocation.of("file:///a", "s1"), new ImageLocation("s3://b", Map.of(), "s2", ImageLocation.Status.ACTIVE),
                ImageLocation.of("file:///c", "s1"))).build();
        assertThat(image.directUrl()).hasValue("file:///a");
        assertThat(image.stores()).containsExactly("s1", "s2");
    }
}
