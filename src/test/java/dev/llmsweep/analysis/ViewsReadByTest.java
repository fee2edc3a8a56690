package dev.llmsweep.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which views a statement needs created ({@link Views#readBy}): the views it names and every view
 * those read in turn, as conf/views.sql defines them. One too few and the statement fails with
 * "table or view not found"; the analysis commands create only these.
 */
class ViewsReadByTest {
  @Test
  void aStatementGetsTheViewsItNamesAndWhatTheyReadInViewsSqlOrder() {
    assertEquals(List.of("points"), List.copyOf(Views.readBy("SELECT count(*) FROM points")));
    assertEquals(
        List.of("points", "batch_sweep", "sweet_spot"),
        List.copyOf(
            Views.readBy("select rule, batch_size from Sweet_Spot where used_by_recommend")));
    assertEquals(
        List.of("requests", "points", "budget_frontier"),
        List.copyOf(
            Views.readBy(
                "SELECT r.run_id FROM requests r JOIN budget_frontier f ON r.point_id = f.point_id")));
  }

  @Test
  void aStatementNamingNoViewGetsThemAll() {
    assertEquals(List.of(), List.copyOf(Views.readBy("SHOW VIEWS")));
    assertEquals(List.of(), List.copyOf(Views.readBy("SELECT 1")));
  }

  @Test
  void everyViewOfViewsSqlReadsOnlyViewsDefinedBeforeIt() {
    for (int i = 0; i < Views.NAMES.size(); i++) {
      String view = Views.NAMES.get(i);
      for (String read : Views.closure(java.util.Set.of(view))) {
        assertEquals(
            true, Views.NAMES.indexOf(read) <= i, view + " reads " + read + ", defined after it");
      }
    }
    assertEquals(
        List.of("points", "seqlen_sweep"),
        List.copyOf(Views.closure(java.util.Set.of("seqlen_sweep"))));
  }

  @Test
  void recommendCreatesTheViewsItsQueriesRead() {
    // capacity.sql reads load_sweep (open-loop sweeps' capacity)
    assertEquals(
        List.of("points", "batch_sweep", "load_sweep", "sweet_spot", "budget_frontier"),
        List.copyOf(Recommender.views()));
  }
}
