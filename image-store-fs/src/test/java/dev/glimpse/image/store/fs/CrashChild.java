package dev.glimpse.image.store.fs;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageService;
import dev.glimpse.image.NewImage;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import dev.glimpse.image.store.ImageStoreRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The process {@link CrashTest} kills: loops over uploads and catalogue writes on a real catalogue
 * and store, printing each change once its call has returned (and so must survive a kill).
 * Compacts often, so that kills also land during compaction.
 */
public final class CrashChild {
    static final RequestContext OWNER = RequestContext.member("crash-project", "crash");

    private CrashChild() {}

    /** The data uploaded to an image: a pure function of its id, so the parent can check it. */
    static byte[] dataFor(String id) {
        Random random = new Random(id.hashCode());
        byte[] data = new byte[64 * 1024 + random.nextInt(2 * 1024 * 1024)];
        random.nextBytes(data);
        data[0] = 0x11; // no format signature: a raw image
        return data;
    }

    /** Arguments: the root directory; the random seed. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        FilesystemImageStore store = FilesystemImageStore.builder("local").dataDirectory(root.resolve("images")).build();
        FileImageRepository repository = FileImageRepository.open(root.resolve("catalogue"), 256 * 1024);
        ImageService service = ImageService.builder().repository(repository).stores(ImageStoreRegistry.of(store))
                .build();
        System.out.println("READY " + ProcessHandle.current().pid());
        List<String> active = new ArrayList<>();
        for (long n = 0; ; n++) {
            Image image = service.create(OWNER, NewImage.builder().name("img-" + n).diskFormat(DiskFormat.RAW)
                    .containerFormat(ContainerFormat.BARE).build());
            System.out.println("CREATED " + image.id());
            int action = random.nextInt(10);
            if (action < 6) {
                Image uploaded = service.upload(OWNER, image.id(), new ByteArrayInputStream(dataFor(image.id())));
                System.out.println("UPLOADED " + image.id() + " " + uploaded.osHashValue().orElseThrow());
                active.add(image.id());
            } else if (action < 9) {
                String tag = "tag-" + n;
                service.addTag(OWNER, image.id(), tag);
                System.out.println("TAGGED " + image.id() + " " + tag);
            }
            if (!active.isEmpty() && random.nextInt(8) == 0) {
                String victim = active.remove(random.nextInt(active.size()));
                service.delete(OWNER, victim);
                System.out.println("DELETED " + victim);
            }
        }
    }
}
