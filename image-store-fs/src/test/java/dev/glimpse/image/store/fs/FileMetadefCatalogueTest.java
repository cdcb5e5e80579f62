package dev.glimpse.image.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.RequestContext;
import dev.glimpse.image.metadef.MetadefService;
import dev.glimpse.image.metadef.NamespaceQuery;
import dev.glimpse.image.metadef.ResourceType;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metadef service over the file repository: what an operator loads survives a restart. */
class FileMetadefCatalogueTest {
    private static final RequestContext ADMIN = RequestContext.admin("admin-project", "root");

    @Test
    void standardDefinitionsPersistAcrossRestarts() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path dir = fs.getPath("/var/lib/glimpse/metadefs");
            MetadefService first = MetadefService.builder().repository(FileMetadefRepository.open(dir)).build();
            int created = first.loadStandardDefinitions(ADMIN).size();
            first.createTag(ADMIN, "OS::Compute::Hypervisor", "gpu");

            MetadefService second = MetadefService.builder().repository(FileMetadefRepository.open(dir)).build();
            assertThat(second.listNamespaces(ADMIN, NamespaceQuery.forResourceType(ResourceType.IMAGE))).hasSize(created);
            assertThat(second.getTag(ADMIN, "OS::Compute::Hypervisor", "gpu").name()).isEqualTo("gpu");
            assertThat(second.listResourceTypes(ADMIN)).extracting(ResourceType::name)
                    .contains(ResourceType.IMAGE, "OS::Nova::Flavor", "OS::Cinder::Volume");
            assertThat(second.loadStandardDefinitions(ADMIN)).isEmpty();
            assertThatThrownBy(() -> second.validateImageProperties("p", Map.of("hw_vif_model", "token-ring")))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("hw_vif_model");
        }
    }
}
