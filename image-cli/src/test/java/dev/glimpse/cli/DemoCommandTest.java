package dev.glimpse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir Path home;

    @Test
    void tourRunsEveryStepAndCanBeRepeated() {
        Cli cli = new Cli(home);
        Cli.Result first = cli.run("demo");
        assertThat(first.status()).as(first.out() + first.err()).isZero();
        assertThat(first.out())
                .contains("1. Make a sample disk image")
                .contains("$ glimpse inspect ")
                .contains("$ glimpse image create glimpse-demo --file ")
                .contains("| status       | active ")
                .contains("bytes identical to the sample:   yes")
                .contains("md5 matches checksum:            yes")
                .contains("sha512 matches os_hash_value:    yes")
                .contains("glimpse: image refused: ").contains("backing")
                .contains("Done.");
        assertThat(first.err()).isEmpty();

        Cli.Result second = cli.run("demo");
        assertThat(second.status()).as(second.out()).isZero();
        assertThat(cli.run("image", "list", "--all", "-f", "value", "-c", "name").out()).isEqualTo("glimpse-demo\n");
    }
}
