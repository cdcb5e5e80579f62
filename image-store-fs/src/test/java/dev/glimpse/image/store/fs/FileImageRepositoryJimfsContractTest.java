package dev.glimpse.image.store.fs;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.spi.ImageRepositoryContractTest;
import java.io.IOException;
import java.nio.file.FileSystem;
import org.junit.jupiter.api.AfterEach;

/** The repository contract on Jimfs. */
class FileImageRepositoryJimfsContractTest extends ImageRepositoryContractTest {
    private FileSystem fs;
    private FileImageRepository repository;

    @Override
    protected ImageRepository newRepository() throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix());
        repository = FileImageRepository.open(fs.getPath("/catalogue"));
        return repository;
    }

    @AfterEach
    void closeAll() throws IOException {
        repository.close();
        fs.close();
    }
}
