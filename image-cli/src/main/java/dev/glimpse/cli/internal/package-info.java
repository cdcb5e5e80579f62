/**
 * The machinery behind the {@code glimpse} commands: output rendering (tables, JSON, values),
 * the progress bar, error reporting and the construction of the embedded catalogue from
 * {@code --home} and {@code --config}. Not API: it may change at any time.
 */
@NullMarked
package dev.glimpse.cli.internal;

import org.jspecify.annotations.NullMarked;
