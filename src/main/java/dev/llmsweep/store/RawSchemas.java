package dev.llmsweep.store;

import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;
import org.apache.parquet.schema.Types.GroupBuilder;

/**
 * The Parquet schemas of the raw {@code requests}, {@code batches} and {@code probes} files
 * (docs/schema.md), which {@link RawFiles} writes: the columns every call carries, then each file's
 * own.
 */
final class RawSchemas {
  private RawSchemas() {}

  private static GroupBuilder<MessageType> callColumns(boolean requestIndex) {
    GroupBuilder<MessageType> b =
        Types.buildMessage()
            .required(BINARY)
            .as(stringType())
            .named("run_id")
            .required(BINARY)
            .as(stringType())
            .named("point_id")
            .required(BINARY)
            .as(stringType())
            .named("experiment")
            .required(INT32)
            .named("repetition")
            .required(BOOLEAN)
            .named("warmup")
            .required(BOOLEAN)
            .named("proxy");
    if (requestIndex) {
      b = b.required(INT32).named("request_index");
    }
    return b.required(BINARY)
        .as(stringType())
        .named("model")
        .required(BINARY)
        .as(stringType())
        .named("dtype")
        .required(BINARY)
        .as(stringType())
        .named("device")
        .required(BINARY)
        .as(stringType())
        .named("device_name")
        .required(BINARY)
        .as(stringType())
        .named("executor_id")
        .required(BINARY)
        .as(stringType())
        .named("host")
        .required(INT32)
        .named("batch_size")
        .required(INT32)
        .named("max_tokens")
        .optional(INT32)
        .named("prompt_tokens")
        .required(DOUBLE)
        .named("temperature")
        .required(DOUBLE)
        .named("top_p")
        .required(INT32)
        .named("top_k")
        .required(INT64)
        .named("seed")
        .required(BOOLEAN)
        .named("ignore_eos")
        .required(BINARY)
        .as(stringType())
        .named("engine")
        .required(BINARY)
        .as(stringType())
        .named("endpoint")
        .required(DOUBLE)
        .named("request_rate")
        .required(DOUBLE)
        .named("slo_ttft_ms")
        .required(DOUBLE)
        .named("slo_tpot_ms");
  }

  static MessageType requests() {
    return callColumns(true)
        .required(INT32)
        .named("output_tokens")
        .required(BINARY)
        .as(stringType())
        .named("finish_reason")
        .required(INT64)
        .named("submit_ns")
        .requiredList()
        .requiredElement(INT64)
        .named("token_ns")
        .optional(DOUBLE)
        .named("ttft_ms")
        .requiredList()
        .requiredElement(DOUBLE)
        .named("itl_ms")
        .optional(DOUBLE)
        .named("tpot_ms")
        .optional(DOUBLE)
        .named("e2e_ms")
        .optional(BINARY)
        .as(stringType())
        .named("error")
        .named("requests");
  }

  static MessageType batches() {
    return callColumns(false)
        .required(INT64)
        .named("submit_ns")
        .required(INT64)
        .named("end_ns")
        .requiredList()
        .requiredElement(INT64)
        .named("step_ns")
        .required(DOUBLE)
        .named("batch_latency_ms")
        .optional(DOUBLE)
        .named("prefill_ms")
        .requiredList()
        .requiredElement(DOUBLE)
        .named("decode_step_ms")
        .required(INT64)
        .named("generated_tokens")
        .named("batches");
  }

  static MessageType probes() {
    GroupBuilder<MessageType> b =
        Types.buildMessage()
            .required(BINARY)
            .as(stringType())
            .named("run_id")
            .required(BINARY)
            .as(stringType())
            .named("point_id")
            .required(DOUBLE)
            .named("env_tolerance")
            .required(DOUBLE)
            .named("point_ms")
            .required(DOUBLE)
            .named("probe_ms");
    for (String when : List.of("before", "after")) {
      b =
          b.optional(DOUBLE)
              .named("read_gbps_" + when)
              .optional(DOUBLE)
              .named("fma_gflops_" + when)
              .optional(DOUBLE)
              .named("gpu_copy_gbps_" + when)
              .optional(DOUBLE)
              .named("gpu_gemm_tflops_" + when);
    }
    return b.optional(DOUBLE)
        .named("cpu_others")
        .optional(DOUBLE)
        .named("cpu_steal")
        .optional(BINARY)
        .as(stringType())
        .named("telemetry_source")
        .optional(INT32)
        .named("gpu_other_processes")
        .requiredList()
        .requiredGroupElement()
        .required(INT64)
        .named("host_ns")
        .required(BOOLEAN)
        .named("measured")
        .optional(DOUBLE)
        .named("sm_clock_mhz")
        .optional(DOUBLE)
        .named("mem_clock_mhz")
        .optional(DOUBLE)
        .named("temperature_c")
        .optional(DOUBLE)
        .named("power_w")
        .optional(DOUBLE)
        .named("memory_used_mib")
        .optional(BINARY)
        .as(stringType())
        .named("throttle_reasons")
        .named("samples")
        .named("probes");
  }
}
