/**
 * Checkpoint reading: safetensors files parsed and memory-mapped by hand (real shards exceed the 2
 * GiB that DJL's reader handles), sharded checkpoints through {@code model.safetensors.index.json},
 * dtype conversion while loading (bf16 to float32 in Java, since DJL 0.36 aborts on bfloat16
 * tensors), and the one place where Hugging Face weight names live.
 */
package dev.llmsweep.weights;
