package dev.glimpse.image.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.format.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The public entry point: every input kind gives the same answer, on Jimfs as on the real disk. */
class FormatInspectorTest {

    static Stream<Supplier<byte[]>> images() {
        return Stream.of(
                () -> TestImages.qcow2(1 << 30),
                () -> TestImages.vhdDynamic(1 << 20),
                () -> TestImages.vhdFixed(1 << 20),
                () -> TestImages.vhdx(1 << 20),
                () -> TestImages.vmdkStreamOptimizedWithFooter(1 << 20),
                () -> TestImages.vdi(1 << 20),
                () -> TestImages.iso(40),
                () -> TestImages.rawWithGpt(1 << 17),
                () -> TestImages.truncated(TestImages.qcow2(1 << 20), 50));
    }

    /** One byte per read(), as a slow network stream delivers it. */
    static final class OneByteAtATime extends FilterInputStream {
        OneByteAtATime(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
        }

        @Override
        public long skip(long n) {
            return 0;
        }
    }

    @ParameterizedTest
    @MethodSource("images")
    void pathsOnJimfsStreamsAndBuffersAgree(Supplier<byte[]> builder) throws Exception {
        byte[] image = builder.get();
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path path = fs.getPath("/image");
            Files.write(path, image);
            Object fromPath = outcome(() -> FormatInspector.defaults().inspect(path));
            Object fromStream = outcome(() -> FormatInspector.defaults().inspect(new ByteArrayInputStream(image)));
            Object fromSlowStream = outcome(() ->
                    FormatInspector.defaults().inspect(new OneByteAtATime(new ByteArrayInputStream(image))));
            Object fromDirectBuffers = outcome(() -> {
                StreamingInspection inspection = FormatInspector.defaults().startStreaming();
                ByteBuffer direct = ByteBuffer.allocateDirect(5000);
                for (int at = 0; at < image.length; at += 5000) {
                    direct.clear();
                    direct.put(image, at, Math.min(5000, image.length - at)).flip();
                    inspection.update(direct);
                    assertThat(direct.hasRemaining()).isFalse();
                }
                return inspection.finish();
            });
            assertThat(List.of(fromStream, fromSlowStream, fromDirectBuffers)).containsOnly(fromPath);
        }
    }

    interface Call {
        Inspection call() throws IOException;
    }

    private static Object outcome(Call call) throws IOException {
        try {
            return call.call();
        } catch (ImageFormatException e) {
            return e.getMessage();
        }
    }

    @Test
    void inspectionReadsOnlyTheRegionsFormatsNeed() throws Exception {
        // Beyond the first 64 KiB and the last 4 KiB, which are always kept, most formats need nothing more.
        FormatInspector frugal = FormatInspector.withLimits(new InspectionLimits(16384, 16384, 16384, 4096));
        for (byte[] image : List.of(java.util.Arrays.copyOf(TestImages.vdi(1 << 20), 2 << 20),
                java.util.Arrays.copyOf(TestImages.qcow2(1 << 20), 2 << 20), TestImages.vmdkSparse(2 << 20),
                TestImages.vhdDynamic(1L << 40), TestImages.iso(1000),
                TestImages.rawWithGpt(2 << 20), TestImages.raw(2 << 20))) {
            assertThat(frugal.inspect(new ByteArrayInputStream(image)).isSafe()).isTrue();
        }
        // VHDX: headers at 64 and 128 KiB, the region table, the metadata table and its items.
        FormatInspector vhdx = FormatInspector.withLimits(new InspectionLimits(4 * 4096 + 2 * 65536 + 5 * 4096, 65536, 4096, 4096));
        assertThat(vhdx.inspect(new ByteArrayInputStream(TestImages.vhdx(1 << 30))).format()).isEqualTo("vhdx");
    }

    @Test
    void ioErrorsAreNotFormatErrors() {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            assertThatThrownBy(() -> FormatInspector.defaults().inspect(fs.getPath("/missing")))
                    .isInstanceOf(NoSuchFileException.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        assertThatThrownBy(() -> FormatInspector.defaults().inspect(failing))
                .isInstanceOf(IOException.class).isNotInstanceOf(ImageFormatException.class);
    }

    @ParameterizedTest
    @MethodSource("images")
    void aChunkBoundaryAtEveryOffsetOfTheHeadersChangesNothing(Supplier<byte[]> builder) throws Exception {
        byte[] image = builder.get();
        Object expected = outcome(() -> FormatInspector.defaults().inspect(new ByteArrayInputStream(image)));
        // every offset of the first sectors (headers) and of the last ones (footers); big images more sparsely
        int stride = image.length > (1 << 20) ? 13 : 1;
        java.util.SortedSet<Integer> cuts = new java.util.TreeSet<>();
        for (int cut = 0; cut <= Math.min(image.length, 1100); cut += stride) {
            cuts.add(cut);
            cuts.add(Math.max(0, image.length - cut));
        }
        for (int cut : cuts) {
            int at = cut;
            Object split = outcome(() -> {
                StreamingInspection inspection = FormatInspector.defaults().startStreaming();
                inspection.update(image, 0, at);
                inspection.update(image, at, image.length - at);
                return inspection.finish();
            });
            assertThat(split).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void streamingRejectsMisuse() throws Exception {
        StreamingInspection inspection = FormatInspector.defaults().startStreaming();
        assertThatThrownBy(() -> inspection.update(new byte[10], 5, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        inspection.update(new byte[10], 0, 10);
        assertThat(inspection.finish().format()).isEqualTo("raw");
        assertThatThrownBy(inspection::finish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> inspection.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a hang guard, not a speed assertion: reading 1 TiB would never finish
    void aTerabyteImageCostsWhatAMegabyteOneDoes() throws Exception {
        // Sparse files: the seekable inspector reads the head, the regions parsers ask for and the tail.
        Path dir = Files.createTempDirectory("glimpse-big");
        try {
            Path raw = dir.resolve("big.raw");
            try (var channel = Files.newByteChannel(raw, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
                channel.position((1L << 40) - 1);
                channel.write(ByteBuffer.wrap(new byte[1]));
            }
            Inspection inspection = FormatInspector.defaults().inspect(raw);
            assertThat(inspection.format()).isEqualTo("raw");
            assertThat(inspection.virtualSize()).hasValue(1L << 40);
            assertThat(inspection.actualSize()).isEqualTo(1L << 40);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
