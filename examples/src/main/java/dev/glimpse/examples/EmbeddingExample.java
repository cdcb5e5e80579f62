package dev.glimpse.examples;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.format.testing.TestImages;
import dev.glimpse.image.store.ImageStoreRegistry;
import dev.glimpse.image.store.fs.FileImageRepository;
import dev.glimpse.image.store.fs.FilesystemImageStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Example: an image catalogue embedded in an application. The catalogue and the image files live
 * in one directory and survive restarts; an image is uploaded (hashed, inspected and stored in one
 * pass), found by a property, and downloaded with its hash checked as it is read. README.md shows
 * the part between the {@code README} markers, and a test keeps the two the same.
 *
 * <p>Run: {@code java dev.glimpse.examples.EmbeddingExample [DIRECTORY]}.
 */
public final class EmbeddingExample {
    private EmbeddingExample() {}

    /** Builds the catalogue on a directory, uploads a small qcow2, lists it, downloads it and compares. */
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("glimpse-embedded");
        byte[] qcow2 = TestImages.qcow2(64L << 20); // any disk image; here a small valid qcow2
        // README:begin
        try (FileImageRepository catalogue = FileImageRepository.open(dir.resolve("catalogue"));
             ImageStoreRegistry stores = ImageStoreRegistry.of(
                     FilesystemImageStore.builder("file").dataDirectory(dir.resolve("images")).build())) {
            ImageService images = ImageService.builder().repository(catalogue).stores(stores).build();
            RequestContext alice = RequestContext.member("project-a", "alice");

            Image image = images.create(alice, NewImage.builder().name("cirros")
                    .diskFormat(DiskFormat.QCOW2).containerFormat(ContainerFormat.BARE)
                    .property("os_distro", "cirros").build());
            try (InputStream data = new ByteArrayInputStream(qcow2)) { // or Files.newInputStream(path)
                image = images.upload(alice, image.id(), data);     // refused if not a safe qcow2
            }
            System.out.println(image.status() + " " + image.size().orElseThrow() + " bytes, virtual "
                    + image.virtualSize().orElseThrow() + ", md5 " + image.checksum().orElseThrow());

            for (Image found : images.list(alice, ImageQuery.builder().property("os_distro", "cirros").build()).images()) {
                System.out.println("listed " + found.id() + " " + found.name().orElse(""));
            }
            try (ImageData download = images.download(alice, image.id()).orElseThrow()) {
                byte[] bytes = download.stream().readAllBytes(); // checked against os_hash_value as read
                System.out.println("downloaded " + bytes.length + " bytes, identical: " + Arrays.equals(bytes, qcow2));
            }
        }
        // README:end
    }
}
