"""Three ways to run the convolutions of K ensemble members, timed layer by layer on the papers' conv models.

`torch.func.vmap` turns the convolution of K members with stacked weights into one grouped convolution of K groups
(the baseline here: what `fit(strategy='vmap')` runs today). This script times, for every convolution of a model (its
real shapes, collected by one forward pass at batch 64), one forward and backward pass of K members in three ways:

- `grouped`: vmap over `F.conv2d` / `F.conv_transpose2d` (the K-group convolution);
- `loop`: the K members one after another (`fit(strategy='loop')`);
- `matmul`: vmap over an im2col formulation, `F.unfold` and a matrix product for a convolution, a matrix product and
  `F.fold` for a transposed one, so that the K members become one batched matrix product (bmm) instead of a grouped
  convolution. It is checked against `grouped` (largest difference printed) before it is timed.

With `--variants` (meant for a GPU) also the grouped convolution in other layouts and precisions, each checked the
same way:

- `grouped-nhwc`: the K-group convolution written out (members' channels side by side, `groups=K`) with its input and
  weights in channels-last memory format (vmap's own rule would copy them back to NCHW first);
- `grouped-bf16`, `matmul-bf16`: the same under `torch.autocast(dtype=torch.bfloat16)` (tensor cores; the difference
  printed for them is bf16's rounding, reported apart from the fp32 formulations').

Every formulation runs at one precision: TF32 off for both matrix products and cuDNN convolutions unless `--tf32`
(PyTorch's defaults differ: TF32 on for cuDNN, off for matmul, which would compare TF32 convolutions with fp32 bmm).

    python benchmarks/conv_ensemble.py                          # CPU, and the GPU when there is one
    python benchmarks/conv_ensemble.py --devices cuda --K 10 50 --models dense65 conv64
    python benchmarks/conv_ensemble.py --devices cuda --variants --cudnn-benchmark --quiet
"""
import argparse, statistics, sys, time
from pathlib import Path
import torch
import torch.nn.functional as F
from torch import nn
from torch.func import vmap

sys.path.insert(0, str(Path(__file__).parent))
from ensemble import MODELS, BATCH, data_for  # the papers' models and their data shapes  # noqa: E402


def conv_layers(name):
    "[(module, input shape)] of every convolution of the model, from one forward pass at batch BATCH."
    make = MODELS[name][0]
    model, found = make().eval(), []
    hook = lambda m, inputs, out: found.append((m, tuple(inputs[0].shape)))
    hooks = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    batch = {k: v[:BATCH] for k, v in data_for(name, 1).items()}
    with torch.no_grad(): model(batch, {k: torch.zeros(s) for k, s in model.noise_shapes(BATCH).items()})
    for h in hooks: h.remove()
    return found


def _conv_matmul(x, w, m):
    "A convolution (groups 1) as im2col and one matrix product."
    B, _, H, W = x.shape
    cols = F.unfold(x, m.kernel_size, m.dilation, m.padding, m.stride)  # (B, C k k, L)
    out = w.flatten(1) @ cols  # (B, out, L)
    h = (H + 2 * m.padding[0] - m.dilation[0] * (m.kernel_size[0] - 1) - 1) // m.stride[0] + 1
    return out.view(B, w.shape[0], h, -1)


def _deconv_matmul(x, w, m, size):
    "A transposed convolution (groups 1) as one matrix product and col2im (`F.fold`)."
    B, C, H, W = x.shape
    cols = w.flatten(1).t() @ x.reshape(B, C, H * W)  # (B, out k k, H W)
    return F.fold(cols, size, m.kernel_size, m.dilation, m.padding, m.stride)


def _bf16(f):
    "f under bf16 autocast, its output back in fp32."
    def run(W, X):
        with torch.autocast(W.device.type, dtype=torch.bfloat16): return f(W, X).float()
    return run


def _grouped_nhwc(m, transposed):
    "f(W, X) of K members as one convolution with groups=K, written out, on channels-last input and weights."
    def run(W, X):
        K, B, C = X.shape[:3]
        x = X.transpose(0, 1).reshape(B, K * C, *X.shape[3:]).contiguous(memory_format=torch.channels_last)
        w = W.reshape(K * W.shape[1], *W.shape[2:]).contiguous(memory_format=torch.channels_last)
        if transposed: y = F.conv_transpose2d(x, w, None, m.stride, m.padding, m.output_padding, K * m.groups,
                                              m.dilation)
        else: y = F.conv2d(x, w, None, m.stride, m.padding, m.dilation, K * m.groups)
        return y.reshape(B, K, -1, *y.shape[2:]).transpose(0, 1)
    return run


