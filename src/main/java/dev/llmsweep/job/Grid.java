package dev.llmsweep.job;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Expands an experiment's axes into combinations: a full grid, except that the axes of a zip group
 * advance together as one dimension. Dimensions nest in axis order (batch size outermost), a zip
 * group at the place of its first axis (driver side).
 */
final class Grid {
  private Grid() {}

  static List<Map<Axis, Number>> expand(Map<Axis, List<Number>> axes, List<List<Axis>> zip) {
    List<List<Axis>> dims = new ArrayList<>();
    for (Axis axis : Axis.values()) {
      if (axes.containsKey(axis) && dims.stream().noneMatch(d -> d.contains(axis))) {
        dims.add(zip.stream().filter(g -> g.contains(axis)).findFirst().orElse(List.of(axis)));
      }
    }
    List<Map<Axis, Number>> out = new ArrayList<>();
    out.add(new EnumMap<>(Axis.class));
    for (List<Axis> dim : dims) {
      int size = axes.get(dim.get(0)).size();
      List<Map<Axis, Number>> next = new ArrayList<>(out.size() * size);
      for (Map<Axis, Number> partial : out) {
        for (int i = 0; i < size; i++) {
          Map<Axis, Number> m = new EnumMap<>(Axis.class);
          m.putAll(partial);
          for (Axis a : dim) {
            m.put(a, axes.get(a).get(i));
          }
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }
}
