/**
 * JMH benchmarks, run by hand from the shaded jar ({@code java -jar benchmarks/target/benchmarks.jar}),
 * never in the build: seekable inspection per format and image size, and streaming inspection
 * throughput. Images are made with qemu-img in a temporary directory at setup.
 */
@NullMarked
package dev.glimpse.benchmarks;

import org.jspecify.annotations.NullMarked;
