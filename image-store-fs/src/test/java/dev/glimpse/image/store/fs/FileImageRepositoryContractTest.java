package dev.glimpse.image.store.fs;

import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.spi.ImageRepositoryContractTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository contract on the real disk. Every repository is closed and reopened before it is
 * handed to the test, so the suite also checks that what was written before a reopen reads back.
 */
class FileImageRepositoryContractTest extends ImageRepositoryContractTest {
    @TempDir
    Path root;

    private final List<FileImageRepository> opened = new ArrayList<>();

    @Override
    protected ImageRepository newRepository() throws IOException {
        Path dir = Files.createTempDirectory(root, "catalogue");
        FileImageRepository repository = FileImageRepository.open(dir);
        opened.add(repository);
        return repository;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (FileImageRepository repository : opened) {
            repository.close();
        }
    }
}
