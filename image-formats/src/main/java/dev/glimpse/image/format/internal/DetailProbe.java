package dev.glimpse.image.format.internal;

import dev.glimpse.image.format.ImageFormatException;
import java.util.Map;

/**
 * Looks for facts that are not a format of their own and never count as a match: a partition table
 * (MBR, GPT) in the first sectors, a kernel or ramdisk signature. The aggregator adds what a probe
 * finds to the details of whatever format won, which is how an isohybrid ISO stays {@code iso}
 * and a kernel stays {@code raw} with {@code payload = bzImage}.
 *
 * <p>Same rules as {@link FormatParser}: stateless, a pure function of the bytes read.
 */
public interface DetailProbe {

    /** A short name for error messages, e.g. {@code "partition_table"}. */
    String name();

    /**
     * Returns the details found (empty when none), e.g. {@code partition_table -> "gpt"}.
     *
     * @throws ImageFormatException only for a structure that is certainly broken (e.g. a GPT
     *     header whose CRC does not match); most probes never throw
     */
    Map<String, Object> probe(ByteSource source) throws ImageFormatException;
}
