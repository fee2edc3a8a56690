package dev.llmsweep.engine.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The streaming read of a chunk gives what the tree gave for the usual shapes (text, chat delta,
 * finish reason, running usage), and hands every other shape back to the tree (null), so errors and
 * odd values keep their messages.
 */
class ChunkFieldsTest {
  @Test
  void usualChunksAreReadAsTheTreeReadThem() {
    assertEquals(
        new ChunkFields(true, " t3", null, ChunkFields.ABSENT, -1),
        ChunkFields.read(
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"text\":\" t3\",\"finish_reason\":null}]}",
            Api.COMPLETIONS));
    assertEquals(
        new ChunkFields(true, "", "length", 8, 32),
        ChunkFields.read(
            "{\"choices\":[{\"text\":\"\",\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":32,\"total_tokens\":40}}",
            Api.COMPLETIONS));
    assertEquals(
        new ChunkFields(false, "", null, 5, 2),
        ChunkFields.read(
            "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}",
            Api.COMPLETIONS));
    assertEquals(
        new ChunkFields(true, "thinkHi", null, ChunkFields.ABSENT, -1),
        ChunkFields.read(
            "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"think\","
                + "\"content\":\"Hi\"},\"logprobs\":null}],\"usage\":null}",
            Api.CHAT));
    assertEquals(
        new ChunkFields(true, "", null, ChunkFields.ABSENT, -1),
        ChunkFields.read(
            "{\"choices\":[{\"delta\":{\"content\":null},\"text\":\"ignored for chat\"}]}",
            Api.CHAT));
  }

  @Test
  void errorsAndOddShapesAreLeftToTheTree() {
    assertNull(ChunkFields.read("{\"error\":{\"message\":\"boom\"}}", Api.COMPLETIONS));
    assertNull(ChunkFields.read("{\"choices\":[{\"text\":5}]}", Api.COMPLETIONS));
    assertNull(ChunkFields.read("{\"choices\":[\"x\"]}", Api.COMPLETIONS));
    assertNull(ChunkFields.read("{\"choices\":{}}", Api.COMPLETIONS));
    assertNull(ChunkFields.read("{\"usage\":{\"prompt_tokens\":\"8\"}}", Api.COMPLETIONS));
    assertNull(ChunkFields.read("{\"choices\":[{\"text\":\"a\"", Api.COMPLETIONS));
    assertNull(ChunkFields.read("[1]", Api.COMPLETIONS));
  }
}
