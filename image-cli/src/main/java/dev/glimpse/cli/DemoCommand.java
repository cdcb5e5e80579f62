package dev.glimpse.cli;

import dev.glimpse.cli.internal.SampleImages;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.RequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse demo}: the tour a newcomer runs first. It makes a sample qcow2 (with qemu-img when
 * it is installed, else with the image-formats testing builders), inspects it, uploads it into the
 * catalogue under {@code --home}, lists it, downloads it and checks the bytes against the recorded
 * hashes, and shows a hostile image (a qcow2 with a backing file) being refused. Every step prints
 * the glimpse command it runs, so the tour doubles as a lesson. Running it again replaces the
 * previous demo image.
 */
@Command(name = "demo", description = {
    "A two-minute tour: make a sample disk image, inspect it, upload it, list it, download it and verify it,",
    "and watch a hostile image get refused. Uses the catalogue under --home (default ./glimpse-data)."})
final class DemoCommand implements Callable<Integer> {
    static final String IMAGE_NAME = "glimpse-demo";
    static final String HOSTILE_NAME = "glimpse-demo-hostile";

    @Spec CommandSpec spec;

    private int failures;

    @Override
    public Integer call() throws Exception {
        GlimpseCommand root = (GlimpseCommand) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        Path home = root.homeDirectory().toAbsolutePath().normalize();
        // Show paths as a person would type them: relative to the working directory when inside it.
        Path work = shortest(Files.createDirectories(home.resolve("demo")));
        out.println("Glimpse demo: the catalogue and its image data live in " + home);

        step(out, 1, "Make a sample disk image");
        Path sample = work.resolve("sample.qcow2");
        Path hostile = work.resolve("hostile.qcow2");
        out.println("  " + SampleImages.write(sample, hostile));

        step(out, 2, "Inspect it: format, virtual size and safety checks, reading only its headers");
        glimpse(root, out, "inspect", sample.toString());

        step(out, 3, "Upload it into the catalogue (hashed, inspected and stored in one pass)");
        removePreviousDemo(root);
        expect(0, glimpse(root, out, "image", "create", IMAGE_NAME, "--file", sample.toString(),
                "--disk-format", "qcow2", "--container-format", "bare", "--tag", "demo",
                "--property", "os_distro=cirros", "-c", "id", "-c", "status", "-c", "size", "-c", "virtual_size",
                "-c", "checksum", "-c", "os_hash_algo"));

        step(out, 4, "List the catalogue");
        expect(0, glimpse(root, out, "image", "list", "--long", "-c", "ID", "-c", "Name", "-c", "Disk Format",
                "-c", "Size", "-c", "Status", "-c", "Visibility", "-c", "Tags"));

        step(out, 5, "Download it and check the bytes against the recorded hashes");
        Path copy = work.resolve("downloaded.qcow2");
        expect(0, glimpse(root, out, "image", "save", IMAGE_NAME, "--file", copy.toString()));
        verify(root, out, sample, copy);

        step(out, 6, "A hostile image: a qcow2 whose backing file points elsewhere on the host");
        expect(1, glimpse(root, out, "image", "create", HOSTILE_NAME, "--file", hostile.toString(),
                "--disk-format", "qcow2", "--container-format", "bare"));
        out.println("  (refused before anyone could boot it, and nothing was kept)");

        out.println();
        if (failures == 0) {
            out.println("Done. The catalogue is still in " + home + "; carry on with, for example:");
        } else {
            out.println(failures + " step(s) did not go as expected; see the messages above.");
        }
        String homeOption = root.home == null ? "" : " --home " + home;
        out.println("  ./glimpse" + homeOption + " image show " + IMAGE_NAME);
        out.println("  ./glimpse" + homeOption + " image list -f json");
        out.println("  ./glimpse --help");
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    private static Path shortest(Path path) {
        Path here = Path.of("").toAbsolutePath();
        return path.startsWith(here) && !path.equals(here) ? here.relativize(path) : path;
    }

    private static void step(PrintWriter out, int number, String title) {
        out.println();
        out.println(number + ". " + title);
        out.flush();
    }

    private void expect(int expected, int actual) {
        if (expected != actual) {
            failures++;
        }
    }

    /** Runs a glimpse command in this process with the same global options, echoing it first. */
    private int glimpse(GlimpseCommand root, PrintWriter out, String... args) {
        out.println("  $ glimpse " + String.join(" ", quoted(args)));
        out.flush();
        // The nested command opens the catalogue itself; this command must not hold it meanwhile.
        root.close();
        List<String> all = new ArrayList<>(root.globalArguments());
        all.addAll(List.of(args));
        // Errors go to the tour's own output, so that a refusal reads in its place in the story.
        return Main.run(root.terminal(), Map.of(), out, out, all.toArray(String[]::new));
    }

    private static List<String> quoted(String... args) {
        List<String> shown = new ArrayList<>();
        for (String arg : args) {
            shown.add(arg.isEmpty() || arg.matches(".*[\\s'\"$].*") ? "'" + arg.replace("'", "'\\''") + "'" : arg);
        }
        return shown;
    }

    /** Deletes the images an earlier run of the demo left, so that the demo's names stay unique. */
    private static void removePreviousDemo(GlimpseCommand root) {
        ImageService service = root.session().images();
        RequestContext context = root.session().context();
        for (String name : List.of(IMAGE_NAME, HOSTILE_NAME)) {
            for (Image old : service.list(context, ImageQuery.builder().name(name).allVisibilities().build()).images()) {
                if (old.isProtected()) {
                    service.update(context, old.id(), dev.glimpse.image.ImagePatch.builder().isProtected(false).build());
                }
                service.delete(context, old.id());
            }
        }
        root.close();
    }

    private void verify(GlimpseCommand root, PrintWriter out, Path sample, Path copy) throws IOException {
        Image image = root.session().images().list(root.session().context(),
                ImageQuery.builder().name(IMAGE_NAME).build()).images().get(0);
        root.close();
        String md5 = digest("MD5", copy);
        String multihash = digest(algorithm(image.osHashAlgo().orElse("sha512")), copy);
        boolean same = Files.mismatch(sample, copy) == -1;
        boolean md5Ok = md5.equals(image.checksum().orElse(""));
        boolean hashOk = multihash.equals(image.osHashValue().orElse(""));
        out.println("  bytes identical to the sample:   " + (same ? "yes" : "NO"));
        out.println("  md5 matches checksum:            " + (md5Ok ? "yes" : "NO") + "  " + md5);
        out.println("  " + image.osHashAlgo().orElse("sha512") + " matches os_hash_value:    "
                + (hashOk ? "yes" : "NO") + "  " + multihash.substring(0, 32) + "...");
        if (!(same && md5Ok && hashOk)) {
            failures++;
        }
    }

    /** Glance's hashlib names (sha512, sha3_256) as JDK algorithm names. */
    private static String algorithm(String glanceName) {
        return switch (glanceName) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224", "sha256", "sha384", "sha512" -> "SHA-" + glanceName.substring(3);
            default -> glanceName.replace("sha3_", "SHA3-");
        };
    }

    private static String digest(String algorithm, Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
