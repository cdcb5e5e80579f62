package dev.glimpse.image.internal.metadef;

import dev.glimpse.image.spi.MetadefRepository;
import dev.glimpse.image.spi.MetadefRepositoryContractTest;

class InMemoryMetadefRepositoryTest extends MetadefRepositoryContractTest {
    @Override
    protected MetadefRepository newRepository() {
        return new InMemoryMetadefRepository();
    }
}
