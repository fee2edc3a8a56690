package dev.llmsweep.engine.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What a streamed chunk says, read with Jackson's streaming parser: {@code choices[0]}'s text (or
 * chat delta), its finish reason, and the running {@code usage}. Why not a tree: a tree per chunk
 * (nodes, maps, a deserialization context) was three quarters of the ~2 KB the client allocated per
 * chunk, and at 128 streams that garbage brings the young collections that stop every stream at
 * once. Anything outside the usual shape (an {@code error}, a non-string text, a value of an
 * unexpected type, malformed JSON) gives null: the caller then reads the chunk as a tree, which
 * keeps the exact rules and messages for those.
 *
 * @param hasChoice whether the chunk has a {@code choices[0]}
 * @param piece its text ({@code text}, or {@code delta.reasoning_content} + {@code delta.content})
 * @param finishReason its non-null {@code finish_reason}, else null
 * @param promptTokens {@code usage.prompt_tokens}, or {@link #ABSENT}
 * @param completionTokens {@code usage.completion_tokens}, or -1
 */
record ChunkFields(
    boolean hasChoice, String piece, String finishReason, int promptTokens, int completionTokens) {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** No {@code usage.prompt_tokens} in the chunk. */
  static final int ABSENT = Integer.MIN_VALUE;

  /** The chunk's fields, or null where the tree must read it. */
  static ChunkFields read(String data, Api api) {
    try (JsonParser p = FACTORY.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      boolean hasChoice = false;
      String piece = "";
      String finish = null;
      int prompt = ABSENT;
      int completion = -1;
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken t = p.nextToken();
        switch (field) {
          case "error" -> {
            return null;
          }
          case "choices" -> {
            if (t != JsonToken.START_ARRAY) {
              return null;
            }
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
              hasChoice = true;
              String[] found = choice(p, api);
              if (found == null) {
                return null;
              }
              piece = found[0];
              finish = found[1];
              first = p.nextToken();
            } else if (first != JsonToken.END_ARRAY) {
              return null;
            }
            while (first != JsonToken.END_ARRAY) { // later choices: not read
              p.skipChildren();
              first = p.nextToken();
            }
          }
          case "usage" -> {
            if (t == JsonToken.START_OBJECT) {
              for (String u = p.nextFieldName(); u != null; u = p.nextFieldName()) {
                JsonToken v = p.nextToken();
                if (u.equals("prompt_tokens") || u.equals("completion_tokens")) {
                  if (v != JsonToken.VALUE_NUMBER_INT) {
                    return null;
                  }
                  if (u.equals("prompt_tokens")) {
                    prompt = p.getIntValue();
                  } else {
                    completion = p.getIntValue();
                  }
                } else {
                  p.skipChildren();
                }
              }
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      return p.nextToken() == null
          ? new ChunkFields(hasChoice, piece, finish, prompt, completion)
          : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Reads one choice object (the parser on its start): {text, finish} or null. */
  private static String[] choice(JsonParser p, Api api) throws IOException {
    String text = "";
    String reasoning = "";
    String content = "";
    String finish = null;
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      if (field.equals("finish_reason")) {
        if (t == JsonToken.VALUE_STRING) {
          finish = p.getText();
        } else if (t != JsonToken.VALUE_NULL) {
          return null;
        }
      } else if (field.equals("text") && api != Api.CHAT) {
        if (t == JsonToken.VALUE_STRING) {
          text = p.getText();
        } else if (t != JsonToken.VALUE_NULL) {
          return null;
        }
      } else if (field.equals("delta") && api == Api.CHAT && t == JsonToken.START_OBJECT) {
        for (String d = p.nextFieldName(); d != null; d = p.nextFieldName()) {
          JsonToken v = p.nextToken();
          if (v == JsonToken.VALUE_STRING && d.equals("content")) {
            content = p.getText();
          } else if (v == JsonToken.VALUE_STRING && d.equals("reasoning_content")) {
            reasoning = p.getText();
          } else {
            p.skipChildren(); // a non-string delta field counts as no text, as in the tree
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return new String[] {api == Api.CHAT ? reasoning + content : text, finish};
  }
}
