package dev.llmsweep;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class whose time is Spark planning and jobs, with no engine kernel in its JVM (raw-row
 * fixtures, fake engines, child processes): the pom runs these classes with the quick JIT tier
 * alone, as {@code ./submit} runs the analysis commands (about 30% less CPU; the CPU kernels need
 * C2). Like every test class, it runs in a JVM reused from class to class, whose Spark context is
 * stopped after each class ({@link StopSparkAfterClass}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("spark-only")
public @interface SparkOnly {}
