#!/usr/bin/env bash
# The GPU measurements of one short device session, in order of what is still open; each step has its own time limit
# and writes its log as it goes, so a step that runs long costs only itself. The limits add up to 550 s: one device
# command (at most 600 s), with time left to fetch the logs.
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
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
  python3 -c 'import torch; print(torch.__version__)'; } > "$out/device.log" 2>&1
# (the session of 2026-12-04 ran this script's version of commit 8cefc17; its logs are in benchmarks/logs/)
# 1. a fresh projection of every paper's full profile with today's code (Jacobsen and Perez Rey last timed 2026-11-30)
step plan 170 python3 -c 'import sys; from latentnb.reproduce import main; sys.exit(main(sys.argv[1:]))' \
    plan --profile full --device cuda
# 2. cuDNN's autotuning on the two large conv ensembles, off and on, each at 5 and 40 steps (the fit's fixed cost apart)
for bench in '' --cudnn-benchmark; do
    for steps in 5 40; do
        step "dense_conv_${steps}${bench:+_autotuned}" 70 python3 benchmarks/ensemble.py --devices cuda --K 50 \
            --models dense65 conv64 --steps $steps --strategies vmap --no-sequential $bench
    done
done
# 3. the convolution formulations at one precision (fp32), channels-last written out: the rows of 2026-12-04 mixed
#    TF32 convolutions with fp32 bmm and timed vmap's copies for channels-last
step conv_ensemble 60 python3 benchmarks/conv_ensemble.py --devices cuda --K 50 --models dense65 conv64 --variants \
    --cudnn-benchmark --reps 3 --quiet
# 4. the Aux-VAE penalties (one matrix against the literal loops)
step auxvae_penalty 40 python3 benchmarks/auxvae_penalty.py --devices cuda --K 5 --steps 40
