package dev.llmsweep.weights;

/** Every Hugging Face weight name a Llama/Mistral checkpoint uses, in one place. */
public final class WeightNames {
  private WeightNames() {}

  public static final String EMBED = "model.embed_tokens.weight";
  public static final String FINAL_NORM = "model.norm.weight";
  public static final String LM_HEAD = "lm_head.weight";

  public static String layer(int i, String suffix) {
    return "model.layers." + i + "." + suffix;
  }

  public static String q(int i) {
    return layer(i, "self_attn.q_proj.weight");
  }

  public static String k(int i) {
    return layer(i, "self_attn.k_proj.weight");
  }

  public static String v(int i) {
    return layer(i, "self_attn.v_proj.weight");
  }

  public static String o(int i) {
    return layer(i, "self_attn.o_proj.weight");
  }

  public static String gate(int i) {
    return layer(i, "mlp.gate_proj.weight");
  }

  public static String up(int i) {
    return layer(i, "mlp.up_proj.weight");
  }

  public static String down(int i) {
    return layer(i, "mlp.down_proj.weight");
  }

  public static String inputNorm(int i) {
    return layer(i, "input_layernorm.weight");
  }

  public static String postNorm(int i) {
    return layer(i, "post_attention_layernorm.weight");
  }
}
