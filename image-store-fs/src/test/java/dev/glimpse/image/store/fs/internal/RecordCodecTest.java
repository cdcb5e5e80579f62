package dev.glimpse.image.store.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    @Test
    void fastInstantParsingAgreesWithTheJdk() {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), i % 3 == 0 ? 0
                    : i % 3 == 1 ? random.nextInt(1000) * 1_000_000L : random.nextInt(1_000_000_000));
            assertThat(RecordCodec.instant(instant.toString())).isEqualTo(instant);
        }
        for (String text : List.of("2024-02-29T23:59:59.5Z", "1970-01-01T00:00:00Z", "+12345-01-01T00:00:00Z",
                "2024-01-01T00:00:00.000000001Z")) {
            assertThat(RecordCodec.instant(text)).isEqualTo(Instant.parse(text));
        }
        for (String bad : List.of("2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
                "2024-01-01 00:00:00Z", "2024-01-01T00:60:00Z")) {
            assertThatThrownBy(() -> RecordCodec.instant(bad)).as(bad)
                    .isInstanceOf(java.time.format.DateTimeParseException.class);
        }
    }

    @Test
    void damagedOrUnknownRecordsAreErrors() {
        for (String bad : List.of("{}", "{\"t\":\"image\"}", "{\"t\":\"bogus\"}", "[1]", "{\"t\":\"purge\"}",
                "{\"t\":\"image\",\"v\":{\"id\":\"not-a-uuid\"}}")) {
            assertThatThrownBy(() -> RecordCodec.decode(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(IOException.class);
        }
    }

    private static Image fullImage() {
        Instant created = Instant.parse("1969-07-20T20:17:40.123456789Z");
        return Image.builder().id("0c2f9b6e-1c4a-4b7e-9f0a-5d6e7f8a9b0c").version(7).name("n\u00e9 \"q\"\n")
                .status(ImageStatus.ACTIVE).visibility(Visibility.COMMUNITY).isProtected(true).osHidden(true)
                .owner("proj").diskFormat(DiskFormat.QCOW2).containerFormat(ContainerFormat.OVA).size(0L)
                .virtualSize(Long.MAX_VALUE).checksum("0123456789abcdef0123456789abcdef").osHashAlgo("sha512")
                .osHashValue("ab".repeat(64)).minDisk(3).minRam(Integer.MAX_VALUE).createdAt(created)
                .updatedAt(created.plusNanos(1)).tags(List.of("b", "a", "\u20ac"))
                .locations(List.of(new ImageLocation("file:///x/y", Map.of("k", "v"), "local",
                        ImageLocation.Status.PENDING_DELETE), new ImageLocation("http://h/z", Map.of(), null,
                        ImageLocation.Status.ACTIVE)))
                .properties(Map.of("os_distro", "debian", "empty", "")).build();
    }

    @Test
    void binaryRecordsRoundTripEveryField() throws IOException {
        Image image = fullImage();
        byte[] encoded = RecordCodec.image(image);
        assertThat(encoded[0]).isNotEqualTo((byte) '{');
        RecordCodec.Record record = RecordCodec.decode(encoded);
        assertThat(record.type()).isEqualTo("image");
        assertThat(record.image()).isEqualTo(image);
        assertThat(record.image().locations()).isEqualTo(image.locations());
        assertThat(record.image().tags()).containsExactlyElementsOf(image.tags());
        Image bare = Image.builder().id("0c2f9b6e-1c4a-4b7e-9f0a-5d6e7f8a9b0d").createdAt(Instant.EPOCH)
                .updatedAt(Instant.EPOCH).build();
        assertThat(RecordCodec.decode(RecordCodec.image(bare)).image()).isEqualTo(bare);

        ImageMember member = new ImageMember(image.id(), "other", MemberStatus.ACCEPTED, Instant.EPOCH,
                Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(RecordCodec.decode(RecordCodec.member(member)).member()).isEqualTo(member);
        RecordCodec.Record purge = RecordCodec.decode(RecordCodec.purge(image.id()));
        assertThat(purge.type()).isEqualTo("purge");
        assertThat(purge.imageId()).isEqualTo(image.id());
        RecordCodec.Record unmember = RecordCodec.decode(RecordCodec.unmember(image.id(), "other"));
        assertThat(unmember.type()).isEqualTo("unmember");
        assertThat(unmember.memberId()).isEqualTo("other");
    }

    @Test
    void olderJsonRecordsAreStillRead() throws IOException {
        Image image = fullImage();
        assertThat(RecordCodec.decode(RecordCodec.imageJson(image)).image()).isEqualTo(image);
        ImageMember member = new ImageMember(image.id(), "other", MemberStatus.PENDING, Instant.EPOCH, Instant.EPOCH);
        assertThat(RecordCodec.decode(RecordCodec.memberJson(member)).member()).isEqualTo(member);
        assertThat(RecordCodec.decode(RecordCodec.purgeJson(image.id())).imageId()).isEqualTo(image.id());
        assertThat(RecordCodec.decode(RecordCodec.unmemberJson(image.id(), "m")).memberId()).isEqualTo("m");
    }

    @Test
    void damagedBinaryRecordsAreErrors() {
        byte[] good = RecordCodec.image(fullImage());
        // Every truncation, a trailing byte, an unknown kind.
        for (int length = 1; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> RecordCodec.decode(cut)).as("cut at %d", length).isInstanceOf(IOException.class);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> RecordCodec.decode(longer)).isInstanceOf(IOException.class)
                .hasMessageContaining("after its end");
        byte[] kind = good.clone();
        kind[0] = 9;
        assertThatThrownBy(() -> RecordCodec.decode(kind)).isInstanceOf(IOException.class)
                .hasMessageContaining("kind 9");
        // A flipped byte anywhere either fails to decode or decodes to a different, valid image.
        Random random = new Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] flipped = good.clone();
            flipped[1 + random.nextInt(good.length - 1)] ^= (byte) (1 + random.nextInt(255));
            try {
                assertThat(RecordCodec.decode(flipped).image()).isNotEqualTo(fullImage());
            } catch (IOException expected) {
                // damage detected
            }
        }
    }
}
