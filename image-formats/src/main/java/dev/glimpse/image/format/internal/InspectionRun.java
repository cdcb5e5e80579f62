package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import dev.glimpse.image.format.InspectionLimits;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One inspection: the single driver behind both modes. Every job (format parser or detail probe)
 * is a pure function of the bytes it reads through a {@link ByteSource}; when it asks for bytes
 * that have not arrived, the read throws {@link NotYet}, the driver remembers the region, captures
 * it as the stream passes, and runs the job again from the start once the region is complete.
 *
 * <p>Why one driver for both modes: seekable inspection is this same driver fed by
 * {@link #feedFrom(java.nio.channels.SeekableByteChannel)}, which reads only the bytes some job is
 * waiting for (the head, captured regions, the tail) and skips the rest. Streaming and seekable
 * inspection therefore cannot disagree, and because the driver splits every chunk at the ends of
 * the regions jobs wait for, jobs re-run at the same stream positions whatever the chunking.
 *
 * <p>Kept bytes: the first {@link #HEAD} bytes (every format's headers live there), the last
 * {@link #TAIL} bytes (footers: VHD, VMDK streamOptimized, DMG), and the regions jobs
 * asked for beyond the head, whose total is capped by {@link InspectionLimits#maxBytesRead()}. A job
 * that asks for bytes the stream has already passed without keeping them gets an
 * {@link ImageFormatException}: formats are parsed in file order, and a structure pointing backwards
 * is refused (oslo's misaligned-capture bug, Q14 in the reference notes, cannot happen).
 *
 * <p>Not thread-safe: one per inspection.
 */
final class InspectionRun {
    /** Bytes kept from the start of the image. */
    static final int HEAD = 64 * 1024;
    /**
     * Bytes kept from the end of the image, served once the stream has ended. The largest structure
     * read from the end is VMDK's 1536-byte footer (footer marker, header copy, end-of-stream
     * marker); VHD and DMG need 512. 4 KiB leaves room and keeps a seekable inspection of a large
     * file at the head plus 4 KiB, where 64 KiB cost 60 KiB more per inspection for nothing.
     */
    static final int TAIL = 4 * 1024;
    /** The most regions one job may ask for beyond the head, so a hostile table cannot cause endless re-runs. */
    static final int MAX_REGIONS_PER_JOB = 256;

    /** A unit of work: a parser or a probe. */
    interface Job {
        String name();

        Object run(ByteSource source) throws ImageFormatException;
    }

    /** The "not yet" signal: a job read bytes that have not arrived. Carries no stack trace, so it is cheap. */
    static final class NotYet extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final NotYet INSTANCE = new NotYet();

        private NotYet() {
            super("bytes not yet available", null, false, false);
        }
    }

    private static final class Region {
        final long start;
        final long end;
        final byte[] data;

        Region(long start, long end) {
            this.start = start;
            this.end = end;
            this.data = new byte[(int) (end - start)];
        }
    }

    private static final class JobState {
        final Job job;
        final List<Region> regions = new ArrayList<>();
        /** The stream offset whose arrival re-runs the job; -1 when not waiting for a region. */
        long awaitEnd = -1;
        boolean awaitEof;
        boolean done;
        @Nullable Object result;
        @Nullable ImageFormatException failure;

        JobState(Job job) {
            this.job = job;
        }
    }

    private final InspectionLimits limits;
    private final List<JobState> jobs = new ArrayList<>();
    private final List<Region> active = new ArrayList<>();
    private final byte[] head = new byte[HEAD];
    private final byte[] tail = new byte[TAIL];
    private long position;
    private boolean eof;
    private long captured;
    /** Cached {@link #nextEvent()}; recomputed only after a job ran, since only a run changes what jobs wait for. */
    private long nextEvent = -1;

    InspectionRun(List<? extends Job> jobs, InspectionLimits limits) {
        this.limits = limits;
        for (Job job : jobs) {
            this.jobs.add(new JobState(job));
        }
        // Every job starts now, before any byte: each registers what it needs first.
        for (JobState state : this.jobs) {
            run(state);
        }
    }

    long position() {
        return position;
    }

    boolean ended() {
        return eof;
    }

    /** Feeds the next bytes of the stream. */
    void feed(byte[] chunk, int offset, int length) {
        if (eof) {
            throw new IllegalStateException("the inspection has already finished");
        }
        while (length > 0) {
            if (nextEvent < 0) {
                nextEvent = nextEvent();
            }
            long next = nextEvent;
            int n = (int) Math.min(length, next - position);
            absorb(chunk, offset, n);
            offset += n;
            length -= n;
            position += n;
            if (position == next) {
                wake();
            }
        }
    }

    /**
     * Advances past {@code count} bytes that no job needs, without their content. Only the seekable
     * feeder calls this, and only over bytes outside the head, the tail and every waited-for region.
     */
    private void skip(long count) {
        position += count;
    }

    /** Ends the stream: re-runs every waiting job with the length known, and never says "not yet" again. */
    void end() {
        if (eof) {
            throw new IllegalStateException("finish() was already called");
        }
        eof = true;
        active.clear();
        for (JobState state : jobs) {
            if (!state.done) {
                run(state);
            }
            if (!state.done) {
                state.done = true;
                state.failure = new ImageFormatException(state.job.name() + ": inspection did not complete");
            }
        }
    }

    /** The outcome of the job at {@code index}: its result, or its failure thrown. */
    @Nullable Object outcome(int index) throws ImageFormatException {
        JobState state = jobs.get(index);
        if (state.failure != null) {
            throw state.failure;
        }
        return state.result;
    }

    /** Feeds the seekable channel through the driver, reading only what some job waits for. */
    void feedFrom(java.nio.channels.SeekableByteChannel channel) throws java.io.IOException {
        long length = channel.size();
        long tailStart = Math.max(0, length - TAIL);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 * 1024);
        while (position < length) {
            long needed = Math.min(nextNeeded(), tailStart);
            if (needed > position) {
                skip(needed - position);
                continue;
            }
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), length - position));
            channel.position(position);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new java.io.EOFException("the channel ended at " + (position + buffer.position())
                            + " bytes but reported a size of " + length);
                }
            }
            feed(buffer.array(), 0, buffer.position());
        }
        end();
    }

    /** The next offset whose bytes some job needs: the head, or the start of a waited-for region. */
    private long nextNeeded() {
        if (position < HEAD) {
            return position;
        }
        long needed = Long.MAX_VALUE;
        for (Region region : active) {
            if (region.end > position) {
                needed = Math.min(needed, Math.max(region.start, position));
            }
        }
        return needed;
    }

    private long nextEvent() {
        long next = Long.MAX_VALUE;
        for (JobState state : jobs) {
            if (!state.done && state.awaitEnd > position) {
                next = Math.min(next, state.awaitEnd);
            }
        }
        return next;
    }

    private void absorb(byte[] chunk, int offset, int n) {
        if (n == 0) {
            return;
        }
        long start = position;
        long end = position + n;
        if (start < HEAD) {
            int count = (int) Math.min(n, HEAD - start);
            System.arraycopy(chunk, offset, head, (int) start, count);
        }
        if (!active.isEmpty()) {
            for (int i = active.size() - 1; i >= 0; i--) {
                Region region = active.get(i);
                long from = Math.max(start, region.start);
                long to = Math.min(end, region.end);
                if (from < to) {
                    System.arraycopy(chunk, offset + (int) (from - start), region.data, (int) (from - region.start),
                            (int) (to - from));
                }
                if (region.end <= end) {
                    active.remove(i);
                }
            }
        }
        // The tail ring is indexed by absolute offset; only the last TAIL bytes of the chunk matter.
        int keep = Math.min(n, TAIL);
        long from = end - keep;
        int src = offset + n - keep;
        while (keep > 0) {
            int slot = (int) (from % TAIL);
            int count = Math.min(keep, TAIL - slot);
            System.arraycopy(chunk, src, tail, slot, count);
            src += count;
            from += count;
            keep -= count;
        }
    }

    private void wake() {
        for (JobState state : jobs) {
            if (!state.done && state.awaitEnd >= 0 && state.awaitEnd <= position) {
                run(state);
            }
        }
    }

    private void run(JobState state) {
        nextEvent = -1;
        state.awaitEnd = -1;
        state.awaitEof = false;
        try {
            state.result = state.job.run(new Source(state));
            state.done = true;
        } catch (NotYet waiting) {
            // the Source recorded what the job waits for
        } catch (ImageFormatException e) {
            state.failure = e;
            state.done = true;
        } catch (RuntimeException | StackOverflowError e) {
            // A parser bug must still surface as a format refusal, never as another exception.
            state.failure = new ImageFormatException(
                    state.job.name() + ": malformed input could not be parsed (" + e + ")", e);
            state.done = true;
        }
        if (state.done) {
            // Its captured bytes are no longer needed.
            active.removeAll(state.regions);
            state.regions.clear();
        }
    }

    /**
     * Copies [from, to) out of the kept bytes visible to {@code state}: the head, its own regions,
     * and (once the stream has ended) the tail. Returns null if any byte was not kept.
     */
    private byte @Nullable [] assemble(JobState state, long from, long to) {
        byte[] out = new byte[(int) (to - from)];
        long cursor = from;
        while (cursor < to) {
            long best = cursor;
            int source = -2;
            Region bestRegion = null;
            long headEnd = Math.min(position, HEAD);
            if (cursor < headEnd && headEnd > best) {
                best = headEnd;
                source = -1;
            }
            for (Region region : state.regions) {
                long valid = Math.min(region.end, position);
                if (region.start <= cursor && cursor < valid && valid > best) {
                    best = valid;
                    bestRegion = region;
                    source = 0;
                }
            }
            long tailStart = Math.max(0, position - TAIL);
            if (eof && cursor >= tailStart && position > best) {
                best = position;
                source = 1;
                bestRegion = null;
            }
            if (source == -2) {
                return null;
            }
            long stop = Math.min(best, to);
            int count = (int) (stop - cursor);
            int at = (int) (cursor - from);
            if (source == -1) {
                System.arraycopy(head, (int) cursor, out, at, count);
            } else if (source == 0) {
                System.arraycopy(bestRegion.data, (int) (cursor - bestRegion.start), out, at, count);
            } else {
                for (int i = 0; i < count; i++) {
                    out[at + i] = tail[(int) ((cursor + i) % TAIL)];
                }
            }
            cursor = stop;
        }
        return out;
    }

    /** The view one run of one job reads through. */
    private final class Source implements ByteSource {
        private final JobState state;

        Source(JobState state) {
            this.state = state;
        }

        @Override
        public Bytes read(long offset, int length) throws ImageFormatException {
            Bytes bytes = readUpTo(offset, length);
            if (bytes.length() < length) {
                throw new ImageFormatException(state.job.name() + ": truncated: needed " + length
                        + " bytes at offset " + offset + " but the image is only " + position + " bytes long");
            }
            return bytes;
        }

        @Override
        public Bytes readUpTo(long offset, int length) throws ImageFormatException {
            if (offset < 0 || length < 0 || offset > Long.MAX_VALUE - length) {
                throw new ImageFormatException(
                        state.job.name() + ": invalid read of " + length + " bytes at offset " + offset);
            }
            if (length > limits.maxRegionSize()) {
                throw new ImageFormatException(state.job.name() + ": a read of " + length + " bytes at offset "
                        + offset + " exceeds the region limit of " + limits.maxRegionSize() + " bytes");
            }
            long end = offset + length;
            if (eof) {
                long available = Math.min(end, position);
                if (available <= offset) {
                    return Bytes.wrap(new byte[0], offset);
                }
                return served(offset, available);
            }
            if (end <= position) {
                return served(offset, end);
            }
            // Some bytes are still to come. Those already passed must have been kept.
            if (offset < position && assemble(state, offset, position) == null) {
                throw backwards(offset, length);
            }
            state.awaitEnd = end;
            if (end > HEAD) {
                long start = Math.max(offset, position);
                if (state.regions.size() >= MAX_REGIONS_PER_JOB) {
                    throw new ImageFormatException(state.job.name() + ": structure needs more than "
                            + MAX_REGIONS_PER_JOB + " separate regions of the image");
                }
                if (captured + (end - start) > limits.maxBytesRead()) {
                    throw new ImageFormatException(state.job.name() + ": inspection would read more than the limit of "
                            + limits.maxBytesRead() + " bytes (maxBytesRead)");
                }
                captured += end - start;
                Region region = new Region(start, end);
                state.regions.add(region);
                active.add(region);
            }
            throw NotYet.INSTANCE;
        }

        private Bytes served(long from, long to) throws ImageFormatException {
            byte[] data = assemble(state, from, to);
            if (data == null) {
                throw backwards(from, (int) (to - from));
            }
            return Bytes.wrap(data, from);
        }

        private ImageFormatException backwards(long offset, int length) {
            return new ImageFormatException(state.job.name() + ": structure of " + length + " bytes at offset "
                    + offset + " lies behind data already read; out-of-order layouts are refused");
        }

        @Override
        public long length() {
            if (!eof) {
                state.awaitEof = true;
                throw NotYet.INSTANCE;
            }
            return position;
        }

        @Override
        public InspectionLimits limits() {
            return limits;
        }
    }
}
