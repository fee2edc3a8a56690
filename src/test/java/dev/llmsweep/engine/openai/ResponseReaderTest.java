package dev.llmsweep.engine.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A response read as TCP hands it over: split anywhere (inside a chunk-size line, a CRLF, an SSE
 * event), it gives the same tokens, text and stamps as in one read, and says whether its connection
 * can be reused; a cut connection, an error status and a stale keep-alive connection end it as the
 * user is told.
 */
class ResponseReaderTest {
  private static final URI URL = URI.create("http://127.0.0.1:9/v1/completions");

  private static final String HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

  private static String chunk(String data) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length)
        + "\r\n"
        + data
        + "\r\n";
  }

  private static final String BODY =
      chunk("data: {\"choices\":[{\"text\":\" a\",\"finish_reason\":null}]}\n\n")
          + chunk("data: {\"choices\":[{\"text\":\" b\",\"finish_reason\":null}]}\n\n")
          + chunk(
              "data: {\"choices\":[{\"text\":\"\",\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n")
          + "0\r\n\r\n";

  /** What the reader told its connection. */
  private static final class Told implements ResponseReader.Outcome {
    final List<String> said = new ArrayList<>();

    @Override
    public void ended(boolean reusable) {
      said.add(reusable ? "reuse" : "close");
    }

    @Override
    public void retry() {
      said.add("retry");
    }
  }

  /** Feeds {@code response} in pieces of {@code size} bytes, the i-th stamped i. */
  private static StreamedRequest.Result read(String response, int size, boolean end, Told told) {
    StreamedRequest stream = new StreamedRequest(Api.COMPLETIONS, 0);
    ResponseReader r = new ResponseReader(URL, stream, 5, false, told);
    byte[] all = response.getBytes(StandardCharsets.UTF_8);
    for (int at = 0, i = 0; at < all.length; at += size, i++) {
      r.bytes(ByteBuffer.wrap(all, at, Math.min(size, all.length - at)), i);
    }
    if (end) {
      r.end();
    }
    return stream.result().join();
  }

  @Test
  void aResponseSplitAnywhereReadsAsInOnePiece() {
    Told whole = new Told();
    StreamedRequest.Result one = read(HEAD + BODY, Integer.MAX_VALUE, false, whole);
    assertNull(one.error());
    assertEquals(" a b", one.text());
    assertEquals("length", one.finishReason());
    assertArrayEquals(new long[] {0, 0}, one.tokenNanos());
    assertEquals(List.of("reuse"), whole.said);
    for (int size = 1; size <= 7; size++) {
      Told told = new Told();
      StreamedRequest.Result split = read(HEAD + BODY, size, false, told);
      assertNull(split.error(), "pieces of " + size);
      assertEquals(" a b", split.text(), "pieces of " + size);
      assertEquals(List.of("reuse"), told.said, "pieces of " + size);
    }
    // byte by byte, a token is stamped with the read that completed its event
    int firstEventEnd = (HEAD + BODY).indexOf("}]}\n\n") + 4;
    assertEquals(firstEventEnd, read(HEAD + BODY, 1, false, new Told()).tokenNanos()[0]);
  }

  @Test
  void sizedAndCloseDelimitedBodies() {
    String events = "data: {\"choices\":[{\"text\":\" a\",\"finish_reason\":\"stop\"}]}\n\n";
    Told sized = new Told();
    String head = "HTTP/1.1 200 OK\r\nContent-Length: " + events.length() + "\r\n\r\n";
    assertEquals(" a", read(head + events, 3, false, sized).text());
    assertEquals(List.of("reuse"), sized.said);
    Told untilClose = new Told();
    assertEquals(" a", read("HTTP/1.1 200 OK\r\n\r\n" + events, 3, true, untilClose).text());
    assertEquals(List.of("close"), untilClose.said, "a body the close ends: not reusable");
  }

  @Test
  void endsAsTheUserIsTold() {
    String cut = HEAD + BODY.substring(0, BODY.indexOf(" b") + 2);
    Told told = new Told();
    String error = read(cut, 5, true, told).error();
    assertTrue(
        error.startsWith(
            "stream closed after 1 tokens (IOException: connection closed by the server"
                + " mid-response)"),
        error);
    assertEquals(List.of("close"), told.said);

    String detail = "{\"detail\":\"Not Found\"}";
    String notFound =
        "HTTP/1.1 404 Not Found\r\nContent-Length: " + detail.length() + "\r\n\r\n" + detail;
    error = read(notFound, 4, false, new Told()).error();
    assertEquals("HTTP 404 from POST " + URL + ": " + detail, error);

    StreamedRequest stream = new StreamedRequest(Api.COMPLETIONS, 0);
    Told stale = new Told();
    new ResponseReader(URL, stream, 5, true, stale).end();
    assertEquals(List.of("retry"), stale.said, "a reused connection closed before any byte");
    assertTrue(!stream.result().isDone(), "the retry answers the request");

    String notHttp = read("SSH-2.0-OpenSSH\r\n", 64, false, new Told()).error();
    assertTrue(notHttp.contains("not an HTTP response: SSH-2.0-OpenSSH"), notHttp);
  }
}