def formulations(m, x_shape, variants=False):
    "{name: f(W, X)} for K members: W (K, *weight), X (K, *input); `variants`: the GPU layouts and precisions too."
    transposed = isinstance(m, nn.ConvTranspose2d)
    if transposed:
        size = [(n - 1) * s - 2 * p + d * (k - 1) + o + 1 for n, s, p, d, k, o in
                zip(x_shape[-2:], m.stride, m.padding, m.dilation, m.kernel_size, m.output_padding)]
        one = lambda w, x: F.conv_transpose2d(x, w, None, m.stride, m.padding, m.output_padding, m.groups, m.dilation)
        mat = lambda w, x: _deconv_matmul(x, w, m, size)
    else:
        one = lambda w, x: F.conv2d(x, w, None, m.stride, m.padding, m.dilation, m.groups)
        mat = lambda w, x: _conv_matmul(x, w, m)
    out = {'grouped': vmap(one), 'loop': lambda W, X: torch.stack([one(w, x) for w, x in zip(W, X)])}
    if m.groups == 1: out['matmul'] = vmap(mat)
    if variants:
        out['grouped-nhwc'], out['grouped-bf16'] = _grouped_nhwc(m, transposed), _bf16(out['grouped'])
        if 'matmul' in out: out['matmul-bf16'] = _bf16(out['matmul'])
    return out


def time_step(f, W, X, reps, sync):
    "Median seconds of one forward and backward pass of f (warm-up excluded)."
    times = []
    for i in range(reps + 2):
        W.grad = X.grad = None
        sync(); t = time.perf_counter()
        f(W, X).square().mean().backward()
        sync()
        if i >= 2: times.append(time.perf_counter() - t)
    return statistics.median(times)


VERBOSE = True


def bench(name, layers, K, device, reps, variants=False):
    "Per layer (when VERBOSE) and in total: ms of one forward and backward pass of K members per formulation."
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    totals, worst, worst_bf16 = {}, 0., 0.
    for m, shape in layers:
        m = m.to(device)
        g = torch.Generator().manual_seed(0)
        W = torch.randn(K, *m.weight.shape, generator=g).mul(0.1).to(device).requires_grad_()
        X = torch.randn(K, *shape, generator=g).to(device).requires_grad_()
        fs = formulations(m, shape, variants)
        with torch.no_grad():
            ref = fs['grouped'](W, X)
            for k in fs:
                if k == 'grouped': continue
                diff = (fs[k](W, X) - ref).abs().max().item() / ref.abs().max().item()
                if k.endswith('bf16'): worst_bf16 = max(worst_bf16, diff)
                else: worst = max(worst, diff)
        row = {k: time_step(f, W, X, reps, sync) for k, f in fs.items()}
        for k, v in row.items(): totals[k] = totals.get(k, 0.) + v
        kind = 'deconv' if isinstance(m, nn.ConvTranspose2d) else 'conv'
        if VERBOSE:
            print(f"    {kind:6s} {m.in_channels:3d}->{m.out_channels:3d} k{m.kernel_size[0]} s{m.stride[0]} "
                  f"in {shape[-2]:2d}x{shape[-1]:2d}: " + ', '.join(f"{k} {1e3 * v:8.2f} ms" for k, v in row.items()),
                  flush=True)
    base = totals['grouped']
    print(f"{device:4s} {name:8s} K={K:3d} all convolutions, forward and backward: "
          + ', '.join(f"{k} {1e3 * v:8.1f} ms (x{base / v:5.2f})" for k, v in totals.items())
          + f"; largest relative difference to grouped {worst:.1e}"
          + (f" (bf16 {worst_bf16:.1e})" if variants else ''), flush=True)


if __name__ == '__main__':
    layers = {n: found for n in MODELS if (found := conv_layers(n))}  # collected once, timed per device and K
    convs = list(layers)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--K', type=int, nargs='+', default=[10, 50], help='ensemble sizes')
    ap.add_argument('--models', nargs='+', default=convs, choices=convs)
    ap.add_argument('--devices', nargs='+', default=None, help="'cpu' and/or 'cuda' (default: both when present)")
    ap.add_argument('--reps', type=int, default=5, help='timed passes per layer and formulation (median)')
    ap.add_argument('--quiet', action='store_true', help='print the totals only')
    ap.add_argument('--variants', action='store_true', help='also the channels-last and bf16 formulations')
    ap.add_argument('--cudnn-benchmark', action='store_true', help='let cuDNN time its convolution algorithms')
    ap.add_argument('--tf32', action='store_true', help='TF32 for matrix products and convolutions (default: fp32)')
    a = ap.parse_args()
    torch.backends.cudnn.benchmark = a.cudnn_benchmark
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = a.tf32
    devices = a.devices or (['cpu'] + (['cuda'] if torch.cuda.is_available() else []))
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, batch {BATCH}, "
          f"TF32 {'on' if a.tf32 else 'off'}"
          + (f", GPU {torch.cuda.get_device_name()}" if torch.cuda.is_available() else ', no GPU'), flush=True)
    VERBOSE = not a.quiet
    for d in devices:
        for name in a.models:
            for K in a.K: bench(name, layers[name], K, d, a.reps, variants=a.variants)
