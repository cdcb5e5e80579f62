package dev.glimpse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps README.md's Java snippet identical to the code of {@link EmbeddingExample} that the tests run. */
class ReadmeTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void embeddingSnippetIsTheExampleCode() throws Exception {
        String source = Files.readString(ROOT.resolve("examples/src/main/java/dev/glimpse/examples/EmbeddingExample.java"));
        String marked = source.substring(source.indexOf("// README:begin\n") + "// README:begin\n".length(),
                source.indexOf("        // README:end"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("EmbeddingExample")) + "```java\n".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));
        assertThat(snippet).as("README.md's Java snippet; copy it from EmbeddingExample between the README markers")
                .isEqualTo(dedent(marked));
    }

    @Test
    void configurationSampleLoadsWithoutWarnings() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("```ini\n") + "```ini\n".length();
        Path sample = Files.writeString(Files.createTempFile("glimpse", ".conf"), readme.substring(start, readme.indexOf("```", start)));
        try {
            dev.glimpse.image.config.GlimpseConfig config = dev.glimpse.image.config.GlimpseConfig.load(sample);
            assertThat(config.warnings()).isEmpty();
            assertThat(config.hashingAlgorithm()).isEqualTo("sha512");
            assertThat(config.imageSizeCap()).isEqualTo(1L << 40);
            assertThat(config.diskFormats()).contains("qcow2", "ploop");
        } finally {
            Files.delete(sample);
        }
    }

    private static String dedent(String code) {
        List<String> lines = code.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n", "", "\n"));
    }
}
