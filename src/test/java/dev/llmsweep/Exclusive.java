package dev.llmsweep;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class whose assertions rest on timing (stream timings within a millisecond, a wait bounded
 * in seconds, a cluster of processes): the pom runs these classes last, one at a time, alone on the
 * machine.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("exclusive")
public @interface Exclusive {}
