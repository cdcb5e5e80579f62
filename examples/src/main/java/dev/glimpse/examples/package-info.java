/** Glimpse examples. */
package dev.glimpse.examples;
