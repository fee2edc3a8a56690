/**
 * Llama/Mistral decoder blocks on DJL NDArrays: configuration, RMSNorm, rotary embeddings,
 * grouped-query attention with a preallocated KV cache, the gated feed-forward, and the model that
 * stacks them. Every tensor field and reshape carries a shape comment. Never imports Spark.
 */
package dev.llmsweep.model;
