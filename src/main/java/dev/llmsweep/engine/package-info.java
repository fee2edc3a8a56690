/**
 * The in-executor generator: what a sweep point asks of a loaded model ({@link
 * dev.llmsweep.engine.GenerationRequest}), what it gets back ({@link
 * dev.llmsweep.engine.BatchOutput}), and how models are loaded ({@link
 * dev.llmsweep.engine.Engines}). Never imports Spark: the engine runs and is benchmarked alone.
 */
package dev.llmsweep.engine;
