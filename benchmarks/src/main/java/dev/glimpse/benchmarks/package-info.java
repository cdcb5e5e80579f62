/** Glimpse benchmarks. */
package dev.glimpse.benchmarks;
