package dev.glimpse.image.internal;

import dev.glimpse.image.ImageQuery;
import dev.glimpse.image.ImageQuery.SortDirection;
import dev.glimpse.image.ImageQuery.SortField;
import dev.glimpse.image.ImageStatus;
import dev.glimpse.image.InvalidRequestException;
import dev.glimpse.image.MemberStatus;
import dev.glimpse.image.Visibility;
import dev.glimpse.image.format.ContainerFormat;
import dev.glimpse.image.format.DiskFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the query parameters of Glance's {@code GET /v2/images} into an {@link ImageQuery}
 * ({@code images.py:RequestDeserializer.index}, {@code _get_filters}, {@code _get_sorting_params}).
 */
public final class QueryParameterParser {
    private static final Set<String> REPEATABLE = Set.of("tag", "sort_key", "sort_dir", "created_at", "updated_at");

    /** Base attributes that are not filters: refused rather than silently treated as extra properties. */
    private static final Set<String> NOT_FILTERS = Set.of("min_disk", "min_ram", "virtual_size", "os_hash_algo",
            "size", "tags", "locations", "direct_url", "stores", "self", "file", "schema", "changes-since");

    private QueryParameterParser() {}

    /**
     * Parses the parameters (name to values, in request order).
     *
     * @throws InvalidRequestException naming the bad parameter
     */
    public static ImageQuery parse(Map<String, List<String>> params) {
        ImageQuery.Builder q = ImageQuery.builder();
        List<String> sortKeys = new ArrayList<>();
        List<String> sortDirs = new ArrayList<>();
        String sort = null;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String key = e.getKey();
            List<String> values = e.getValue();
            if (values.isEmpty()) {
                continue;
            }
            if (values.size() > 1 && !REPEATABLE.contains(key)) {
                throw new InvalidRequestException("parameter '" + key + "' may be given only once");
            }
            String value = values.get(0);
            switch (key) {
                case "limit":
                    q.limit(integer(key, value, Integer.MAX_VALUE).intValue());
                    break;
                case "marker":
                    q.marker(value);
                    break;
                case "sort":
                    sort = value;
                    break;
                case "sort_key":
                    values.forEach(v -> sortKeys.add(v.trim()));
                    break;
                case "sort_dir":
                    values.forEach(v -> sortDirs.add(v.trim()));
                    break;
                case "name":
                    q.names(list(key, value));
                    break;
                case "id":
                    q.ids(list(key, value));
                    break;
                case "status":
                    q.statuses(map(key, list(key, value), ImageStatus::fromWireName));
                    break;
                case "disk_format":
                    q.diskFormats(map(key, list(key, value), DiskFormat::fromWireName));
                    break;
                case "container_format":
                    q.containerFormats(map(key, list(key, value), ContainerFormat::fromWireName));
                    break;
                case "owner":
                    q.owner(value);
                    break;
                case "checksum":
                    q.checksum(value);
                    break;
                case "os_hash_value":
                    q.osHashValue(value);
                    break;
                case "visibility":
                    if (value.equals("all")) {
                        q.allVisibilities();
                    } else {
                        q.visibility(map(key, List.of(value), Visibility::fromWireName).get(0));
                    }
                    break;
                case "member_status":
                    q.memberStatuses(value.equals("all") ? EnumSet.allOf(MemberStatus.class)
                            : map(key, List.of(value), MemberStatus::fromWireName));
                    break;
                case "tag":
                    values.forEach(q::tag);
                    break;
                case "protected":
                    q.isProtected(bool(key, value));
                    break;
                case "os_hidden":
                    q.osHidden(bool(key, value));
                    break;
                case "size_min":
                    q.sizeMin(integer(key, value, Long.MAX_VALUE));
                    break;
                case "size_max":
                    q.sizeMax(integer(key, value, Long.MAX_VALUE));
                    break;
                case "created_at":
                    for (String v : values) {
                        ImageQuery.TimeFilter f = time(key, v);
                        q.createdAt(f.comparison(), f.instant());
                    }
                    break;
                case "updated_at":
                    for (String v : values) {
                        ImageQuery.TimeFilter f = time(key, v);
                        q.updatedAt(f.comparison(), f.instant());
                    }
                    break;
                default:
                    if (NOT_FILTERS.contains(key)) {
                        throw new InvalidRequestException("cannot filter images on '" + key + "'");
                    }
                    q.property(key, value);
            }
        }
        q.sort(sortKeys(sort, sortKeys, sortDirs));
        return q.build();
    }

    private static List<ImageQuery.SortKey> sortKeys(String sort, List<String> keys, List<String> dirs) {
        List<ImageQuery.SortKey> result = new ArrayList<>();
        if (sort != null) {
            if (!keys.isEmpty() || !dirs.isEmpty()) {
                throw new InvalidRequestException("old (sort_key/sort_dir) and new (sort) sorting syntax cannot be combined");
            }
            for (String part : sort.trim().split(",")) {
                int colon = part.indexOf(':');
                String key = (colon < 0 ? part : part.substring(0, colon)).trim();
                String dir = colon < 0 ? "desc" : part.substring(colon + 1).trim();
                result.add(new ImageQuery.SortKey(SortField.fromWireName(key), SortDirection.fromWireName(dir)));
            }
            return result;
        }
        if (dirs.size() > 1 && dirs.size() != keys.size()) {
            throw new InvalidRequestException("number of sort dirs (" + dirs.size()
                    + ") does not match the number of sort keys (" + keys.size() + ")");
        }
        if (keys.isEmpty()) {
            if (dirs.isEmpty()) {
                return result;
            }
            keys = List.of("created_at");
        }
        for (int i = 0; i < keys.size(); i++) {
            String dir = dirs.isEmpty() ? "desc" : dirs.size() == 1 ? dirs.get(0) : dirs.get(i);
            result.add(new ImageQuery.SortKey(SortField.fromWireName(keys.get(i)), SortDirection.fromWireName(dir)));
        }
        return result;
    }

    /** Parses {@code value}, {@code eq:value} or {@code in:a,b,"c,d"}; other operators are refused. */
    static List<String> list(String key, String value) {
        int colon = value.indexOf(':');
        String op = colon < 0 ? "" : value.substring(0, colon);
        switch (op) {
            case "in":
                return splitQuoted(key, value.substring(colon + 1));
            case "eq":
                return List.of(value.substring(colon + 1));
            case "neq":
            case "gt":
            case "gte":
            case "lt":
            case "lte":
                throw new InvalidRequestException("operator '" + op + "' is not supported for '" + key
                        + "'; use a value, eq:value or in:a,b");
            default:
                return List.of(value);
        }
    }

    /** Splits {@code a,b,"c,d"}: commas separate values unless inside double quotes (Glance's {@code validate_quotes}). */
    static List<String> splitQuoted(String key, String text) {
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                boolean atStart = current.length() == 0 && !wasQuoted;
                boolean atEnd = i + 1 == text.length() || text.charAt(i + 1) == ',';
                if (!quoted && atStart) {
                    quoted = true;
                } else if (quoted && atEnd) {
                    quoted = false;
                    wasQuoted = true;
                } else {
                    throw new InvalidRequestException("invalid quotes in '" + key + "' value '" + text
                            + "': quote whole values only");
                }
            } else if (c == ',' && !quoted) {
                values.add(current.toString());
                current.setLength(0);
                wasQuoted = false;
            } else {
                if (wasQuoted) {
                    throw new InvalidRequestException("invalid quotes in '" + key + "' value '" + text + "'");
                }
                current.append(c);
            }
        }
        if (quoted) {
            throw new InvalidRequestException("unclosed quote in '" + key + "' value '" + text + "'");
        }
        values.add(current.toString());
        return values;
    }

    private static <T> List<T> map(String key, List<String> values, Function<String, T> parse) {
        List<T> result = new ArrayList<>();
        for (String v : values) {
            try {
                result.add(parse.apply(v));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("bad '" + key + "' filter: " + e.getMessage(), e);
            }
        }
        return result;
    }

    private static boolean bool(String key, String value) {
        switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new InvalidRequestException("'" + key + "' must be true or false, was '" + value + "'");
        }
    }

    private static Long integer(String key, String value, long max) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0 || v > max) {
                throw new InvalidRequestException("'" + key + "' must be between 0 and " + max + ", was " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("'" + key + "' must be an integer, was '" + value + "'", e);
        }
    }

    private static ImageQuery.TimeFilter time(String key, String value) {
        ImageQuery.Comparison op = ImageQuery.Comparison.EQ;
        String text = value;
        int colon = value.indexOf(':');
        if (colon > 0 && value.substring(0, colon).chars().allMatch(Character::isLetter)) {
            op = ImageQuery.Comparison.fromWireName(value.substring(0, colon));
            text = value.substring(colon + 1);
        }
        return new ImageQuery.TimeFilter(op, instant(key, text));
    }

    private static Instant instant(String key, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e1) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    try {
                        return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                    } catch (DateTimeParseException e4) {
                        throw new InvalidRequestException("'" + key + "' has a bad ISO 8601 time '" + text + "'", e4);
                    }
                }
            }
        }
    }
}
