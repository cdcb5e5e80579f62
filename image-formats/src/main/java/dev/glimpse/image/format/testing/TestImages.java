package dev.glimpse.image.format.testing;

import dev.glimpse.image.format.internal.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Small, valid disk images of every format Glimpse inspects, and deliberately hostile variants of
 * them, for the unit tests of host applications (and Glimpse's own). Each method returns the whole
 * image as a new byte array; images are a few KiB to a few MiB, with empty (unallocated) data.
 *
 * <p>The valid images open in qemu-img with the expected format and virtual size; the hostile ones
 * reproduce the attack classes the inspector refuses (backing files, external data files and
 * extents, descriptor files, broken tables, truncation, polyglots).
 *
 * <p>Stateless and thread-safe. Sizes are in bytes; virtual sizes must be positive multiples of 512
 * unless said otherwise.
 */
public final class TestImages {
    private static final int SECTOR = 512;

    private TestImages() {}

    // ---------------------------------------------------------------- raw

    /** A raw image of {@code size} bytes with a recognisable, non-zero pattern and no signature. */
    public static byte[] raw(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ('a' + i % 23);
        }
        // keep the first sectors free of text, so that no parser sees a descriptor file
        for (int i = 0; i < Math.min(size, 1024); i++) {
            data[i] = (byte) (0x80 + i % 64);
        }
        return data;
    }

    /** A raw disk of {@code size} bytes (at least 4 KiB) with an MBR holding one Linux partition. */
    public static byte[] rawWithMbr(int size) {
        requireAtLeast(size, 4096, "size");
        byte[] data = new byte[size];
        ByteBuffer b = le(data);
        b.put(446, (byte) 0x80);
        b.put(446 + 4, (byte) 0x83);
        b.putInt(446 + 8, 2048 / SECTOR);
        b.putInt(446 + 12, size / SECTOR - 4);
        b.putShort(510, (short) 0xAA55);
        return data;
    }

    /**
     * A raw disk of {@code size} bytes (at least 64 KiB, a multiple of 512) with a protective MBR,
     * primary and backup GPT headers (CRCs correct) and one partition.
     */
    public static byte[] rawWithGpt(int size) {
        requireAtLeast(size, 64 * 1024, "size");
        byte[] data = new byte[size];
        long sectors = size / SECTOR;
        ByteBuffer b = le(data);
        b.put(446 + 1, (byte) 0x00).put(446 + 2, (byte) 0x02).put(446 + 3, (byte) 0x00);
        b.put(446 + 4, (byte) 0xEE);
        b.putInt(446 + 8, 1);
        b.putInt(446 + 12, (int) Math.min(sectors - 1, 0xFFFFFFFFL));
        b.putShort(510, (short) 0xAA55);
        // one partition entry (Linux filesystem type GUID) in a 128-entry array at LBA 2
        byte[] entries = new byte[128 * 128];
        ByteBuffer e = le(entries);
        e.put(0, Bytes.guid("0FC63DAF-8483-4772-8E79-3D69D8477DE4"));
        e.put(16, Bytes.guid("6B0A1E3B-2C34-4F3E-9C61-5A2B7D1E0F11"));
        e.putLong(32, 34);
        e.putLong(40, sectors - 34);
        System.arraycopy(entries, 0, data, 2 * SECTOR, entries.length);
        System.arraycopy(entries, 0, data, (int) ((sectors - 33) * SECTOR), entries.length);
        writeGptHeader(data, 1, sectors - 1, 2, sectors, entries);
        writeGptHeader(data, sectors - 1, 1, sectors - 33, sectors, entries);
        return data;
    }

    private static void writeGptHeader(byte[] data, long myLba, long otherLba, long entriesLba, long sectors,
            byte[] entries) {
        ByteBuffer h = le(data).position((int) (myLba * SECTOR)).slice().order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, "EFI PART".getBytes(StandardCharsets.ISO_8859_1));
        h.putInt(8, 0x00010000);
        h.putInt(12, 92);
        h.putLong(24, myLba);
        h.putLong(32, otherLba);
        h.putLong(40, 34);
        h.putLong(48, sectors - 34);
        h.put(56, Bytes.guid("2A1B3C4D-5E6F-4A1B-8C2D-3E4F5A6B7C8D"));
        h.putLong(72, entriesLba);
        h.putInt(80, 128);
        h.putInt(84, 128);
        CRC32 crc = new CRC32();
        crc.update(entries);
        h.putInt(88, (int) crc.getValue());
        crc.reset();
        crc.update(data, (int) (myLba * SECTOR), 92);
        h.putInt(16, (int) crc.getValue());
    }

    // ---------------------------------------------------------------- qcow2

    /** A valid qcow2 version 3 image (64 KiB clusters) of {@code virtualSize} bytes. */
    public static byte[] qcow2(long virtualSize) {
        return Qcow2.builder(virtualSize).build();
    }

    /** Options for a qcow2 image; start with {@link #builder(long)}. */
    public static final class Qcow2 {
        private final long virtualSize;
        private int version = 3;
        private int clusterBits = 16;
        private boolean lazyRefcounts;
        private boolean extendedL2;
        private boolean zstd;
        private long extraIncompatibleBits;
        private String backingFile;
        private String dataFile;

        private Qcow2(long virtualSize) {
            if (virtualSize <= 0) {
                throw new IllegalArgumentException("virtual size must be positive: " + virtualSize);
            }
            this.virtualSize = virtualSize;
        }

        /** Starts a qcow2 image of {@code virtualSize} bytes: version 3, 64 KiB clusters, no features. */
        public static Qcow2 builder(long virtualSize) {
            return new Qcow2(virtualSize);
        }

        /** Version 2 (compat 0.10) or 3 (compat 1.1). */
        public Qcow2 version(int version) {
            if (version != 2 && version != 3) {
                throw new IllegalArgumentException("qcow2 version must be 2 or 3, not " + version);
            }
            this.version = version;
            return this;
        }

        /** Cluster size as a power of two, 9 (512 bytes) to 21 (2 MiB). */
        public Qcow2 clusterBits(int clusterBits) {
            if (clusterBits < 9 || clusterBits > 21) {
                throw new IllegalArgumentException("cluster bits must be 9..21, not " + clusterBits);
            }
            this.clusterBits = clusterBits;
            return this;
        }

        /** Sets the lazy-refcounts compatible feature (version 3). */
        public Qcow2 lazyRefcounts() {
            this.lazyRefcounts = true;
            return this;
        }

        /** Sets the extended-L2 incompatible feature (version 3, clusters of at least 16 KiB). */
        public Qcow2 extendedL2() {
            this.extendedL2 = true;
            return this;
        }

        /** Declares zstd compression (version 3). */
        public Qcow2 zstd() {
            this.zstd = true;
            return this;
        }

        /** Hostile: names a backing file (e.g. {@code /etc/passwd}) that qemu would open. */
        public Qcow2 backingFile(String path) {
            this.backingFile = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Hostile: an external data file (incompatible bit 2 and a data-file header extension). */
        public Qcow2 externalDataFile(String path) {
            this.dataFile = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Hostile: sets incompatible feature bits qemu does not know (bit 5 and above). */
        public Qcow2 unknownIncompatibleBits(long bits) {
            this.extraIncompatibleBits = bits;
            return this;
        }

        /** Builds the image: header, refcount table and block, L1 table, no data clusters. */
        public byte[] build() {
            boolean v3 = version == 3;
            if (!v3 && (lazyRefcounts || extendedL2 || zstd || dataFile != null || extraIncompatibleBits != 0)) {
                throw new IllegalStateException("features need qcow2 version 3");
            }
            int cluster = 1 << clusterBits;
            long l2Entries = cluster / (extendedL2 ? 16 : 8);
            long l1Entries = Math.max(1, (virtualSize + cluster * l2Entries - 1) / (cluster * l2Entries));
            int l1Clusters = (int) ((l1Entries * 8 + cluster - 1) / cluster);
            // clusters: 0 header, 1 refcount table, 2 refcount block, 3.. L1 table
            int clusters = 3 + l1Clusters;
            byte[] image = new byte[clusters * cluster];
            ByteBuffer b = ByteBuffer.wrap(image);
            b.put(0, new byte[] {'Q', 'F', 'I', (byte) 0xFB});
            b.putInt(4, version);
            b.putInt(20, clusterBits);
            b.putLong(24, virtualSize);
            b.putInt(36, (int) l1Entries);
            b.putLong(40, 3L * cluster);
            b.putLong(48, cluster);
            b.putInt(56, 1);
            int headerLength = v3 ? 112 : 72;
            if (v3) {
                long incompatible = extraIncompatibleBits | (dataFile != null ? 4 : 0) | (zstd ? 8 : 0)
                        | (extendedL2 ? 16 : 0);
                b.putLong(72, incompatible);
                b.putLong(80, lazyRefcounts ? 1 : 0);
                b.putInt(96, 4);
                b.putInt(100, headerLength);
                b.put(104, (byte) (zstd ? 1 : 0));
            }
            int at = headerLength;
            if (dataFile != null) {
                at = extension(b, at, 0x44415441, dataFile.getBytes(StandardCharsets.UTF_8));
            }
            b.putInt(at, 0);
            b.putInt(at + 4, 0);
            at += 8;
            if (backingFile != null) {
                byte[] name = backingFile.getBytes(StandardCharsets.UTF_8);
                b.putLong(8, at);
                b.putInt(16, name.length);
                b.put(at, name);
            }
            // refcount table -> block at cluster 2; every used cluster has refcount 1 (16-bit entries)
            b.putLong(cluster, 2L * cluster);
            for (int i = 0; i < clusters; i++) {
                b.putShort(2 * cluster + 2 * i, (short) 1);
            }
            return image;
        }

        private static int extension(ByteBuffer b, int at, int type, byte[] data) {
            b.putInt(at, type);
            b.putInt(at + 4, data.length);
            b.put(at + 8, data);
            return at + 8 + (data.length + 7) / 8 * 8;
        }
    }

    // ---------------------------------------------------------------- vhd

    /**
     * A fixed VHD: {@code virtualSize} bytes of data and a footer. Creator {@code "qem2"} (qemu with
     * {@code force_size}), so that every qemu version takes the size from the footer exactly.
     */
    public static byte[] vhdFixed(int virtualSize) {
        requireSectors(virtualSize);
        byte[] image = new byte[virtualSize + SECTOR];
        System.arraycopy(vhdFooter(virtualSize, 2, -1L, "qem2"), 0, image, virtualSize, SECTOR);
        return image;
    }

    /** A dynamic VHD of {@code virtualSize} bytes with 2 MiB blocks, none allocated (creator {@code "qem2"}). */
    public static byte[] vhdDynamic(long virtualSize) {
        return vhdDynamic(virtualSize, 3, "");
    }

    /** Hostile: a differencing VHD (disk type 4) whose parent is {@code parent}. */
    public static byte[] vhdDifferencing(long virtualSize, String parent) {
        return vhdDynamic(virtualSize, 4, parent);
    }

    private static byte[] vhdDynamic(long virtualSize, int type, String parent) {
        requireSectors(virtualSize);
        int blockSize = 2 * 1024 * 1024;
        int entries = (int) ((virtualSize + blockSize - 1) / blockSize);
        int batBytes = (entries * 4 + SECTOR - 1) / SECTOR * SECTOR;
        byte[] image = new byte[SECTOR + 1024 + batBytes + SECTOR];
        byte[] footer = vhdFooter(virtualSize, type, SECTOR, "qem2");
        System.arraycopy(footer, 0, image, 0, SECTOR);
        System.arraycopy(footer, 0, image, image.length - SECTOR, SECTOR);
        ByteBuffer h = ByteBuffer.wrap(image, SECTOR, 1024).slice();
        h.put(0, "cxsparse".getBytes(StandardCharsets.ISO_8859_1));
        h.putLong(8, -1L);
        h.putLong(16, SECTOR + 1024);
        h.putInt(24, 0x00010000);
        h.putInt(28, entries);
        h.putInt(32, blockSize);
        byte[] name = parent.getBytes(StandardCharsets.UTF_16BE);
        h.put(64, name, 0, Math.min(name.length, 512));
        h.putInt(36, checksum(image, SECTOR, 1024, 36));
        Arrays.fill(image, SECTOR + 1024, SECTOR + 1024 + entries * 4, (byte) 0xFF);
        return image;
    }

    private static byte[] vhdFooter(long size, int type, long dataOffset, String creator) {
        byte[] footer = new byte[SECTOR];
        ByteBuffer f = ByteBuffer.wrap(footer);
        f.put(0, "conectix".getBytes(StandardCharsets.ISO_8859_1));
        f.putInt(8, 2);
        f.putInt(12, 0x00010000);
        f.putLong(16, dataOffset);
        f.put(28, creator.getBytes(StandardCharsets.ISO_8859_1));
        f.putInt(32, 0x00050003);
        f.put(36, "Wi2k".getBytes(StandardCharsets.ISO_8859_1));
        f.putLong(40, size);
        f.putLong(48, size);
        // geometry per the VHD specification's CHS algorithm (informative for qem2 creators)
        long sectors = Math.min(size / SECTOR, 65535L * 16 * 255);
        long spt;
        long heads;
        long cylTimesHeads;
        if (sectors >= 65535L * 16 * 63) {
            spt = 255;
            heads = 16;
            cylTimesHeads = sectors / spt;
        } else {
            spt = 17;
            cylTimesHeads = sectors / spt;
            heads = Math.max(4, (cylTimesHeads + 1023) / 1024);
            if (cylTimesHeads >= heads * 1024 || heads > 16) {
                spt = 31;
                heads = 16;
                cylTimesHeads = sectors / spt;
            }
            if (cylTimesHeads >= heads * 1024) {
                spt = 63;
                heads = 16;
                cylTimesHeads = sectors / spt;
            }
        }
        f.putShort(56, (short) (cylTimesHeads / heads));
        f.put(58, (byte) heads);
        f.put(59, (byte) spt);
        f.putInt(60, type);
        f.put(68, Bytes.guid("7D2C4F1A-9B3E-4C5D-8E6F-1A2B3C4D5E6F"));
        f.putInt(64, checksum(footer, 0, SECTOR, 64));
        return footer;
    }

    private static int checksum(byte[] data, int offset, int length, int field) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            if (i < field || i >= field + 4) {
                sum += data[offset + i] & 0xff;
            }
        }
        return ~sum;
    }

    // ---------------------------------------------------------------- vhdx

    /** A dynamic VHDX of {@code virtualSize} bytes (4 MiB file: header section, log, BAT, metadata). */
    public static byte[] vhdx(long virtualSize) {
        return vhdx(virtualSize, false);
    }

    /** Hostile: a VHDX whose region table is destroyed (oslo calls such a file a safe VHDX of size 0). */
    public static byte[] vhdxWithBrokenRegionTable(long virtualSize) {
        byte[] image = vhdx(virtualSize, false);
        Arrays.fill(image, 192 * 1024, 256 * 1024 + 64 * 1024, (byte) 0);
        return image;
    }

    /** Hostile: a differencing VHDX (has-parent flag and a parent locator item). */
    public static byte[] vhdxDifferencing(long virtualSize) {
        return vhdx(virtualSize, true);
    }

    private static byte[] vhdx(long virtualSize, boolean parent) {
        requireSectors(virtualSize);
        int mib = 1024 * 1024;
        byte[] image = new byte[4 * mib];
        ByteBuffer b = le(image);
        b.put(0, "vhdxfile".getBytes(StandardCharsets.ISO_8859_1));
        b.put(8, "Glimpse TestImages".getBytes(StandardCharsets.UTF_16LE));
        for (int i = 0; i < 2; i++) {
            int at = (1 + i) * 64 * 1024;
            b.put(at, "head".getBytes(StandardCharsets.ISO_8859_1));
            b.putLong(at + 8, i + 1);
            b.put(at + 16, Bytes.guid("11111111-2222-4333-8444-555555555555"));
            b.putShort(at + 66, (short) 1);
            b.putInt(at + 68, mib);
            b.putLong(at + 72, mib);
            crc32c(image, at, 4096);
        }
        for (int i = 0; i < 2; i++) {
            int at = (3 + i) * 64 * 1024;
            b.put(at, "regi".getBytes(StandardCharsets.ISO_8859_1));
            b.putInt(at + 8, 2);
            b.put(at + 16, Bytes.guid("2DC27766-F623-4200-9D64-115E9BFD4A08"));
            b.putLong(at + 32, 2L * mib);
            b.putInt(at + 40, mib);
            b.putInt(at + 44, 1);
            b.put(at + 48, Bytes.guid("8B7CA206-4790-4B9A-B8FE-575F050F886E"));
            b.putLong(at + 64, 3L * mib);
            b.putInt(at + 72, mib);
            b.putInt(at + 76, 1);
            crc32c(image, at, 64 * 1024);
        }
        int meta = 3 * mib;
        b.put(meta, "metadata".getBytes(StandardCharsets.ISO_8859_1));
        String[] ids = {"CAA16737-FA36-4D43-B3B6-33F0AA44E76B", "2FA54224-CD1B-4876-B211-5DBED83BF4B8",
            "BECA12AB-B2E6-4523-93EF-C309E000C746", "8141BF1D-A96F-4709-BA47-F233A8FAAB5F",
            "CDA348C7-445D-4471-9CC9-E9885251C556", "A8D35F2D-B30B-454D-ABF7-D3D84834AB0C"};
        int[] lengths = {8, 8, 16, 4, 4, 64};
        int[] flags = {4, 6, 6, 6, 6, 6};
        int items = parent ? 6 : 5;
        b.putShort(meta + 10, (short) items);
        int data = 64 * 1024;
        for (int i = 0; i < items; i++) {
            int entry = meta + 32 + 32 * i;
            b.put(entry, Bytes.guid(ids[i]));
            b.putInt(entry + 16, data);
            b.putInt(entry + 20, lengths[i]);
            b.putInt(entry + 24, flags[i]);
            switch (i) {
                case 0 -> {
                    b.putInt(meta + data, 32 * mib);
                    b.putInt(meta + data + 4, parent ? 2 : 0);
                }
                case 1 -> b.putLong(meta + data, virtualSize);
                case 2 -> b.put(meta + data, Bytes.guid("0A1B2C3D-4E5F-4061-8273-8495A6B7C8D9"));
                case 3, 4 -> b.putInt(meta + data, 512);
                default -> b.put(meta + data, "parent".getBytes(StandardCharsets.UTF_16LE));
            }
            data += 4096;
        }
        return image;
    }

    private static void crc32c(byte[] image, int at, int length) {
        CRC32C crc = new CRC32C();
        crc.update(image, at, length);
        le(image).putInt(at + 4, (int) crc.getValue());
    }

    // ---------------------------------------------------------------- vmdk

    /** A monolithicSparse VMDK of {@code virtualSize} bytes (a multiple of 64 KiB), no grains allocated. */
    public static byte[] vmdkSparse(long virtualSize) {
        return vmdk(virtualSize, false, false, "");
    }

    /** A streamOptimized VMDK of {@code virtualSize} bytes (a multiple of 64 KiB), no grains allocated. */
    public static byte[] vmdkStreamOptimized(long virtualSize) {
        return vmdk(virtualSize, true, false, "");
    }

    /**
     * A streamOptimized VMDK written the way VMware writes one: grain directory at the end
     * ({@code GD_AT_END}) and the header repeated in a footer.
     */
    public static byte[] vmdkStreamOptimizedWithFooter(long virtualSize) {
        return vmdk(virtualSize, true, true, "");
    }

    /**
     * Hostile: a monolithicSparse VMDK whose embedded descriptor carries {@code extraLines}, e.g.
     * {@code parentFileNameHint="/etc/passwd"} (a backing file qemu opens) or an extent line naming a
     * host file. The default extent line is kept.
     */
    public static byte[] vmdkSparseWithDescriptorLines(long virtualSize, String extraLines) {
        return vmdk(virtualSize, false, false, Objects.requireNonNull(extraLines, "extraLines"));
    }

    private static byte[] vmdk(long virtualSize, boolean stream, boolean footer, String extra) {
        long grain = 128;
        if (virtualSize <= 0 || virtualSize % (grain * SECTOR) != 0) {
            throw new IllegalArgumentException("VMDK size must be a positive multiple of 64 KiB: " + virtualSize);
        }
        long capacity = virtualSize / SECTOR;
        long gtCoverage = 512 * grain;
        int gdEntries = (int) ((capacity + gtCoverage - 1) / gtCoverage);
        int gdSectors = (gdEntries * 4 + SECTOR - 1) / SECTOR;
        int descriptorSectors = 20;
        String descriptor = "# Disk DescriptorFile\nversion=1\nCID=7a1b2c3d\nparentCID=ffffffff\ncreateType=\""
                + (stream ? "streamOptimized" : "monolithicSparse") + "\"\n" + extra
                + "\n# Extent description\nRW " + capacity + " SPARSE \"image.vmdk\"\n\n# The Disk Data Base\n#DDB\n\n"
                + "ddb.virtualHWVersion = \"4\"\nddb.adapterType = \"ide\"\n";
        byte[] text = descriptor.getBytes(StandardCharsets.ISO_8859_1);
        if (text.length > descriptorSectors * SECTOR) {
            throw new IllegalArgumentException("descriptor too long: " + text.length + " bytes");
        }
        long rgd = 1 + descriptorSectors;
        long gd = rgd + gdSectors;
        long overhead = (gd + gdSectors + grain - 1) / grain * grain;
        int length = (int) (overhead * SECTOR) + (footer ? 3 * SECTOR : 0);
        byte[] image = new byte[length];
        ByteBuffer h = header(capacity, grain, descriptorSectors, stream ? -1 : rgd, footer ? -1 : gd, overhead, stream);
        System.arraycopy(h.array(), 0, image, 0, SECTOR);
        System.arraycopy(text, 0, image, SECTOR, text.length);
        if (footer) {
            int at = length - 3 * SECTOR;
            ByteBuffer m = le(image);
            m.putLong(at, 1);
            m.putInt(at + 12, 3);
            ByteBuffer copy = header(capacity, grain, descriptorSectors, -1, gd, overhead, true);
            System.arraycopy(copy.array(), 0, image, at + SECTOR, SECTOR);
        }
        return image;
    }

    private static ByteBuffer header(long capacity, long grain, long descriptorSectors, long rgd, long gd, long overhead,
            boolean stream) {
        ByteBuffer h = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, "KDMV".getBytes(StandardCharsets.ISO_8859_1));
        h.putInt(4, stream ? 3 : 1);
        h.putInt(8, 1 | 2 | (stream ? (1 << 16) | (1 << 17) : 0));
        h.putLong(12, capacity);
        h.putLong(20, grain);
        h.putLong(28, 1);
        h.putLong(36, descriptorSectors);
        h.putInt(44, 512);
        h.putLong(48, stream ? 0 : rgd);
        h.putLong(56, gd);
        h.putLong(64, overhead);
        h.put(73, (byte) '\n').put(74, (byte) ' ').put(75, (byte) '\r').put(76, (byte) '\n');
        h.putShort(77, (short) (stream ? 1 : 0));
        return h;
    }

    /**
     * Hostile: a VMDK descriptor file (no binary header) of type monolithicFlat whose extent is the
     * host file {@code extentPath}; {@code padding} comment bytes are inserted first (oslo misread
     * descriptors longer than its first read as raw).
     */
    public static byte[] vmdkDescriptorFile(String extentPath, int padding) {
        StringBuilder text = new StringBuilder("# Disk DescriptorFile\n");
        while (padding > 0) {
            int n = Math.min(padding, 70);
            text.append('#').append("x".repeat(Math.max(0, n - 2))).append('\n');
            padding -= n;
        }
        text.append("version=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\n\n")
                .append("RW 2048 FLAT \"").append(extentPath).append("\" 0\n");
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- vdi

    /** A dynamic VDI (qemu's header layout, 1 MiB blocks, none allocated) of {@code virtualSize} bytes. */
    public static byte[] vdi(long virtualSize) {
        return vdi(virtualSize, false);
    }

    /** Hostile: a VDI differencing image (non-null parent UUID). */
    public static byte[] vdiWithParent(long virtualSize) {
        return vdi(virtualSize, true);
    }

    private static byte[] vdi(long virtualSize, boolean parent) {
        requireSectors(virtualSize);
        int block = 1024 * 1024;
        int blocks = (int) ((virtualSize + block - 1) / block);
        int bmap = (blocks * 4 + SECTOR - 1) / SECTOR * SECTOR;
        byte[] image = new byte[SECTOR + bmap];
        ByteBuffer b = le(image);
        b.put(0, "<<< QEMU VM Virtual Disk Image >>>\n".getBytes(StandardCharsets.ISO_8859_1));
        b.putInt(0x40, 0xBEDA107F);
        b.putInt(0x44, 0x00010001);
        b.putInt(0x48, 0x180);
        b.putInt(0x4C, 1);
        b.putInt(0x154, SECTOR);
        b.putInt(0x158, SECTOR + bmap);
        b.putInt(0x168, SECTOR);
        b.putLong(0x170, virtualSize);
        b.putInt(0x178, block);
        b.putInt(0x180, blocks);
        b.put(0x188, Bytes.guid("3F2504E0-4F89-41D3-9A0C-0305E82C3301"));
        if (parent) {
            b.put(0x1B8, Bytes.guid("3F2504E0-4F89-41D3-9A0C-0305E82C3302"));
        }
        Arrays.fill(image, SECTOR, SECTOR + blocks * 4, (byte) 0xFF);
        return image;
    }

    // ---------------------------------------------------------------- iso

    /**
     * An ISO 9660 image of {@code sectors} 2048-byte sectors (at least 19): primary volume
     * descriptor at sector 16, terminator at 17, an empty root directory at 18.
     */
    public static byte[] iso(int sectors) {
        requireAtLeast(sectors, 19, "sectors");
        byte[] image = new byte[sectors * 2048];
        ByteBuffer b = le(image);
        int pvd = 16 * 2048;
        b.put(pvd, (byte) 1).put(pvd + 1, "CD001".getBytes(StandardCharsets.ISO_8859_1)).put(pvd + 6, (byte) 1);
        b.put(pvd + 8, pad("LINUX", 32)).put(pvd + 40, pad("GLIMPSE_TEST", 32));
        bothEndian32(b, pvd + 80, sectors);
        bothEndian16(b, pvd + 120, 1);
        bothEndian16(b, pvd + 124, 1);
        bothEndian16(b, pvd + 128, 2048);
        // root directory record: extent at sector 18, one sector long
        int root = pvd + 156;
        b.put(root, (byte) 34);
        bothEndian32(b, root + 2, 18);
        bothEndian32(b, root + 10, 2048);
        b.put(root + 25, (byte) 2);
        bothEndian16(b, root + 28, 1);
        b.put(root + 32, (byte) 1);
        b.put(pvd + 881, (byte) 1);
        int terminator = 17 * 2048;
        b.put(terminator, (byte) 255).put(terminator + 1, "CD001".getBytes(StandardCharsets.ISO_8859_1))
                .put(terminator + 6, (byte) 1);
        // "." and ".." entries of the root directory
        for (int i = 0; i < 2; i++) {
            int at = 18 * 2048 + 34 * i;
            b.put(at, (byte) 34);
            bothEndian32(b, at + 2, 18);
            bothEndian32(b, at + 10, 2048);
            b.put(at + 25, (byte) 2);
            bothEndian16(b, at + 28, 1);
            b.put(at + 32, (byte) 1);
            b.put(at + 33, (byte) i);
        }
        return image;
    }

    /**
     * An ISO whose 32 KiB system area holds {@code systemArea} (at most 32768 bytes): an MBR makes
     * an isohybrid image (valid); another format's header makes a polyglot (hostile: qemu probing
     * the file would obey that header).
     */
    public static byte[] isoWithSystemArea(int sectors, byte[] systemArea) {
        if (systemArea.length > 16 * 2048) {
            throw new IllegalArgumentException("the system area holds 32768 bytes, not " + systemArea.length);
        }
        byte[] image = iso(sectors);
        System.arraycopy(systemArea, 0, image, 0, systemArea.length);
        return image;
    }

    // ---------------------------------------------------------------- refused formats

    /**
     * A QED image (64 KiB clusters, empty L1 table) of {@code virtualSize} bytes: valid, and refused
     * by the inspector ({@code unsupported_format}), since QED is deprecated and carries backing files.
     */
    public static byte[] qed(long virtualSize) {
        requireSectors(virtualSize);
        int cluster = 64 * 1024;
        int tableClusters = 4;
        byte[] image = new byte[cluster + tableClusters * cluster];
        ByteBuffer b = le(image);
        b.put(0, new byte[] {'Q', 'E', 'D', 0});
        b.putInt(4, cluster);
        b.putInt(8, tableClusters);
        b.putInt(12, 1);
        b.putLong(40, cluster);
        b.putLong(48, virtualSize);
        return image;
    }

    /**
     * An image in qemu's original qcow format (version 1; 4 KiB clusters, empty L1 table) of
     * {@code virtualSize} bytes: valid, and refused by the inspector ({@code unsupported_format}).
     */
    public static byte[] qcowVersion1(long virtualSize) {
        requireSectors(virtualSize);
        int clusterBits = 12;
        int l2Bits = 9;
        long l1Entries = (virtualSize + (1L << (clusterBits + l2Bits)) - 1) >> (clusterBits + l2Bits);
        int l1Offset = 512;
        byte[] image = new byte[(int) (l1Offset + (l1Entries * 8 + SECTOR - 1) / SECTOR * SECTOR)];
        ByteBuffer b = ByteBuffer.wrap(image);
        b.put(0, new byte[] {'Q', 'F', 'I', (byte) 0xFB});
        b.putInt(4, 1);
        b.putLong(24, virtualSize);
        b.put(32, (byte) clusterBits);
        b.put(33, (byte) l2Bits);
        b.putLong(40, l1Offset);
        return image;
    }

    // ---------------------------------------------------------------- hostile helpers

    /** Hostile: the first {@code length} bytes of {@code image} (a truncated header or footer). */
    public static byte[] truncated(byte[] image, int length) {
        return Arrays.copyOf(image, Math.min(length, image.length));
    }

    /**
     * Hostile polyglot: {@code image} with {@code overlay} written over it at {@code offset} (e.g. a
     * qcow2 header over a GPT disk's boot code, a VHD footer over the last sector of a raw disk).
     */
    public static byte[] overlay(byte[] image, int offset, byte[] overlay) {
        byte[] out = image.clone();
        System.arraycopy(overlay, 0, out, offset, Math.min(overlay.length, out.length - offset));
        return out;
    }

    /**
     * Hostile polyglot: a GPT disk of {@code size} bytes whose boot code begins with a VMDK sparse
     * header (the descriptor sector it points to is the GPT header).
     */
    public static byte[] vmdkInGpt(int size) {
        return overlay(rawWithGpt(size), 0, Arrays.copyOf(vmdkSparse(1 << 20), 80));
    }

    /**
     * Hostile polyglot: an ISO of {@code sectors} sectors whose system area starts with a qcow2
     * header; a probing qemu opens the file as qcow2.
     */
    public static byte[] qcow2InIso(int sectors) {
        return isoWithSystemArea(sectors, truncated(qcow2(1 << 20), 16 * 2048));
    }

    /** Hostile polyglot: a GPT disk whose last sector is a VHD footer that does not describe the file. */
    public static byte[] gptWithInconsistentVhdFooter(int size) {
        byte[] disk = rawWithGpt(size);
        return overlay(disk, size - SECTOR, vhdFooter(size * 2L, 2, -1L, "qem2"));
    }

    /** A fixed VHD whose disk is {@link #rawWithGpt} of {@code virtualSize} bytes (valid: reported as vhd). */
    public static byte[] vhdFixedWithGpt(int virtualSize) {
        byte[] disk = rawWithGpt(virtualSize);
        byte[] image = Arrays.copyOf(disk, virtualSize + SECTOR);
        System.arraycopy(vhdFooter(virtualSize, 2, -1L, "qem2"), 0, image, virtualSize, SECTOR);
        return image;
    }

    // ---------------------------------------------------------------- small helpers

    private static ByteBuffer le(byte[] data) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void bothEndian32(ByteBuffer b, int at, int value) {
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        b.order(ByteOrder.BIG_ENDIAN).putInt(at + 4, value);
        b.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void bothEndian16(ByteBuffer b, int at, int value) {
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
        b.order(ByteOrder.BIG_ENDIAN).putShort(at + 2, (short) value);
        b.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] pad(String text, int length) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) ' ');
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(bytes, 0, out, 0, Math.min(bytes.length, length));
        return out;
    }

    private static void requireSectors(long size) {
        if (size <= 0 || size % SECTOR != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of 512: " + size);
        }
    }

    private static void requireAtLeast(long value, long minimum, String name) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ": " + value);
        }
    }
}
