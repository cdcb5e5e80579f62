package dev.glimpse.image.format.internal.container;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.InspectionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a tar archive once, front to back, and hands each member to a {@link Handler} after
 * checking the rules every Glimpse container shares: member names relative and free of
 * {@code ..}, no duplicate names, no devices or FIFOs, at most
 * {@link InspectionLimits#maxTableEntries()} members, bounded header data, and nothing but zeros
 * after the end-of-archive marker (an appended image would otherwise ride along unseen).
 *
 * <p>Memory stays bounded whatever the archive size: member data is passed through in chunks.
 */
final class TarWalker {
    private static final int CHUNK = 64 * 1024;
    private static final int HEADER_SLACK = 64 * 512;

    /** The kind of a member, after the shared rules have refused devices and FIFOs. */
    enum Kind { FILE, DIRECTORY, SYMLINK, HARDLINK }

    /** One member as the handler sees it. Its data can be read only during the handler call. */
    static final class Member {
        private final TarArchiveInputStream tar;
        private final String container;
        final String name;
        final Kind kind;
        final String linkTarget;
        final long size;
        /** Where the member's data starts in the archive. */
        final long dataOffset;

        private Member(TarArchiveInputStream tar, String container, String name, Kind kind, String linkTarget,
                long size, long dataOffset) {
            this.tar = tar;
            this.container = container;
            this.name = name;
            this.kind = kind;
            this.linkTarget = linkTarget;
            this.size = size;
            this.dataOffset = dataOffset;
        }

        /** Reads the next chunk of the member's data; -1 at its end. */
        int read(byte[] buffer) throws IOException {
            try {
                return tar.read(buffer, 0, buffer.length);
            } catch (SourceIOException | ImageFormatException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new ImageFormatException(container + ": member '" + name + "' cannot be read (" + size
                        + " bytes in its header): " + e.getMessage(), e);
            }
        }

        /**
         * Reads the whole member into memory, refusing it when it is larger than {@code max} bytes
         * (the size in the header is checked first, so nothing large is ever buffered).
         */
        byte[] readSmall(int max, String what) throws IOException {
            if (size > max) {
                throw new ImageFormatException(container + ": " + what + " '" + name + "' is " + size
                        + " bytes, more than the descriptor size limit of " + max + " bytes");
            }
            byte[] data = new byte[(int) size];
            int filled = 0;
            while (filled < data.length) {
                int n;
                try {
                    n = tar.read(data, filled, data.length - filled);
                } catch (SourceIOException | ImageFormatException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw corrupt(container, e);
                }
                if (n < 0) {
                    throw new ImageFormatException(container + ": member '" + name + "' is truncated");
                }
                filled += n;
            }
            return data;
        }
    }

    /** Receives each member in archive order. */
    interface Handler {
        void member(Member member) throws IOException;
    }

    /** What the walk saw. */
    record Summary(long archiveSize, int memberCount) {}

    private TarWalker() {}

    /**
     * Walks the archive read from {@code source} to its end.
     *
     * @param container the container's name for messages ("ova", "docker")
     * @throws ImageFormatException when a shared rule is broken, the archive is corrupt, or the
     *     handler refuses a member
     * @throws IOException when the source fails
     */
    static Summary walk(InputStream source, String container, InspectionLimits limits, Handler handler)
            throws IOException {
        MeteredInput metered = new MeteredInput(source);
        // A block size of one record: with the default 10240 the reader would silently skip the
        // rest of the last block after the end marker, hiding appended data from the check below.
        TarArchiveInputStream tar = new TarArchiveInputStream(metered, 512, 512, StandardCharsets.UTF_8.name());
        Set<String> names = new HashSet<>();
        int count = 0;
        byte[] drain = new byte[CHUNK];
        try {
            while (true) {
                metered.meter((long) limits.maxDescriptorSize() + HEADER_SLACK);
                TarArchiveEntry entry;
                try {
                    entry = tar.getNextEntry();
                } catch (SourceIOException | ImageFormatException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw corrupt(container, e);
                }
                metered.unmeter();
                if (entry == null) {
                    break;
                }
                if (++count > limits.maxTableEntries()) {
                    throw new ImageFormatException(container + ": more than " + limits.maxTableEntries()
                            + " members in the archive");
                }
                Kind kind = kindOf(container, entry);
                String name = MemberNames.normalize(container, entry.getName(), kind == Kind.DIRECTORY);
                if (!names.add(name)) {
                    throw new ImageFormatException(container + ": duplicate member '" + name
                            + "' (extracting it would overwrite the first one)");
                }
                if (entry.isSparse()) {
                    throw new ImageFormatException(container + ": member '" + name
                            + "' is a sparse tar entry; only plain regular files are allowed");
                }
                Member member = new Member(tar, container, name, kind,
                        kind == Kind.SYMLINK || kind == Kind.HARDLINK ? entry.getLinkName() : "",
                        kind == Kind.FILE ? entry.getSize() : 0, metered.position());
                handler.member(member);
                // Drain what the handler left, so that getNextEntry() consumes headers only.
                while (member.read(drain) >= 0) {
                    // discard
                }
            }
            // After the end-of-archive marker only zero padding may follow.
            long trailingStart = metered.position();
            for (int n; (n = metered.read(drain, 0, drain.length)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    if (drain[i] != 0) {
                        throw new ImageFormatException(container + ": data after the end of the tar archive at offset "
                                + (metered.position() - n + i) + " (from offset " + trailingStart + ")");
                    }
                }
            }
            return new Summary(metered.position(), count);
        } catch (SourceIOException e) {
            throw e.getCause();
        }
    }

    private static Kind kindOf(String container, TarArchiveEntry entry) throws ImageFormatException {
        String name = entry.getName();
        if (entry.isSymbolicLink()) {
            return Kind.SYMLINK;
        }
        if (entry.isLink()) {
            return Kind.HARDLINK;
        }
        if (entry.isDirectory()) {
            return Kind.DIRECTORY;
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new ImageFormatException(container + ": member '" + name
                    + "' is a device or FIFO; only regular files are allowed");
        }
        byte flag = entry.getLinkFlag();
        // '0' and the pre-POSIX NUL are regular files; '7' (contiguous) is a regular file too.
        if (flag == '0' || flag == 0 || flag == '7') {
            return Kind.FILE;
        }
        throw new ImageFormatException(container + ": member '" + name + "' has unsupported tar type '"
                + (char) flag + "'; only regular files are allowed");
    }

    static ImageFormatException corrupt(String container, Exception e) {
        return new ImageFormatException(container + ": not a readable tar archive: " + e.getMessage(), e);
    }
}
