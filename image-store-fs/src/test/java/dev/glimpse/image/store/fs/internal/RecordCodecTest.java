package dev.glimpse.image.store.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
}
