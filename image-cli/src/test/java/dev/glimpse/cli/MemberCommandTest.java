package dev.glimpse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two projects sharing an image through members, from the shell, under the default policy. */
class MemberCommandTest {
    @TempDir Path home;

    @Test
    void ownerSharesMemberAcceptsAndOwnerRevokes() {
        Cli alice = new Cli(home, "--project", "alice", "--user", "alice", "--roles", "member,reader");
        Cli bob = new Cli(home, "--project", "bob", "--user", "bob", "--roles", "member,reader");

        Cli.Result created = alice.run("image", "create", "golden", "--disk-format", "raw", "-f", "value", "-c", "id");
        assertThat(created.status()).as(created.err()).isZero();
        String id = created.out().trim();

        assertThat(bob.run("image", "show", id).status()).isEqualTo(1);
        Cli.Result shared = alice.run("image", "member", "create", id, "bob");
        assertThat(shared.status()).as(shared.err()).isZero();
        assertThat(shared.out()).contains("| Image ID ").contains("| bob ").contains("pending");

        // Pending: not in bob's list until bob accepts it.
        assertThat(bob.run("image", "list", "-f", "value", "-c", "id").out()).doesNotContain(id);
        assertThat(bob.run("image", "list", "--member-status", "pending", "-f", "value", "-c", "id").out()).contains(id);
        Cli.Result accepted = bob.run("image", "member", "set", "golden", "--accept", "-f", "value", "-c", "status");
        assertThat(accepted.status()).as(accepted.err()).isZero();
        assertThat(accepted.out()).isEqualTo("accepted\n");
        assertThat(bob.run("image", "list", "-f", "value", "-c", "id").out()).contains(id);

        // Only the member answers for itself; the owner may not accept for bob.
        assertThat(alice.run("image", "member", "set", id, "bob", "--reject").status()).isEqualTo(1);
        // The member may not delete or change the owner's image.
        Cli.Result delete = bob.run("image", "delete", id);
        assertThat(delete.status()).isEqualTo(1);
        assertThat(delete.err()).startsWith("glimpse: ");

        assertThat(alice.run("image", "member", "list", id, "-f", "value").out()).isEqualTo(id + " bob accepted\n");
        assertThat(alice.run("image", "member", "delete", id, "bob").status()).isZero();
        assertThat(bob.run("image", "show", id).status()).isEqualTo(1);
        assertThat(alice.run("image", "member", "list", id, "-f", "value").out()).isEmpty();
    }

    @Test
    void openStackClientSpellingsWork() {
        Cli admin = new Cli(home);
        String id = admin.run("image", "create", "x", "--disk-format", "raw", "-f", "value", "-c", "id").out().trim();
        assertThat(admin.run("image", "add", "project", id, "p2").status()).isZero();
        assertThat(admin.run("image", "member", "show", id, "p2", "-f", "value", "-c", "status").out()).isEqualTo("pending\n");
        assertThat(admin.run("image", "remove", "project", id, "p2").status()).isZero();
        assertThat(admin.run("image", "member", "list", id, "-f", "value").out()).isEmpty();
    }

    @Test
    void onlySharedImagesHaveMembers() {
        Cli admin = new Cli(home);
        String id = admin.run("image", "create", "mine", "--private", "--disk-format", "raw", "-f", "value", "-c", "id")
                .out().trim();
        Cli.Result refused = admin.run("image", "member", "create", id, "p2");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).startsWith("glimpse: not allowed: ");
        Cli.Result noAnswer = admin.run("image", "member", "set", id);
        assertThat(noAnswer.status()).isEqualTo(2);
    }
}
