#!/usr/bin/env bash
# Spark GPU discovery script: prints the GPUs nvidia-smi sees as Spark's resource JSON,
#   {"name":"gpu","addresses":["0","1"]}
# Honours CUDA_VISIBLE_DEVICES when it lists indices.
set -euo pipefail
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" && "${CUDA_VISIBLE_DEVICES}" =~ ^[0-9,]+$ ]]; then
  ids="${CUDA_VISIBLE_DEVICES}"
else
  ids="$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ' | paste -sd, -)"
fi
addresses="$(echo "$ids" | tr ',' '\n' | sed -e '/^$/d' -e 's/.*/"&"/' | paste -sd, -)"
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
