package dev.glimpse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomStoreExampleTest {
    @TempDir Path dir;

    @Test
    void runs() throws Exception {
        String out = Examples.capture(() -> CustomStoreExample.main(new String[] {dir.toString()}));
        assertThat(out).contains("stored 34 bytes at shard://nas/").contains("bytes 2-5: tiny")
                .contains("owned by store 'nas', 34 bytes");
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }
}
