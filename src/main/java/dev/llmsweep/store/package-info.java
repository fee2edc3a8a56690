/**
 * Results on any Hadoop filesystem (docs/schema.md). {@link dev.llmsweep.store.RunStore} owns a
 * results root: what a run is, the latest run, run ids ({@link dev.llmsweep.job.RunIds}) and every
 * path of a run's layout ({@link dev.llmsweep.store.RunLayout}); every command, the sweep and
 * compare open runs through it and pass on the handle, a {@link dev.llmsweep.store.Run} (its
 * directory, manifest, points table and committed points). Where a path is local, the store goes
 * through java.nio ({@link dev.llmsweep.store.LocalPaths}). Raw rows are written with parquet-mr
 * into a temporary directory under {@code _attempts/} and committed by one atomic rename to {@code
 * raw/p-<point_id>/} ({@link dev.llmsweep.store.PointCommitter}), so each point appears exactly
 * once, and resuming lists the committed points; failed points are recorded in {@code failed/}
 * ({@link dev.llmsweep.store.FailureRecords}); the run manifest is {@code manifest.json} and the
 * {@code runs} table ({@link dev.llmsweep.store.ManifestFiles}). Point commits and failure records
 * are written on executors, everything else on the driver. Hadoop and Parquet only, no Spark.
 */
package dev.llmsweep.store;
