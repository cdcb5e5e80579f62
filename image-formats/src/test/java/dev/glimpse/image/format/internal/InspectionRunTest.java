package dev.glimpse.image.format.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.InspectionLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The driver on its own, with synthetic jobs: chunking independence, ordering, limits, containment of bugs. */
class InspectionRunTest {
    private static final int[] CHUNKS = {1, 17, 512, 4096, 65536, 1 << 20};

    interface Body {
        Object run(ByteSource source) throws ImageFormatException;
    }

    private static InspectionRun.Job job(Body body) {
        return new InspectionRun.Job() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public Object run(ByteSource source) throws ImageFormatException {
                return body.run(source);
            }
        };
    }

    private static byte[] pattern(int size) {
        byte[] data = new byte[size];
        new Random(7).nextBytes(data);
        return data;
    }

    /** Runs the job over data in every chunking and seekably; all outcomes must agree. Returns it (or the failure text). */
    private static Object everyWay(byte[] data, InspectionLimits limits, Body body) throws IOException {
        List<Object> outcomes = new ArrayList<>();
        for (int chunk : CHUNKS) {
            InspectionRun run = new InspectionRun(List.of(job(body)), limits);
            for (int at = 0; at < data.length; at += chunk) {
                run.feed(data, at, Math.min(chunk, data.length - at));
            }
            run.end();
            outcomes.add(outcome(run));
        }
        InspectionRun seekable = new InspectionRun(List.of(job(body)), limits);
        seekable.feedFrom(new ArrayChannel(data));
        outcomes.add(outcome(seekable));
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isEqualTo(outcomes.get(0)));
        return outcomes.get(0);
    }

    private static Object outcome(InspectionRun run) {
        try {
            return run.outcome(0);
        } catch (ImageFormatException e) {
            return "refused: " + e.getMessage();
        }
    }

    @Test
    void regionsAnywhereInTheStreamAreServedAlikeInEveryMode() throws Exception {
        byte[] data = pattern(3 * 1024 * 1024 + 123);
        Object result = everyWay(data, InspectionLimits.defaults(), source -> {
            long sum = 0;
            sum += source.read(10, 100).u32le(0);
            sum += source.read(65_530, 20).u32le(4);
            sum += source.read(70_000, 8).u64le(0);
            sum += source.read(2_000_000, 4096).u32le(4000);
            long length = source.length();
            sum += source.read(length - 600, 600).u32le(500);
            sum += source.readUpTo(length - 4, 100).length();
            return sum + ":" + length;
        });
        ByteBuffer b = ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long expected = (b.getInt(10) & 0xFFFFFFFFL) + b.getLong(70_000) + (b.getInt(65_534) & 0xFFFFFFFFL)
                + (b.getInt(2_004_000) & 0xFFFFFFFFL) + (b.getInt(data.length - 100) & 0xFFFFFFFFL) + 4;
        assertThat(result).isEqualTo(expected + ":" + data.length);
    }

    @Test
    void aStructurePointingBackwardsIsRefusedInEveryMode() throws Exception {
        byte[] data = pattern(1 << 20);
        Object result = everyWay(data, InspectionLimits.defaults(), source -> {
            source.read(500_000, 16);
            return source.read(200_000, 16);
        });
        assertThat(result.toString()).startsWith("refused:").contains("behind data already read");
    }

    @Test
    void readsPastTheEndAreTruncationNotCrashes() throws Exception {
        byte[] data = pattern(70_000);
        assertThat(everyWay(data, InspectionLimits.defaults(), source -> source.read(69_990, 100)).toString())
                .contains("truncated");
        assertThat(everyWay(data, InspectionLimits.defaults(), source -> source.readUpTo(1L << 40, 100).length()))
                .isEqualTo(0);
        assertThat(everyWay(data, InspectionLimits.defaults(), source -> source.read(Long.MAX_VALUE - 5, 100)).toString())
                .contains("invalid read");
    }

    @Test
    void theByteBudgetAndRegionLimitsAreEnforced() throws Exception {
        byte[] data = pattern(1 << 20);
        InspectionLimits limits = new InspectionLimits(200_000, 150_000, 4096, 4096);
        assertThat(everyWay(data, limits, source -> source.read(100_000, 150_001)).toString()).contains("region limit");
        assertThat(everyWay(data, limits, source -> {
            source.read(100_000, 150_000);
            return source.read(300_000, 100_000);
        }).toString()).contains("maxBytesRead");
        assertThat(everyWay(data, InspectionLimits.defaults(), source -> {
            for (int i = 0; i < 1000; i++) {
                source.read(70_000 + i * 10L, 1);
            }
            return "done";
        }).toString()).contains("separate regions");
    }

    @Test
    void aParserBugBecomesAFormatRefusal() throws Exception {
        Object result = everyWay(pattern(1000), InspectionLimits.defaults(), source -> {
            int[] array = new int[1];
            return array[source.read(0, 1).u8(0) + 5];
        });
        assertThat(result.toString()).startsWith("refused:").contains("ArrayIndexOutOfBounds");
    }

    @Test
    void finishingTwiceOrFeedingAfterTheEndIsAnError() throws Exception {
        InspectionRun run = new InspectionRun(List.of(job(source -> "x")), InspectionLimits.defaults());
        run.end();
        assertThatThrownBy(run::end).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> run.feed(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    /** A read-only in-memory channel. */
    static final class ArrayChannel implements SeekableByteChannel {
        private final byte[] data;
        private long position;

        ArrayChannel(byte[] data) {
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= data.length) {
                return -1;
            }
            // at most 1000 bytes per call: the driver must cope with short reads
            int n = (int) Math.min(Math.min(dst.remaining(), 1000), data.length - position);
            dst.put(data, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }
}
