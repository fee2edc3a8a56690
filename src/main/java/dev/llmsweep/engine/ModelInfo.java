package dev.llmsweep.engine;

/**
 * Facts about a loaded (or planned) model that the rest of llm-sweep needs.
 *
 * @param name how the user named it ({@code tiny}, {@code synthetic:llama-3.1-8b}, a directory)
 * @param architecture {@code LlamaForCausalLM} or {@code MistralForCausalLM}
 * @param parameters number of parameters
 * @param weightBytes bytes of the weights as held on the device
 * @param maxContext the longest prompt plus output the model accepts
 * @param vocabSize vocabulary size
 * @param device where it runs, e.g. {@code cpu()} or {@code gpu(0)}
 * @param dtype the compute dtype ({@code float32}, {@code float16})
 */
public record ModelInfo(
    String name,
    String architecture,
    long parameters,
    long weightBytes,
    int maxContext,
    int vocabSize,
    String device,
    String dtype) {}
