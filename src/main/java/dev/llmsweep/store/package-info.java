/**
 * Results on any Hadoop filesystem (docs/schema.md): raw rows written with parquet-mr into a
 * temporary directory under {@code _attempts/} and committed by one atomic rename to
 * {@code raw/p-<point_id>/}, so each point appears exactly once; resume by listing committed
 * points; the run manifest. Point commits run on executors, everything else on the driver.
 */
package dev.llmsweep.store;
