package dev.llmsweep.cli;

import picocli.CommandLine.IVersionProvider;

/** The project version from the jar manifest (or "dev" when run from classes). */
public final class Version implements IVersionProvider {
  public static String project() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"llm-sweep " + project()};
  }
}
