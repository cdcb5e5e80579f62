/**
 * The {@code glimpse} command line: {@link dev.glimpse.cli.GlimpseCommand} and its subcommands,
 * started by {@link dev.glimpse.cli.Main}. Each subcommand is a thin layer over the library's
 * public API, so what the command prints is what an embedding application would see.
 */
@NullMarked
package dev.glimpse.cli;

import org.jspecify.annotations.NullMarked;
