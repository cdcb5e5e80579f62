package dev.glimpse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingExampleTest {
    @TempDir Path dir;

    @Test
    void uploadsListsAndDownloadsTheSameBytes() throws Exception {
        String out = Examples.capture(() -> EmbeddingExample.main(new String[] {dir.toString()}));
        assertThat(out).containsPattern("active \\d+ bytes, virtual 67108864, md5 [0-9a-f]{32}")
                .containsPattern("listed [0-9a-f-]{36} cirros")
                .contains("identical: true");
    }

    @Test
    void theCatalogueSurvivesARestart() throws Exception {
        Examples.capture(() -> EmbeddingExample.main(new String[] {dir.toString()}));
        String second = Examples.capture(() -> EmbeddingExample.main(new String[] {dir.toString()}));
        // The second run lists its own image and the one the first run left.
        assertThat(second.lines().filter(line -> line.startsWith("listed "))).hasSize(2);
    }
}
