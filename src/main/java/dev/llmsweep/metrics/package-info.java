/**
 * Measurements and their definitions: every latency is derived here, and only here, from raw {@code
 * System.nanoTime()} stamps taken when a token's id reached the host.
 */
package dev.llmsweep.metrics;
