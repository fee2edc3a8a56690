package dev.llmsweep.engine.openai;

import java.util.Locale;

/** Which OpenAI-compatible API a request goes to. */
public enum Api {
  /** {@code POST /completions}: the prompt as token ids (or text), so prompt lengths are exact. */
  COMPLETIONS("/completions"),
  /**
   * {@code POST /chat/completions}: the prompt as one user message; lengths as the chat template
   * makes them.
   */
  CHAT("/chat/completions");

  private final String path;

  Api(String path) {
    this.path = path;
  }

  /** The path under the endpoint's {@code /v1}. */
  public String path() {
    return path;
  }

  /** The job-file spelling: {@code completions} or {@code chat}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value of a job's {@code api} key; null when it is neither. */
  public static Api parse(String s) {
    for (Api a : values()) {
      if (a.label().equals(s)) {
        return a;
      }
    }
    return null;
  }
}
