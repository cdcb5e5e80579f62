/** Glimpse cli. */
package dev.glimpse.cli;
