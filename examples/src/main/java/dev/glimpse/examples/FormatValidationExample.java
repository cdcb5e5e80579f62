package dev.glimpse.examples;

import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.FormatInspector;
import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.Inspection;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Example: format validation alone, as a host application without a catalogue uses it: before it
 * accepts a disk image from a user, it checks that the file is the format the user declared and
 * carries nothing dangerous (a backing file, an external data file, a second format hidden inside).
 * Its test is the point: a plain JUnit test of the host's rule, fed by the {@code testing} fixtures
 * ({@code dev.glimpse.image.format.testing.TestImages}) instead of checked-in binaries.
 *
 * <p>Run: {@code java dev.glimpse.examples.FormatValidationExample FILE FORMAT}.
 */
public final class FormatValidationExample {
    private FormatValidationExample() {}

    /**
     * The host's rule: accept {@code file} only if it is {@code declared} and safe. Only the
     * headers and tables the format needs are read, so a huge image costs what a small one does.
     *
     * @return what the image is, for the host to record (virtual size, details)
     * @throws ImageFormatException naming the broken rule when the file must be refused
     */
    public static Inspection accept(Path file, DiskFormat declared) throws IOException {
        return FormatInspector.defaults().validate(file, declared);
    }

    /** Validates one file and prints the verdict; exits 1 when it is refused. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: FormatValidationExample FILE FORMAT   (FORMAT: qcow2, raw, vmdk, ...)");
            System.exit(2);
        }
        try {
            Inspection inspection = accept(Path.of(args[0]), DiskFormat.fromWireName(args[1]));
            System.out.println("accepted: " + inspection.format() + ", virtual size "
                    + inspection.virtualSize().orElse(inspection.actualSize()) + " bytes");
        } catch (ImageFormatException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(1);
        }
    }
}
