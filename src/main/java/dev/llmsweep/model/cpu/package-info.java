/**
 * The CPU kernels backend (CPU, float32): a Llama/Mistral forward pass in Java arrays with the
 * Vector API, projections on {@link dev.llmsweep.model.cpu.HostMatmul}, attention on {@link
 * dev.llmsweep.model.cpu.HostAttention} over a cache in Java arrays, and sampling on the host
 * ({@link dev.llmsweep.model.cpu.HostSampler}). PyTorch only looks up embeddings here.
 */
package dev.llmsweep.model.cpu;
