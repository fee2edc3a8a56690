/**
 * The Llama/Mistral decoder: its configuration ({@code config.json}, presets, the built-in tiny
 * model), loading weights into it, and its blocks: RMSNorm, rotary embeddings, grouped-query
 * attention with a preallocated KV cache, the gated feed-forward, and the model that stacks them.
 * Two paths compute them: DJL NDArrays on PyTorch (GPU, and CPU outside float32), and, on CPU in
 * float32, llm-sweep's own Java kernels ({@code Host*}: packed matmul, attention over a KV cache
 * in Java arrays, a spinning thread pool). Every tensor field and reshape carries a shape comment.
 * Never depends on Spark (ArchitectureTest).
 */
package dev.llmsweep.model;
