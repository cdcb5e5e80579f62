/**
 * Governance around the catalogue service: policy enforcement, quotas, delayed delete and events.
 * Not API: configure it through {@link dev.glimpse.image.ImageService#builder()}.
 */
@NullMarked
package dev.glimpse.image.internal.governance;

import org.jspecify.annotations.NullMarked;
