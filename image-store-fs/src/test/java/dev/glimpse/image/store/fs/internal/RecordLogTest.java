package dev.glimpse.image.store.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.store.fs.CatalogueLockedException;
import dev.glimpse.image.store.fs.CorruptCatalogueException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordLogTest {
    @TempDir
    static Path tempRoot;

    /** Every test runs on the real disk and on Jimfs. */
    static Stream<Arguments> roots() throws IOException {
        FileSystem jimfs = Jimfs.newFileSystem(Configuration.unix());
        return Stream.of(Arguments.of("disk", Files.createTempDirectory(tempRoot, "log")),
                Arguments.of("jimfs", jimfs.getPath("/catalogue")));
    }

    private static List<String> replay(Path dir) throws IOException {
        List<String> records = new ArrayList<>();
        try (RecordLog log = RecordLog.open(dir, p -> records.add(new String(p, StandardCharsets.UTF_8)))) {
            return records;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void appendedRecordsReplayInOrder(String name, Path dir) throws IOException {
        try (RecordLog log = RecordLog.open(dir, p -> { })) {
            for (int i = 0; i < 100; i++) {
                log.append(utf8("record " + i + " " + "x".repeat(i * 100)));
            }
        }
        List<String> records = replay(dir);
        assertThat(records).hasSize(100);
        assertThat(records.get(42)).startsWith("record 42 ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void everyTornTailIsTruncatedAndLaterAppendsSurvive(String name, Path dir) throws IOException {
        try (RecordLog log = RecordLog.open(dir, p -> { })) {
            log.append(utf8("first"));
            log.append(utf8("second"));
        }
        Path file = dir.resolve("catalogue.log");
        byte[] whole = Files.readAllBytes(file);
        int lastFrame = 8 + "second".length();
        for (int cut = 1; cut < lastFrame; cut++) {
            Files.write(file, java.util.Arrays.copyOf(whole, whole.length - cut));
            assertThat(replay(dir)).as("cut %d", cut).containsExactly("first");
            try (RecordLog log = RecordLog.open(dir, p -> { })) {
                log.append(utf8("third"));
            }
            assertThat(replay(dir)).as("cut %d", cut).containsExactly("first", "third");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void zerosAfterTheLastRecordAreATornTail(String name, Path dir) throws IOException {
        try (RecordLog log = RecordLog.open(dir, p -> { })) {
            log.append(utf8("first"));
        }
        try (FileChannel channel = FileChannel.open(dir.resolve("catalogue.log"), StandardOpenOption.APPEND)) {
            channel.write(java.nio.ByteBuffer.allocate(4096));
        }
        assertThat(replay(dir)).containsExactly("first");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void damageBeforeCommittedRecordsRefusesToOpen(String name, Path dir) throws IOException {
        try (RecordLog log = RecordLog.open(dir, p -> { })) {
            log.append(utf8("first record"));
            log.append(utf8("second record"));
        }
        Path file = dir.resolve("catalogue.log");
        byte[] bytes = Files.readAllBytes(file);
        int header = "GLIMPSE-LOG 1\n".length();
        bytes[header + 8 + 2] ^= 0x40; // inside the first record's payload
        Files.write(file, bytes);
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(CorruptCatalogueException.class)
                .hasMessageContaining("damaged at offset " + header);
        // Nothing was truncated by the failed open.
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void foreignFileIsRefused(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("catalogue.log"), "this is not a catalogue at all");
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(CorruptCatalogueException.class)
                .hasMessageContaining("bad header");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void compactionReplacesTheLogWithASnapshot(String name, Path dir) throws IOException {
        try (RecordLog log = RecordLog.open(dir, p -> { })) {
            log.append(utf8("a1"));
            log.append(utf8("a2"));
            log.compact(List.of(utf8("snap-a"), utf8("snap-b")));
            log.append(utf8("after"));
            assertThat(log.snapshotSize()).isPositive();
        }
        assertThat(replay(dir)).containsExactly("snap-a", "snap-b", "after");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void crashBetweenSnapshotRenameAndLogTruncationReplaysBoth(String name, Path dir) throws IOException {
        Path file = dir.resolve("catalogue.log");
        byte[] oldLog;
        try (RecordLog log = RecordLog.open(dir, p -> { })) {
            log.append(utf8("a1"));
            oldLog = Files.readAllBytes(file);
            log.compact(List.of(utf8("snap")));
        }
        Files.write(file, oldLog); // as if the truncation never happened
        Files.writeString(dir.resolve("catalogue.snapshot.tmp"), "half a snapshot");
        assertThat(replay(dir)).containsExactly("snap", "a1");
        assertThat(dir.resolve("catalogue.snapshot.tmp")).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void secondWriterIsRefusedUntilTheFirstCloses(String name, Path dir) throws IOException {
        try (RecordLog first = RecordLog.open(dir, p -> { })) {
            first.append(utf8("x"));
            assertThatThrownBy(() -> RecordLog.open(dir, p -> { }))
                    .isInstanceOf(CatalogueLockedException.class)
                    .hasMessageContaining("already open for writing")
                    .hasMessageContaining("already open for writing");
        }
        assertThat(replay(dir)).containsExactly("x");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roots")
    void failingReplayClosesAndReleasesTheLock(String name, Path dir) throws IOException {
        try (RecordLog log = RecordLog.open(dir, p -> { })) {
            log.append(utf8("x"));
        }
        assertThatThrownBy(() -> RecordLog.open(dir, p -> {
            throw new IOException("bad record");
        })).hasMessage("bad record");
        assertThat(replay(dir)).containsExactly("x");
    }
}
