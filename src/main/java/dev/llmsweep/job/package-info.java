/**
 * The sweep specification, on the driver: HOCON job files ({@link dev.llmsweep.job.JobReader}),
 * their experiments, grid and zip expansion into {@link dev.llmsweep.job.Point}s, and the plan
 * checked against each model's limits ({@link dev.llmsweep.job.Planner}). Every problem in a job
 * file is a {@link dev.llmsweep.job.JobFileException} naming file, line, key and what is accepted.
 * Points are small serializable records of a few named parts (identity, model choice, shape,
 * sampling, measurement, stopping): they are what the driver ships to executors. Their ids are
 * stable hashes ({@link dev.llmsweep.job.PointIds}), so a resumed run finds its committed points.
 */
package dev.llmsweep.job;
