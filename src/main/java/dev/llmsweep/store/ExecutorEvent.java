package dev.llmsweep.store;

/**
 * An executor that registered with the driver or went away during an attempt (driver side, from
 * Spark's listener events), for the manifest.
 *
 * @param executorId Spark executor id
 * @param host its host
 * @param at ISO-8601 time of the event
 * @param reason why it went away (Spark's words: "Command exited with code 137", "worker lost",
 *     ...); null for one that registered
 */
public record ExecutorEvent(String executorId, String host, String at, String reason) {}
