/** Benchmark harnesses that print figures (run by {@code submit bench-*}, never by unit tests). */
package dev.llmsweep.bench;
