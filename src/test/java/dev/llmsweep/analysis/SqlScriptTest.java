package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Statements split the way spark-sql -i runs a file. */
class SqlScriptTest {

  @Test
  void splitsOnSemicolonsOutsideQuotesAndComments() {
    String text =
        """
        -- a comment; with a semicolon
        SET results=/tmp/x;
        CREATE OR REPLACE TEMPORARY VIEW a AS SELECT 'x;y' AS s, `we;ird` FROM t; -- trailing; comment
        SELECT 'it''s; fine'
        """;
    List<String> s = SqlScript.parse(text).statements();
    assertEquals(3, s.size(), s.toString());
    assertEquals("SET results=/tmp/x", s.get(0));
    assertEquals(
        "CREATE OR REPLACE TEMPORARY VIEW a AS SELECT 'x;y' AS s, `we;ird` FROM t", s.get(1));
    assertEquals("SELECT 'it''s; fine'", s.get(2));
    assertEquals("a", SqlScript.viewName(s.get(1)));
    assertNull(SqlScript.viewName(s.get(0)));
  }

  @Test
  void theViewsFileDefinesEveryViewInOrder() {
    List<String> names = Views.script().statements().stream().map(SqlScript::viewName).toList();
    // history comes last and is not among NAMES: it is created only where the runs table has start
    // times
    List<String> expected = new java.util.ArrayList<>(Views.NAMES);
    expected.add("history");
    assertEquals(expected, names);
  }
}
