package dev.glimpse.image.store.fs.internal;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageLocation;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The catalogue's binary record format, written since JSON records proved too slow to decode when a
 * large catalogue is opened in a fresh JVM: Jackson's parser runs interpreted for most of a cold
 * open, while this format is a few small loops over a byte array that the JIT compiles at once.
 *
 * <p>Layout: one kind byte ({@link #IMAGE}, {@link #MEMBER}, {@link #PURGE}, {@link #UNMEMBER};
 * none of them is {@code '{'}, which starts every older JSON record), then the fields in a fixed
 * order; an image's numbers and counts come first and all its strings after them, in one run. Strings are a varint of their UTF-8 length plus one (0 stands for absent) and the bytes;
 * integers are varints (longs zig-zag free: no field is negative); instants are epoch seconds and
 * nanoseconds; enums are their wire names, so reordering an enum never changes a stored record.
 */
final class BinaryRecords {
    static final byte IMAGE = 1;
    static final byte MEMBER = 2;
    static final byte PURGE = 3;
    static final byte UNMEMBER = 4;

    /** One cache per decoding thread: decoding runs on several threads and the cache takes no lock. */
    private static final ThreadLocal<StringCache> STRINGS = ThreadLocal.withInitial(StringCache::new);

    private BinaryRecords() {}

    static byte[] image(Image image) {
        Writer w = new Writer(768);
        w.b(IMAGE);
        w.b((byte) ((image.isProtected() ? 1 : 0) | (image.osHidden() ? 2 : 0)));
        w.varlong(image.version());
        w.varlong(image.minDisk());
        w.varlong(image.minRam());
        w.optLong(image.size().orElse(null));
        w.optLong(image.virtualSize().orElse(null));
        w.instant(image.createdAt());
        w.instant(image.updatedAt());
        w.varlong(image.tags().size());
        w.varlong(image.locations().size());
        for (ImageLocation location : image.locations()) {
            w.varlong(location.metadata().size());
        }
        w.varlong(image.properties().size());
        // Then every string, in one run (see readImage for why).
        w.str(image.id());
        w.str(image.name().orElse(null));
        w.str(image.status().wireName());
        w.str(image.visibility().wireName());
        w.str(image.owner().orElse(null));
        w.str(image.diskFormat().map(DiskFormat::wireName).orElse(null));
        w.str(image.containerFormat().map(ContainerFormat::wireName).orElse(null));
        w.str(image.checksum().orElse(null));
        w.str(image.osHashAlgo().orElse(null));
        w.str(image.osHashValue().orElse(null));
        for (String tag : image.tags()) {
            w.str(tag);
        }
        for (ImageLocation location : image.locations()) {
            w.str(location.url());
            w.str(location.storeId());
            w.str(location.status().wireName());
            for (Map.Entry<String, String> e : location.metadata().entrySet()) {
                w.str(e.getKey());
                w.str(e.getValue());
            }
        }
        for (Map.Entry<String, String> e : image.properties().entrySet()) {
            w.str(e.getKey());
            w.str(e.getValue());
        }
        return w.bytes();
    }

    static byte[] member(ImageMember member) {
        Writer w = new Writer(128);
        w.b(MEMBER);
        w.str(member.imageId());
        w.str(member.memberId());
        w.str(member.status().wireName());
        w.instant(member.createdAt());
        w.instant(member.updatedAt());
        return w.bytes();
    }

    static byte[] purge(String imageId) {
        Writer w = new Writer(48);
        w.b(PURGE);
        w.str(imageId);
        return w.bytes();
    }

    static byte[] unmember(String imageId, String memberId) {
        Writer w = new Writer(96);
        w.b(UNMEMBER);
        w.str(imageId);
        w.str(memberId);
        return w.bytes();
    }

    /**
     * Decodes a binary record. Out-of-range reads surface as runtime exceptions, which the caller
     * turns into an {@link IOException} naming the damage.
     */
    static RecordCodec.Record decode(byte[] payload) throws IOException {
        Reader r = new Reader(payload);
        RecordCodec.Record record = switch (r.b()) {
            case IMAGE -> new RecordCodec.Record("image", readImage(r), null, null, null);
            case MEMBER -> new RecordCodec.Record("member", null, readMember(r), null, null);
            case PURGE -> new RecordCodec.Record("purge", null, null, r.required("image id"), null);
            case UNMEMBER -> new RecordCodec.Record("unmember", null, null, r.required("image id"),
                    r.required("member id"));
            default -> throw new IOException("unknown catalogue record kind " + (payload[0] & 0xff));
        };
        if (r.at != payload.length) {
            throw new IOException("catalogue record has " + (payload.length - r.at) + " bytes after its end");
        }
        return record;
    }

    /** The fixed strings at the start of an image's string run. */
    private static final int FIXED_STRINGS = 10;

    /**
     * Reads an image. All its strings are read by one loop at one call site: with a read per field,
     * the JIT's optimising compiler inlined the string decoding a dozen times into this method and
     * took over two CPU-seconds to compile it, longer than the whole open should take.
     */
    private static Image readImage(Reader r) throws IOException {
        int flags = r.b();
        if ((flags & ~3) != 0) {
            throw new IOException("unknown image flags " + flags);
        }
        Image.Builder b = Image.builder();
        b.isProtected((flags & 1) != 0);
        b.osHidden((flags & 2) != 0);
        b.version(r.varlong());
        b.minDisk(r.varint());
        b.minRam(r.varint());
        b.size(r.optLong());
        b.virtualSize(r.optLong());
        b.createdAt(r.instant());
        b.updatedAt(r.instant());
        int tagCount = r.count();
        int locationCount = r.count();
        int[] metadataCounts = new int[locationCount];
        long total = FIXED_STRINGS + tagCount + 3L * locationCount;
        for (int i = 0; i < locationCount; i++) {
            metadataCounts[i] = r.count();
            total += 2L * metadataCounts[i];
        }
        int propertyCount = r.count();
        total += 2L * propertyCount;
        if (total > r.remaining()) {
            // Every string takes at least a byte: a larger total is damage, not a huge allocation.
            throw new IOException("catalogue record announces " + total + " strings in " + r.remaining() + " bytes");
        }
        return assemble(b, r.strings((int) total), tagCount, metadataCounts, propertyCount);
    }

    /**
     * Fills in an image's strings. A method of its own, too large for the JIT to inline, so that
     * the optimising compiler compiles two moderate methods instead of one huge one.
     */
    private static Image assemble(Image.Builder b, @Nullable String[] s, int tagCount, int[] metadataCounts,
            int propertyCount) throws IOException {
        int locationCount = metadataCounts.length;
        b.id(required(s[0], "id"));
        b.name(s[1]);
        b.status(ImageStatus.fromWireName(required(s[2], "status")));
        b.visibility(Visibility.fromWireName(required(s[3], "visibility")));
        b.owner(s[4]);
        b.diskFormat(s[5] == null ? null : DiskFormat.fromWireName(s[5]));
        b.containerFormat(s[6] == null ? null : ContainerFormat.fromWireName(s[6]));
        b.checksum(s[7]);
        b.osHashAlgo(s[8]);
        b.osHashValue(s[9]);
        int at = FIXED_STRINGS;
        for (int i = 0; i < tagCount; i++) {
            b.addTag(required(s[at++], "tag"));
        }
        for (int i = 0; i < locationCount; i++) {
            String url = required(s[at++], "location url");
            String store = s[at++];
            ImageLocation.Status status = locationStatus(required(s[at++], "location status"));
            Map<String, String> metadata = Map.of();
            if (metadataCounts[i] > 0) {
                metadata = new LinkedHashMap<>();
                for (int k = 0; k < metadataCounts[i]; k++) {
                    metadata.put(required(s[at++], "location metadata key"), required(s[at++], "location metadata value"));
                }
            }
            b.addLocation(new ImageLocation(url, metadata, store, status));
        }
        for (int i = 0; i < propertyCount; i++) {
            b.property(required(s[at++], "property name"), required(s[at++], "property value"));
        }
        return b.build();
    }

    private static String required(@Nullable String value, String what) throws IOException {
        if (value == null) {
            throw new IOException("catalogue record without its " + what);
        }
        return value;
    }

    private static ImageMember readMember(Reader r) throws IOException {
        return new ImageMember(r.required("image id"), r.required("member id"),
                MemberStatus.fromWireName(r.required("member status")), r.instant(), r.instant());
    }

    private static ImageLocation.Status locationStatus(String wireName) throws IOException {
        for (ImageLocation.Status status : ImageLocation.Status.values()) {
            if (status.wireName().equals(wireName)) {
                return status;
            }
        }
        throw new IOException("unknown location status '" + wireName + "'");
    }

    /** A growable byte array; records are small, so no streams. */
    private static final class Writer {
        private byte[] buf;
        private int at;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (at + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + more));
            }
        }

        void b(byte value) {
            ensure(1);
            buf[at++] = value;
        }

        void varlong(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative value " + value + " in a catalogue record");
            }
            ensure(10);
            long v = value;
            while ((v & ~0x7FL) != 0) {
                buf[at++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[at++] = (byte) v;
        }

        void optLong(@Nullable Long value) {
            if (value == null) {
                b((byte) 0);
            } else {
                b((byte) 1);
                varlong(value);
            }
        }

        void str(@Nullable String value) {
            if (value == null) {
                varlong(0);
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            varlong(utf8.length + 1L);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, at, utf8.length);
            at += utf8.length;
        }

        void instant(Instant instant) {
            // Epoch seconds are offset so that instants before 1970 (which the model allows) stay positive.
            varlong(instant.getEpochSecond() - Instant.MIN.getEpochSecond());
            varlong(instant.getNano());
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, at);
        }
    }

    /** Reads fields in order from a record's bytes. */
    private static final class Reader {
        private final byte[] buf;
        private int at;
        private @Nullable Instant last;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        int b() {
            return buf[at++] & 0xff;
        }

        long varlong() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = buf[at++];
                value |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    if (value < 0) {
                        throw new IOException("number out of range in catalogue record");
                    }
                    return value;
                }
            }
            throw new IOException("malformed number in catalogue record");
        }

        int varint() throws IOException {
            long value = varlong();
            if (value > Integer.MAX_VALUE) {
                throw new IOException("number out of range in catalogue record: " + value);
            }
            return (int) value;
        }

        int count() throws IOException {
            int n = varint();
            if (n > buf.length - at) {
                // Every element takes at least a byte: a larger count is damage, not a huge allocation.
                throw new IOException("count " + n + " exceeds the record's remaining bytes");
            }
            return n;
        }

        @Nullable Long optLong() throws IOException {
            return switch (b()) {
                case 0 -> null;
                case 1 -> varlong();
                default -> throw new IOException("malformed optional number in catalogue record");
            };
        }

        @Nullable String str() throws IOException {
            int n = varint();
            if (n == 0) {
                return null;
            }
            int length = n - 1;
            if (length > buf.length - at) {
                throw new IOException("string of " + length + " bytes runs past the end of the catalogue record");
            }
            String value = length <= StringCache.MAX_LENGTH ? STRINGS.get().get(buf, at, length)
                    : new String(buf, at, length, StandardCharsets.UTF_8);
            at += length;
            return value;
        }

        int remaining() {
            return buf.length - at;
        }

        /** Reads {@code n} strings in a row: the one call site that decodes an image's strings. */
        @Nullable String[] strings(int n) throws IOException {
            @Nullable String[] values = new String[n];
            for (int i = 0; i < n; i++) {
                values[i] = str();
            }
            return values;
        }

        String required(String what) throws IOException {
            String value = str();
            if (value == null) {
                throw new IOException("catalogue record without its " + what);
            }
            return value;
        }

        Instant instant() throws IOException {
            long seconds = varlong() + Instant.MIN.getEpochSecond();
            int nanos = varint();
            if (last != null && last.getEpochSecond() == seconds && last.getNano() == nanos) {
                return last; // an image never updated shares one Instant for both times
            }
            last = Instant.ofEpochSecond(seconds, nanos);
            return last;
        }
    }

    /**
     * Shares the String of short values that repeat from image to image (property names, common
     * values, tags, store ids, owners). A catalogue is held in memory whole, and while it is
     * opened every surviving object is copied by the young-generation collections: with a
     * hundred thousand images, halving the objects retained per image halves that copying.
     * Direct-mapped and bounded (a slot holds the last string that hashed to it), so unique values
     * such as names only cost a missed lookup.
     */
    static final class StringCache {
        static final int MAX_LENGTH = 32;
        private static final int SLOTS = 4096;
        private final byte[][] keys = new byte[SLOTS][];
        private final String[] values = new String[SLOTS];

        String get(byte[] buf, int from, int length) {
            int hash = length;
            for (int i = from, end = from + length; i < end; i++) {
                hash = 31 * hash + buf[i];
            }
            int slot = (hash ^ (hash >>> 12)) & (SLOTS - 1);
            byte[] key = keys[slot];
            if (key != null && Arrays.equals(key, 0, key.length, buf, from, from + length)) {
                return values[slot];
            }
            String value = new String(buf, from, length, StandardCharsets.UTF_8);
            keys[slot] = Arrays.copyOfRange(buf, from, from + length);
            values[slot] = value;
            return value;
        }
    }
}
