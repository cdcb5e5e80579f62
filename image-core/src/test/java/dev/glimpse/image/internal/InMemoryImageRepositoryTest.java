package dev.glimpse.image.internal;

import dev.glimpse.image.spi.ImageRepository;
import dev.glimpse.image.spi.ImageRepositoryContractTest;

class InMemoryImageRepositoryTest extends ImageRepositoryContractTest {
    @Override
    protected ImageRepository newRepository() {
        return new InMemoryImageRepository();
    }
}
