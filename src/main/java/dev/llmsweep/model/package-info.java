/**
 * Llama/Mistral models, shared by every backend: configuration ({@link
 * dev.llmsweep.model.LlamaConfig}, presets, rope scaling), the expected tensors and weight loading
 * into {@link dev.llmsweep.model.FusedWeights} (q/k/v and gate/up fused, norm gains folded in),
 * rotary tables, and the {@link dev.llmsweep.model.Decoder} interface the backends implement: the
 * CPU kernels in {@code model.cpu}, one TorchScript call per step in {@code model.torchscript}. A
 * third backend is a new package implementing {@code Decoder}. Never depends on Spark
 * (ArchitectureTest).
 */
package dev.llmsweep.model;
