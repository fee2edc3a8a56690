/**
 * The error taxonomy, shared by the engine and the application: {@link
 * dev.llmsweep.errors.BadInputException} is the user's bad input (exit 2, one line); its subclasses
 * say where the input came from ({@code spec.JobFileException}, {@code model.ModelFormatException},
 * {@code store.MissingResultsException}); command-line arguments throw it directly. Everything else
 * is a failure (exit 1, with the stack trace); broken internal invariants are {@link
 * java.lang.IllegalStateException}.
 */
package dev.llmsweep.errors;
