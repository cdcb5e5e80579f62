package dev.glimpse.image.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glimpse.image.format.testing.TestImages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One test per structural rule: a valid image with one field broken is refused, naming the rule. */
class FormatRulesTest {
    @TempDir
    Path dir;

    private static final int MIB = 1024 * 1024;

    private static Arguments rule(String name, byte[] image, Consumer<ByteBuffer> edit, String message) {
        return Arguments.of(name, image, edit, message);
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Recomputes a VHDX CRC-32C (checksum at offset 4 of the structure). */
    private static void vhdxCrc(ByteBuffer b, int at, int length) {
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(at + 4, 0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), at, length);
        b.putInt(at + 4, (int) crc.getValue());
    }

    static Stream<Arguments> rules() {
        byte[] qcow2 = TestImages.qcow2(1 << 30);
        byte[] vhdx = TestImages.vhdx(1 << 30);
        byte[] vmdk = TestImages.vmdkSparse(MIB);
        byte[] vdi = TestImages.vdi(MIB);
        byte[] iso = TestImages.iso(40);
        byte[] vhd = TestImages.vhdDynamic(MIB);
        return Stream.of(
                rule("qcow2 version 4", qcow2, b -> b.putInt(4, 4), "unsupported version 4"),
                rule("qcow2 cluster bits 22", qcow2, b -> b.putInt(20, 22), "cluster_bits 22"),
                rule("qcow2 header length 100", qcow2, b -> b.putInt(100, 100), "header length 100"),
                rule("qcow2 compression type 2", qcow2, b -> b.put(104, (byte) 2), "compression type 2"),
                rule("qcow2 zstd without bit 3", qcow2, b -> b.put(104, (byte) 1), "disagrees"),
                rule("qcow2 refcount order 7", qcow2, b -> b.putInt(96, 7), "refcount order 7"),
                rule("qcow2 L1 too small", qcow2, b -> b.putInt(36, 1), "L1 table"),
                rule("qcow2 no refcount clusters", qcow2, b -> b.putInt(56, 0), "refcount table"),
                rule("qcow2 negative size", qcow2, b -> b.putLong(24, -1), "out of range"),
                rule("qcow2 crypt method 3", qcow2, b -> b.putInt(32, 3), "encryption method 3"),
                rule("qcow2 extension past cluster", qcow2, b -> b.putInt(112, 0x12345678).putInt(116, 1 << 20), "runs past"),
                rule("vhdx region table crc", vhdx, b -> b.put(192 * 1024 + 100, (byte) 1), "region table checksum"),
                rule("vhdx metadata signature", vhdx, b -> b.put(3 * MIB, (byte) 'X'), "metadata table"),
                rule("vhdx log to replay", vhdx, b -> {
                    for (int at : new int[] {64 * 1024, 128 * 1024}) {
                        b.put(at + 48, (byte) 1);
                        vhdxCrc(b, at, 4096);
                    }
                }, "log must be replayed"),
                rule("vhdx logical sector 4096", vhdx, b -> le(b).putInt(3 * MIB + 64 * 1024 + 3 * 4096, 4096), "logical sector size 4096"),
                rule("vhdx block size 3 MiB", vhdx, b -> le(b).putInt(3 * MIB + 64 * 1024, 3 * MIB), "block size"),
                rule("vhdx unknown required item", vhdx, b -> b.put(3 * MIB + 32 + 32 * 2, (byte) 0x55), "unknown required metadata item"),
                rule("vhdx unknown required region", vhdx, b -> {
                    b.put(192 * 1024 + 16, (byte) 0x55);
                    vhdxCrc(b, 192 * 1024, 64 * 1024);
                }, "unknown required region"),
                rule("vhdx misaligned region", vhdx, b -> {
                    le(b).putLong(192 * 1024 + 16 + 16, 2 * MIB + 4096);
                    vhdxCrc(b, 192 * 1024, 64 * 1024);
                }, "not 1 MiB aligned"),
                rule("vmdk version 4", vmdk, b -> le(b).putInt(4, 4), "unsupported version 4"),
                rule("vmdk descriptor at sector 2", vmdk, b -> le(b).putLong(28, 2), "sector 2"),
                rule("vmdk descriptor too big", vmdk, b -> le(b).putLong(36, 4096), "exceeds"),
                rule("vmdk grain size 3", vmdk, b -> le(b).putLong(20, 3), "grain size"),
                rule("vmdk line endings", vmdk, b -> b.put(75, (byte) '\n'), "line-ending"),
                rule("vmdk no extents", vmdk, b -> b.put(new String(b.array(), StandardCharsets.ISO_8859_1).indexOf("RW "), (byte) '#'), "no extents"),
                rule("vdi version 1.0", vdi, b -> le(b).putInt(0x44, 0x00010000), "unsupported version"),
                rule("vdi sector size 4096", vdi, b -> le(b).putInt(0x168, 4096), "sector size 4096"),
                rule("vdi block size", vdi, b -> le(b).putInt(0x178, 2 * MIB), "block size"),
                rule("vdi disk bigger than blocks", vdi, b -> le(b).putLong(0x170, 2L * MIB), "exceeds"),
                rule("vdi unknown type", vdi, b -> le(b).putInt(0x4C, 9), "image type 9"),
                rule("iso both-endian mismatch", iso, b -> b.put(16 * 2048 + 84, (byte) 7), "both-endian"),
                rule("iso block size 4096", iso, b -> {
                    le(b).putShort(16 * 2048 + 128, (short) 4096);
                    b.order(ByteOrder.BIG_ENDIAN).putShort(16 * 2048 + 130, (short) 4096);
                }, "logical block size 4096"),
                rule("iso no terminator", iso, b -> b.put(17 * 2048 + 1, (byte) 'X'), "terminator"),
                rule("iso descriptor version", iso, b -> b.put(16 * 2048 + 6, (byte) 2), "version 2"),
                rule("vhd cxsparse", vhd, b -> b.put(512, (byte) 'X'), "cxsparse"),
                rule("vhd block size", vhd, b -> b.putInt(512 + 32, 1000), "block size 1000"),
                rule("vhd footer copy differs", vhd, b -> b.put(b.capacity() - 512 + 100, (byte) 1), "differs"),
                rule("vhd type 2 at the start", vhd, b -> b.put(63, (byte) 2).put(67, (byte) (b.get(67) + 1)), "disk type 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void brokenFieldIsRefused(String name, byte[] valid, Consumer<ByteBuffer> edit, String message) throws Exception {
        assertThat(Modes.quick(dir, "valid", valid).inspection()).as("the unbroken image passes").isNotNull();
        byte[] broken = valid.clone();
        edit.accept(ByteBuffer.wrap(broken));
        Modes.Outcome outcome = Modes.all(dir, "broken", broken);
        assertThat(outcome.inspection()).as("%s must be refused", name).isNull();
        assertThat(outcome.refusal()).contains(message);
    }

    static Stream<Arguments> refused() {
        byte[] luks2 = new byte[8192];
        ByteBuffer.wrap(luks2).put(new byte[] {'L', 'U', 'K', 'S', (byte) 0xBA, (byte) 0xBE, 0, 2});
        byte[] dmg = TestImages.raw(8192);
        System.arraycopy("koly".getBytes(StandardCharsets.ISO_8859_1), 0, dmg, 8192 - 512, 4);
        byte[] parallels = new byte[4096];
        System.arraycopy("WithoutFreeSpace".getBytes(StandardCharsets.ISO_8859_1), 0, parallels, 0, 16);
        byte[] bochs = new byte[4096];
        System.arraycopy("Bochs Virtual HD Image".getBytes(StandardCharsets.ISO_8859_1), 0, bochs, 0, 22);
        return Stream.of(Arguments.of("luks", luks2), Arguments.of("dmg", dmg), Arguments.of("parallels", parallels),
                Arguments.of("bochs", bochs));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void formatsQemuWouldProbeAreRecognisedAndUnsupported(String format, byte[] image) throws Exception {
        Inspection inspection = Modes.all(dir, format, image).get();
        assertThat(inspection.format()).isEqualTo(format);
        assertThat(inspection.violations()).extracting(SafetyViolation::code).contains("unsupported_format");
    }
}
