package dev.llmsweep;

import dev.llmsweep.engine.JitScope;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test JVM the compilers a sweep's JVM has ({@link JitScope}: C2 for the engine and the
 * client, C1 for Spark and the rest), before its first class: the sweeps a test runs in its own JVM
 * compile and measure as {@code ./submit} would. Registered for every test class
 * (META-INF/services, junit-platform.properties).
 */
public final class ProductJit implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    JitScope.apply();
  }
}
