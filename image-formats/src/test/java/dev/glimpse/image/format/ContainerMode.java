package dev.glimpse.image.format;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The ways a test hands a container to {@link FormatInspector#validate}: as a file, or as streams of every shape. */
enum ContainerMode {
    /** A file on disk: the seekable path. */
    FILE,
    /** A stream with generous reads. */
    STREAM,
    /** A stream returning one byte per read and skipping nothing: the pathological case. */
    TRICKLE;

    ContainerInspection validate(FormatInspector inspector, Path dir, byte[] data, ContainerFormat format)
            throws IOException {
        return switch (this) {
            case FILE -> {
                Path file = Files.createTempFile(dir, "container", ".bin");
                Files.write(file, data);
                yield inspector.validate(file, format);
            }
            case STREAM -> inspector.validate(new ByteArrayInputStream(data), format);
            case TRICKLE -> inspector.validate(trickle(new ByteArrayInputStream(data)), format);
        };
    }

    static InputStream trickle(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : super.read(b, off, 1);
            }

            @Override
            public long skip(long n) {
                return 0;
            }

            @Override
            public int available() {
                return 0;
            }
        };
    }
}
