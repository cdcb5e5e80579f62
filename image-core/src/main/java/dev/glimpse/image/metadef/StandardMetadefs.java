package dev.glimpse.image.metadef;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard metadata definitions shipped with Glimpse: libvirt image properties, CPU pinning
 * and topology, watchdog, random number generator, hypervisor and VM mode, operating system,
 * vTPM, image signature verification and common image properties. They are written from the
 * documented property names and values of Nova and Glance and load with
 * {@link MetadefService#loadStandardDefinitions}.
 */
public final class StandardMetadefs {
    private static final String ROOT = "/dev/glimpse/image/metadef/standard/";
    private static final List<MetadefNamespace> NAMESPACES = load();

    private StandardMetadefs() {}

    /** The standard namespaces, public and protected, without owner or timestamps. */
    public static List<MetadefNamespace> namespaces() {
        return NAMESPACES;
    }

    private static List<MetadefNamespace> load() {
        List<MetadefNamespace> namespaces = new ArrayList<>();
        for (String file : index()) {
            try (InputStream in = open(file)) {
                namespaces.add(MetadefDocuments.read(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read standard metadef " + file, e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("standard metadef " + file + " is invalid: " + e.getMessage(), e);
            }
        }
        return List.copyOf(namespaces);
    }

    private static List<String> index() {
        List<String> files = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open("index.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    files.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the standard metadef index", e);
        }
        return files;
    }

    private static InputStream open(String name) {
        InputStream in = StandardMetadefs.class.getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IllegalStateException("standard metadef resource " + ROOT + name + " is missing from the jar");
        }
        return in;
    }
}
