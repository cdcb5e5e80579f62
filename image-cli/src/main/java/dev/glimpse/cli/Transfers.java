package dev.glimpse.cli;

import dev.glimpse.cli.internal.Session;
import dev.glimpse.cli.internal.Terminal;
import dev.glimpse.image.Image;
import dev.glimpse.image.ImageData;
import dev.glimpse.image.ImageException;
import dev.glimpse.image.ImageService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Uploads and downloads with a progress bar for people watching, and nothing extra for scripts. */
final class Transfers {
    private Transfers() {}

    /**
     * Uploads {@code file} as the data of the just-created {@code image}. When the upload is refused
     * (format mismatch, unsafe image, quota), the image record is deleted too, so that a failed
     * {@code image create} leaves nothing behind; the upload's error is rethrown.
     *
     * @return the image, now active
     */
    static Image upload(Session session, Terminal terminal, Image image, Path file) throws IOException {
        ImageService service = session.images();
        try (InputStream in = terminal.track(Files.newInputStream(file), "Uploading", Files.size(file))) {
            return service.upload(session.context(), image.id(), in);
        } catch (IOException | RuntimeException e) {
            try {
                service.delete(session.context(), image.id());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Copies the data of {@code image} to {@code sink}, which the caller closes. The service's
     * stream checks the recorded hash as it is read and fails at the end on a mismatch, so a
     * download that returns normally has the image's exact bytes.
     */
    static void download(Session session, Terminal terminal, Image image, OutputStream sink) throws IOException {
        ImageService service = session.images();
        try (ImageData data = service.download(session.context(), image.id())
                .orElseThrow(() -> new ImageException("image " + image.id() + " has no data to download (status "
                        + image.status().wireName() + "); upload it with 'glimpse image create --file'"));
                InputStream in = terminal.track(data.stream(), "Downloading", data.length())) {
            in.transferTo(sink);
        }
        sink.flush();
    }
}
