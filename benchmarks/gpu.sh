#!/usr/bin/env bash
# The GPU measurements of one short device session, in order of what is still open; each step has its own time limit
# and writes its log as it goes, so a step that runs long costs only itself.
#   bash benchmarks/gpu.sh [OUTDIR]        (OUTDIR defaults to $OUT, else benchmarks/gpu-logs)
# Needs torch with CUDA and the project's dependencies (fastcore among them) importable; run from the repository root.
set -uo pipefail
out=${1:-${OUT:-benchmarks/gpu-logs}}
mkdir -p "$out"
export PYTHONUNBUFFERED=1 PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$PWD
step() {  # step NAME SECONDS COMMAND...: run with a time limit, log to $out/NAME.log, say how it ended
    local name=$1 limit=$2; shift 2
    local t0=$SECONDS
    timeout "$limit" "$@" > "$out/$name.log" 2>&1
    echo "$name: exit $? after $((SECONDS - t0)) s (limit $limit s)" | tee -a "$out/steps.log"
}
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; python3 -c 'import torch; print(torch.__version__)'
} > "$out/device.log" 2>&1
# 1. every paper's model for K = 1, 10, 50 against sequential training (the Aux-VAE and LLAAE rows), fp32/TF32/bf16
step ensemble_small 130 python3 benchmarks/ensemble.py --devices cuda --K 1 10 50 --models llaae galaxy --tf32 --bf16
# 2. the plan rows of the papers added after the last GPU session
step plan 100 python3 -c 'import sys; from latentnb.reproduce import main; sys.exit(main(sys.argv[1:]))' \
    plan auxvae jiwa --profile full --device cuda
# 3. the convolutions of the conv models: grouped (vmap), loop, im2col matmul, channels-last, bf16
step conv_ensemble 80 python3 benchmarks/conv_ensemble.py --devices cuda --K 10 50 --variants --cudnn-benchmark --quiet
# 4. the two large conv models at K = 50: vmap against the loop, fp32/TF32/bf16, cuDNN autotuned
step ensemble_large 140 python3 benchmarks/ensemble.py --devices cuda --K 50 --models dense65 conv64 --steps 10 \
    --strategies vmap loop --cudnn-benchmark --tf32 --bf16 --no-sequential
