/**
 * Benchmark harnesses that print figures (run by {@code submit bench-*}; the README smoke tests run
 * each at its smallest size and check what it prints, never its figures).
 */
package dev.llmsweep.bench;
