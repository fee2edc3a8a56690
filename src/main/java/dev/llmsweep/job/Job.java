package dev.llmsweep.job;

import java.util.List;
import java.util.Map;

/**
 * A parsed and validated job file (driver side).
 *
 * @param file the path as the user gave it
 * @param name the job's name (the file name without extension unless set)
 * @param experiments in the order written
 * @param sparkConf Spark properties the job file sets ({@code spark { "spark.x" = ... }})
 * @param resolvedJson the job file with substitutions resolved, as JSON (stored in the manifest)
 * @param sha256 hash of {@code resolvedJson}: what identifies the job for resume
 * @param compare the {@code compare { }} block: the baseline a finished run is compared with
 */
public record Job(
    String file,
    String name,
    List<Experiment> experiments,
    Map<String, String> sparkConf,
    String resolvedJson,
    String sha256,
    CompareSettings compare) {}
