/**
 * The {@code submit} subcommands (picocli), each a thin layer over the packages that do the work.
 */
package dev.llmsweep.cli;
