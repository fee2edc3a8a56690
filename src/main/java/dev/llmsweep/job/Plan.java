package dev.llmsweep.job;

import java.util.List;

/**
 * A job expanded into points and checked against each model (driver side).
 *
 * @param job the job file it came from
 * @param points every point, in plan order
 */
public record Plan(Job job, List<Point> points) {

  public long requests() {
    return points.stream().mapToLong(Point::requests).sum();
  }

  public long maxGeneratedTokens() {
    return points.stream().mapToLong(Point::maxGeneratedTokens).sum();
  }

  public long promptTokens() {
    return points.stream().mapToLong(p -> p.requests() * p.shape().promptTokens()).sum();
  }

  public long calls() {
    return points.stream().mapToLong(Point::calls).sum();
  }
}
