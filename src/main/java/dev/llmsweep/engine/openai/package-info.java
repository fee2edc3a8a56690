/**
 * The endpoint engine: a {@link dev.llmsweep.engine.Generator} that sends each batch to an
 * OpenAI-compatible server (vLLM, TensorRT-LLM's {@code trtllm-serve}, SGLang, TGI, llama.cpp) as
 * concurrent streaming requests, reads their server-sent events as the bytes arrive, and times
 * every token-carrying chunk. Runs on the executor, like the built-in engine; never imports Spark.
 */
package dev.llmsweep.engine.openai;
