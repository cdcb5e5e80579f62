package dev.glimpse.image.store.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glimpse.image.Image;
import dev.glimpse.image.ImageMember;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.store.fs.FileImageRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalogue written in the older JSON records opens unchanged and turns binary when compacted. */
class JsonCatalogueUpgradeTest {
    @TempDir
    Path dir;

    private static Image image(String name) {
        return Image.builder().id(UUID.randomUUID().toString()).name(name).createdAt(Instant.EPOCH)
                .updatedAt(Instant.EPOCH).property("k", name).addTag("t").version(1).build();
    }

    @Test
    void jsonRecordsInSnapshotAndLogAreReadThenRewrittenAsBinary() throws Exception {
        Image inSnapshot = image("snap");
        Image inLog = image("log");
        Image purged = image("gone");
        ImageMember member = new ImageMember(inSnapshot.id(), "p2", MemberStatus.ACCEPTED, Instant.EPOCH,
                Instant.EPOCH);
        try (RecordLog log = RecordLog.open(dir, payload -> { })) {
            log.compact(List.of(RecordCodec.imageJson(inSnapshot), RecordCodec.imageJson(purged)));
            log.append(RecordCodec.imageJson(inLog));
            log.append(RecordCodec.memberJson(member));
            log.append(RecordCodec.purgeJson(purged.id()));
        }
        try (FileImageRepository repository = FileImageRepository.open(dir)) {
            assertThat(repository.get(inSnapshot.id())).contains(inSnapshot);
            assertThat(repository.get(inLog.id())).contains(inLog);
            assertThat(repository.get(purged.id())).isEmpty();
            assertThat(repository.getMember(inSnapshot.id(), "p2")).contains(member);
            repository.compact();
        }
        byte[] snapshot = Files.readAllBytes(dir.resolve("catalogue.snapshot"));
        int firstPayload = "GLIMPSE-SNAPSHOT 1\n".length() + 8;
        assertThat(snapshot[firstPayload]).isEqualTo(BinaryRecords.IMAGE);
        assertThat(new String(snapshot, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("\"t\":");
        try (FileImageRepository repository = FileImageRepository.open(dir)) {
            assertThat(repository.get(inSnapshot.id())).contains(inSnapshot);
            assertThat(repository.get(inLog.id())).contains(inLog);
            assertThat(repository.getMember(inSnapshot.id(), "p2")).contains(member);
            assertThat(repository.size()).isEqualTo(2);
        }
    }
}
