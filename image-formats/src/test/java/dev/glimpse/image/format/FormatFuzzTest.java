package dev.glimpse.image.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Jazzer fuzz targets for every disk-format parser family. Each target feeds bytes to
 * {@link FormatInspector} in seekable mode (an in-memory channel) and in streaming mode with
 * chunking chosen from the input, and checks the module's promise: the only exception that ever
 * escapes is {@link ImageFormatException}, and both modes agree (same inspection, or both refuse).
 * Any other exception, a hang or runaway memory is a finding.
 *
 * <p>The family targets write their format's magic at its offset before inspecting, so that the
 * fuzzer spends its time inside that parser rather than rediscovering the signature. Seeds (small
 * images made by qemu-img, crafted hostile headers) live in
 * {@code src/test/resources/dev/glimpse/image/format/FormatFuzzTestInputs/<target>/}; plain
 * {@code mvn test} replays them (regression mode), {@code mvn -Pfuzz test} fuzzes.
 */
class FormatFuzzTest {
    private static final FormatInspector INSPECTOR = FormatInspector.defaults();
    private static final int[] CHUNKS = {1, 3, 7, 64, 511, 512, 513, 4096, 65536};

    /** Inspects {@code image} both ways; rethrows anything but {@link ImageFormatException}. */
    static void inspectBothWays(byte[] image, int chunking) throws IOException {
        Inspection seekable = null;
        ImageFormatException seekableError = null;
        try {
            seekable = INSPECTOR.inspect(new SeekableInMemoryByteChannel(image));
        } catch (ImageFormatException e) {
            seekableError = e;
        }

        Inspection streamed = null;
        ImageFormatException streamedError = null;
        int chunk = CHUNKS[Math.floorMod(chunking, CHUNKS.length)];
        if (chunk < 512 && image.length > 64 * 1024) {
            // Tiny chunks over a large image cost seconds per execution and starve the fuzzer;
            // small images keep them, and an odd size still puts boundaries inside every header.
            chunk += 4096;
        }
        try {
            StreamingInspection streaming = INSPECTOR.startStreaming();
            for (int offset = 0; offset < image.length; offset += chunk) {
                streaming.update(image, offset, Math.min(chunk, image.length - offset));
            }
            streamed = streaming.finish();
        } catch (ImageFormatException e) {
            streamedError = e;
        }

        if (seekableError == null) {
            assertThat(streamedError).as("streaming refused what seekable accepted as %s", seekable).isNull();
            assertThat(streamed).as("streaming (chunks of %d) and seekable disagree", chunk).isEqualTo(seekable);
        } else {
            assertThat(streamedError).as("seekable refused (%s) but streaming accepted %s",
                    seekableError.getMessage(), streamed).isNotNull();
        }
    }

    /** Copies {@code data} into an image of at least {@code minLength} bytes at {@code at}, then writes {@code magic} at {@code magicOffset}. */
    static byte[] shaped(byte[] data, int at, int minLength, int magicOffset, byte[] magic) {
        byte[] image = new byte[Math.max(minLength, at + data.length)];
        System.arraycopy(data, 0, image, at, data.length);
        System.arraycopy(magic, 0, image, magicOffset, magic.length);
        return image;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static int chunking(byte[] data) {
        return data.length == 0 ? 0 : data[data.length - 1];
    }

    @FuzzTest(maxDuration = "1m")
    void anyBytes(byte[] data) throws IOException {
        inspectBothWays(data, chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void qcow2(byte[] data) throws IOException {
        // "QFI\xfb", then a big-endian version: 2 or 3 (docs/interop/qcow2.txt).
        byte version = (byte) (data.length > 7 && (data[7] & 1) == 0 ? 2 : 3);
        inspectBothWays(shaped(data, 0, 8, 0, new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, version}), chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void qcowAndQed(byte[] data) throws IOException {
        // Byte 1 picks the family: even ('F' of "QFI") is qcow v1, odd ('E' of "QED") is QED.
        byte[] magic = data.length > 1 && (data[1] & 1) == 0
                ? new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 1}
                : new byte[] {'Q', 'E', 'D', 0};
        inspectBothWays(shaped(data, 0, 8, 0, magic), chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void vhd(byte[] data) throws IOException {
        // A dynamic VHD starts with a copy of its footer; a fixed one has it only in its last 512 bytes.
        boolean fixed = data.length > 0 && (data[0] & 1) == 0;
        byte[] image = shaped(data, 0, 512, 0, ascii("conectix"));
        if (fixed) {
            image[0] = 0;
            System.arraycopy(ascii("conectix"), 0, image, image.length - 512, 8);
        }
        inspectBothWays(image, chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void vhdx(byte[] data) throws IOException {
        // File identifier at 0; the fuzzer's bytes land on the first header at 64 KiB ("head").
        byte[] image = shaped(data, 64 * 1024, 64 * 1024 + 4, 0, ascii("vhdxfile"));
        System.arraycopy(ascii("head"), 0, image, 64 * 1024, 4);
        inspectBothWays(image, chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void vmdk(byte[] data) throws IOException {
        boolean descriptor = data.length > 0 && data[0] == '#';
        byte[] image = descriptor
                ? shaped(data, 0, 21, 0, ascii("# Disk DescriptorFile"))
                : shaped(data, 0, 4, 0, ascii("KDMV"));
        inspectBothWays(image, chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void vdi(byte[] data) throws IOException {
        // Signature 0xbeda107f, little-endian, at offset 64.
        inspectBothWays(shaped(data, 0, 72, 64, new byte[] {0x7f, 0x10, (byte) 0xda, (byte) 0xbe}), chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void iso(byte[] data) throws IOException {
        // The first volume descriptor is at sector 16 (ECMA-119 8.1): type, "CD001", version.
        byte[] image = shaped(data, 32 * 1024, 32 * 1024 + 7, 32 * 1024 + 1, ascii("CD001"));
        inspectBothWays(image, chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void luks(byte[] data) throws IOException {
        inspectBothWays(shaped(data, 0, 8, 0, new byte[] {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe}), chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void partitionTables(byte[] data) throws IOException {
        // An MBR signature, and with it, half the time, a GPT header in LBA 1.
        byte[] image = shaped(data, 0, 1024, 510, new byte[] {0x55, (byte) 0xaa});
        if (data.length > 0 && (data[0] & 1) == 0) {
            System.arraycopy(ascii("EFI PART"), 0, image, 512, 8);
        }
        inspectBothWays(image, chunking(data));
    }

    @FuzzTest(maxDuration = "1m")
    void structured(FuzzedDataProvider provider) throws IOException {
        // Place two fuzzer-chosen magics at fuzzer-chosen sector offsets: polyglots and overlaps.
        byte[] image = new byte[provider.consumeInt(0, 256 * 1024)];
        String[] magics = {"QFI\u00fb", "conectix", "vhdxfile", "KDMV", "LUKS\u00ba\u00be", "QED\0", "CD001", "EFI PART"};
        for (int i = 0; i < 2 && image.length > 0; i++) {
            byte[] magic = ascii(magics[provider.consumeInt(0, magics.length - 1)]);
            int offset = provider.consumeInt(0, Math.max(0, image.length - magic.length) / 512) * 512;
            if (offset + magic.length <= image.length) {
                System.arraycopy(magic, 0, image, offset, magic.length);
            }
        }
        byte[] rest = provider.consumeBytes(Math.min(image.length, 64 * 1024));
        for (int i = 0; i < rest.length; i++) {
            image[(i * 8191) % image.length] ^= rest[i];
        }
        inspectBothWays(image, provider.consumeInt());
    }
}
