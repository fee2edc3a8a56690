package dev.llmsweep.cli;

import dev.llmsweep.store.Build;
import picocli.CommandLine.IVersionProvider;

/**
 * The project version the build wrote into its classes ({@link Build}; "dev" when not built by
 * Maven).
 */
public final class Version implements IVersionProvider {
  public static String project() {
    return Build.current().version();
  }

  @Override
  public String[] getVersion() {
    return new String[] {Build.current().describe()};
  }
}
