/** Reading configuration files. Not API: use {@link dev.glimpse.image.config.GlimpseConfig#load}. */
@NullMarked
package dev.glimpse.image.internal.config;

import org.jspecify.annotations.NullMarked;
