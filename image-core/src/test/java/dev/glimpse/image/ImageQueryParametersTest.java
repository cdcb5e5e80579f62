package dev.glimpse.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glimpse.image.ImageQuery.Comparison;
import dev.glimpse.image.ImageQuery.SortDirection;
import dev.glimpse.image.ImageQuery.SortField;
import dev.glimpse.image.ImageQuery.SortKey;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageQueryParametersTest {

    private static ImageQuery parse(String... pairs) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return ImageQuery.fromParameters(params);
    }

    @Test
    void noParametersIsTheDefaultQuery() {
        ImageQuery q = parse();
        assertThat(q).isEqualTo(ImageQuery.all());
        assertThat(q.osHidden()).contains(false);
        assertThat(q.memberStatuses()).containsExactly(MemberStatus.ACCEPTED);
        assertThat(q.effectiveSort()).containsExactly(new SortKey(SortField.CREATED_AT, SortDirection.DESC),
                new SortKey(SortField.ID, SortDirection.DESC));
    }

    @Test
    void inListsWithQuotedCommas() {
        ImageQuery q = parse("name", "in:a,b,\"c,d\"", "status", "in:active,queued", "disk_format", "in:qcow2,raw",
                "container_format", "bare", "id", "eq:x");
        assertThat(q.names()).containsExactly("a", "b", "c,d");
        assertThat(q.statuses()).containsExactlyInAnyOrder(ImageStatus.ACTIVE, ImageStatus.QUEUED);
        assertThat(q.diskFormats()).containsExactlyInAnyOrder(DiskFormat.QCOW2, DiskFormat.RAW);
        assertThat(q.containerFormats()).containsExactly(ContainerFormat.BARE);
        assertThat(q.ids()).containsExactly("x");
    }

    @Test
    void badQuotesAndOperatorsAreRefused() {
        for (String bad : List.of("in:a\"b\"", "in:\"a", "in:\"a\"b", "in:a,\"b")) {
            assertThatThrownBy(() -> parse("name", bad)).as(bad).isInstanceOf(InvalidRequestException.class);
        }
        assertThatThrownBy(() -> parse("name", "neq:a")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("status", "sleeping")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("disk_format", "in:qcow2,floppy")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void visibilityMemberStatusTagsAndBooleans() {
        ImageQuery q = parse("visibility", "all", "member_status", "all", "tag", "a", "tag", "b", "protected", "true",
                "os_hidden", "true", "owner", "p1", "checksum", "c", "os_hash_value", "h");
        assertThat(q.allVisibilities()).isTrue();
        assertThat(q.memberStatuses()).isEqualTo(EnumSet.allOf(MemberStatus.class));
        assertThat(q.tags()).containsExactly("a", "b");
        assertThat(q.isProtected()).contains(true);
        assertThat(q.osHidden()).contains(true);
        assertThat(q.owner()).contains("p1");
        assertThat(q.checksum()).contains("c");
        assertThat(q.osHashValue()).contains("h");
        assertThat(parse("visibility", "community").visibility()).contains(Visibility.COMMUNITY);
        assertThat(parse("member_status", "pending").memberStatuses()).containsExactly(MemberStatus.PENDING);
        assertThatThrownBy(() -> parse("visibility", "everyone")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("member_status", "maybe")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("protected", "yes")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("os_hidden", "1")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void sizeBoundsAndTimes() {
        ImageQuery q = parse("size_min", "10", "size_max", "20", "created_at", "gte:2024-01-01T00:00:00Z",
                "created_at", "lt:2024-02-01T00:00:00+01:00", "updated_at", "2024-03-01T00:00:00Z");
        assertThat(q.sizeMin()).contains(10L);
        assertThat(q.sizeMax()).contains(20L);
        assertThat(q.createdAt()).containsExactly(
                new ImageQuery.TimeFilter(Comparison.GTE, Instant.parse("2024-01-01T00:00:00Z")),
                new ImageQuery.TimeFilter(Comparison.LT, Instant.parse("2024-01-31T23:00:00Z")));
        assertThat(q.updatedAt()).containsExactly(new ImageQuery.TimeFilter(Comparison.EQ, Instant.parse("2024-03-01T00:00:00Z")));
        assertThat(parse("updated_at", "neq:2024-03-01").updatedAt().get(0).comparison()).isEqualTo(Comparison.NEQ);
        for (String[] bad : List.of(new String[] {"size_min", "x"}, new String[] {"size_max", "-1"},
                new String[] {"created_at", "gt:yesterday"}, new String[] {"created_at", "after:2024-01-01T00:00:00Z"},
                new String[] {"limit", "-1"}, new String[] {"limit", "ten"})) {
            assertThatThrownBy(() -> parse(bad)).as(String.join("=", bad)).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void sortSyntaxes() {
        assertThat(parse("sort_key", "name", "sort_key", "size", "sort_dir", "asc").sort()).containsExactly(
                new SortKey(SortField.NAME, SortDirection.ASC), new SortKey(SortField.SIZE, SortDirection.ASC));
        assertThat(parse("sort_key", "name", "sort_key", "size").sort()).containsExactly(
                new SortKey(SortField.NAME, SortDirection.DESC), new SortKey(SortField.SIZE, SortDirection.DESC));
        assertThat(parse("sort_key", "name", "sort_key", "size", "sort_dir", "asc", "sort_dir", "desc").sort())
                .containsExactly(new SortKey(SortField.NAME, SortDirection.ASC), new SortKey(SortField.SIZE, SortDirection.DESC));
        ImageQuery newStyle = parse("sort", "name:asc,status");
        assertThat(newStyle.sort()).containsExactly(new SortKey(SortField.NAME, SortDirection.ASC),
                new SortKey(SortField.STATUS, SortDirection.DESC));
        assertThat(newStyle.effectiveSort()).endsWith(new SortKey(SortField.CREATED_AT, SortDirection.DESC),
                new SortKey(SortField.ID, SortDirection.DESC));
        assertThat(parse("sort_key", "name", "sort_dir", "asc").effectiveSort()).containsExactly(
                new SortKey(SortField.NAME, SortDirection.ASC), new SortKey(SortField.CREATED_AT, SortDirection.ASC),
                new SortKey(SortField.ID, SortDirection.ASC));
        assertThatThrownBy(() -> parse("sort", "name", "sort_key", "size")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("combined");
        assertThatThrownBy(() -> parse("sort_key", "a", "sort_key", "b", "sort_dir", "asc", "sort_dir", "asc",
                "sort_dir", "asc")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("sort_key", "owner")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("owner");
        assertThatThrownBy(() -> parse("sort_dir", "up")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("sort", "name:sideways")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void otherKeysAreExtraPropertiesAndSomeAreRefused() {
        ImageQuery q = parse("os_distro", "ubuntu", "hw_disk_bus", "scsi", "limit", "5", "marker", "m");
        assertThat(q.properties()).isEqualTo(Map.of("os_distro", "ubuntu", "hw_disk_bus", "scsi"));
        assertThat(q.limit()).contains(5);
        assertThat(q.marker()).contains("m");
        assertThatThrownBy(() -> parse("changes-since", "2024-01-01T00:00:00Z")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("min_ram", "5")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> parse("name", "a", "name", "b")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("once");
        assertThat(Set.of(parse("tag", "x").tags())).hasSize(1);
    }
}
