package dev.glimpse.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharingExampleTest {
    @Test
    void runsTheStoryAsGlanceWould() throws Exception {
        String out = Examples.capture(() -> SharingExample.main(new String[0]));
        assertThat(out.lines()).containsExactly(
                "alice created golden-ubuntu, visible to bob: false",
                "shared with bob, pending; in bob's list: false, in bob's pending list: [golden-ubuntu]",
                "bob accepted; in bob's list: true",
                out.lines().filter(l -> l.startsWith("bob may not delete it: ")).findFirst().orElse("missing delete refusal"),
                out.lines().filter(l -> l.startsWith("alice may not answer for bob: ")).findFirst()
                        .orElse("missing member refusal"),
                out.lines().filter(l -> l.startsWith("alice removed bob; for bob the image no longer exists: ")).findFirst()
                        .orElse("missing not-found"));
    }
}
