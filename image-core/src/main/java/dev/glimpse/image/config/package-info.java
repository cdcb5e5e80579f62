/**
 * Configuration: {@link dev.glimpse.image.config.GlimpseConfig}, one immutable object holding
 * every option with Glance's defaults, loadable from INI files in the manner of
 * {@code glance-api.conf} and {@code glance-scrubber.conf}.
 */
@NullMarked
package dev.glimpse.image.config;

import org.jspecify.annotations.NullMarked;
