package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.ImageException;
import dev.glimpse.image.metadef.MetadefNamespace;
import dev.glimpse.image.spi.MetadefRepository;
import dev.glimpse.image.spi.MetadefRepositoryContractTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMetadefRepositoryTest {

    @Nested
    class OnJimfs extends MetadefRepositoryContractTest {
        private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        private final Path dir = fs.getPath("/var/lib/glimpse/metadefs");

        @AfterEach
        void close() throws IOException {
            fs.close();
        }

        @Override
        protected MetadefRepository newRepository() throws IOException {
            return FileMetadefRepository.open(dir);
        }

        @Override
        protected MetadefRepository reopen(MetadefRepository repository) throws IOException {
            return FileMetadefRepository.open(dir);
        }
    }

    @Nested
    class OnDisk extends MetadefRepositoryContractTest {
        @TempDir
        Path dir;

        @Override
        protected MetadefRepository newRepository() throws IOException {
            return FileMetadefRepository.open(dir);
        }

        @Override
        protected MetadefRepository reopen(MetadefRepository repository) throws IOException {
            return FileMetadefRepository.open(dir);
        }

        @Test
        void aFailedWriteChangesNothingInMemoryAndLeavesNoTemporaryFile() throws IOException {
            FileMetadefRepository repo = FileMetadefRepository.open(dir);
            repo.create(MetadefNamespace.builder("kept").build());
            // Make the atomic move fail even for root: the target is now a non-empty directory.
            Files.delete(dir.resolve("metadefs.json"));
            Files.createDirectories(dir.resolve("metadefs.json").resolve("blocker"));
            assertThatThrownBy(() -> repo.create(MetadefNamespace.builder("lost").build()))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nothing was changed");
            assertThat(repo.find("lost")).isEmpty();
            assertThat(repo.list()).extracting(MetadefNamespace::namespace).containsExactly("kept");
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("metadefs.json");
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void leftoversOfAnInterruptedWriteAreIgnoredAndRemoved() throws IOException {
        FileMetadefRepository repo = FileMetadefRepository.open(dir);
        repo.create(MetadefNamespace.builder("committed").build());
        // A crash after writing the temporary file but before the atomic move leaves this behind.
        Files.writeString(dir.resolve("metadefs.json.tmp-crashed"), "{\"format\": \"glimpse-metadefs/1\", \"namesp");
        FileMetadefRepository reopened = FileMetadefRepository.open(dir);
        assertThat(reopened.list()).extracting(MetadefNamespace::namespace).containsExactly("committed");
        assertThat(Files.exists(dir.resolve("metadefs.json.tmp-crashed"))).isFalse();
    }

    @Test
    void aCorruptCatalogueIsRefusedAndLeftAlone() throws IOException {
        Path file = dir.resolve("metadefs.json");
        Files.writeString(file, "{\"format\": \"glimpse-metadefs/1\", \"namespaces\": [{\"namespace\": \"x\", \"bogus\": 1}]}");
        assertThatThrownBy(() -> FileMetadefRepository.open(dir)).isInstanceOf(ImageException.class)
                .hasMessageContaining("bogus").hasMessageContaining("left untouched");
        Files.writeString(file, "[1,2");
        assertThatThrownBy(() -> FileMetadefRepository.open(dir)).isInstanceOf(ImageException.class)
                .hasMessageContaining("not valid JSON");
        Files.writeString(file, "{\"format\": \"something-else\"}");
        assertThatThrownBy(() -> FileMetadefRepository.open(dir)).isInstanceOf(ImageException.class)
                .hasMessageContaining("not a Glimpse metadefs catalogue");
        assertThat(Files.readString(file)).isEqualTo("{\"format\": \"something-else\"}");
    }

    @Test
    void noTemporaryFilesRemainAfterWrites() throws IOException {
        FileMetadefRepository repo = FileMetadefRepository.open(dir);
        for (int i = 0; i < 5; i++) {
            repo.create(MetadefNamespace.builder("ns" + i).build());
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("metadefs.json");
        }
    }
}
