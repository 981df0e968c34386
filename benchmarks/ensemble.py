"""Speed-up of training K models at once (an ensemble) over training them one after another, per paper's model.

For every model and K it prints the time per model-step of the ensemble and of the sequential baseline (the same K
models, one `fit` each, in the same process) and their ratio, for each ensemble strategy asked for (`vmap`,
`loop`; by default the one `fit` picks, and on the CPU both for models with convolutions). On a GPU it also prints
the arithmetic of one model-step (counted by `torch.utils.flop_counter`), the achieved FLOP rate and its fraction
of the device's matmul peak, measured in the same process on a large fp32 matrix product (TF32 off and on).

    python benchmarks/ensemble.py                      # CPU, and the GPU when there is one
    python benchmarks/ensemble.py --devices cuda --K 1 10 50 --tf32
    python benchmarks/ensemble.py --devices cpu --models llaae --strategies vmap loop
    python benchmarks/ensemble.py --devices cuda --K 50 --models dense65 --bf16 --no-sequential

`--bf16` runs the ensembles once more under `torch.autocast(dtype=torch.bfloat16)` (fp32 parameters and Adam, bf16
matrix products and convolutions), against the peak of a bf16 matrix product; like `--tf32`, without a baseline.
"""
import argparse, time
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode
from latentnb.nn import MLP, View, ConvEncoder64, ConvDecoder64
from latentnb.distributions import GaussianLatent, SphereLatent
from latentnb.priors import UniformSpherePrior
from latentnb.vae import VAE
from latentnb.train import fit, auto_strategy, has_conv, sample_batch
from latentnb.experiments.darcy import darcy_vae
from latentnb.experiments import auxvae, jiwa

BATCH = 64


def mlp32():
    "Teaching and Perez Rey reference: MLP beta-VAE on 32 x 32 binary images."
    return VAE(nn.Sequential(nn.Flatten(), MLP([1024, 256, 256]), nn.ReLU()), GaussianLatent(256, 10),
               nn.Sequential(MLP([10, 256, 256, 1024]), View(1, 32, 32)), likelihood='bernoulli')


def sphere32():
    "Perez Rey reference: the same MLP around a Delta-VAE latent on S^10 (random walk of 5 steps)."
    return VAE(nn.Sequential(nn.Flatten(), MLP([1024, 256, 256]), nn.ReLU()),
               SphereLatent(256, 10, steps=5, log_t_bounds=(-7.5, -5.)),
               nn.Sequential(MLP([11, 256, 256, 1024]), View(1, 32, 32)), UniformSpherePrior(), likelihood='bernoulli')


def conv64():
    "Teaching and Perez Rey full: disentanglement_lib's 64 x 64 conv encoder/decoder."
    return VAE(ConvEncoder64(1), GaussianLatent(256, 10), ConvDecoder64(10, 1), likelihood='bernoulli')


def llaae():
    "Jiwa reference: the LLAAE (convolutional autoencoder, GEV latent, linear map h) on the 32 x 32 stand-in grid."
    P = jiwa.JIWA_PROFILES['reference']
    return jiwa.LLAAE(P.grid, P.n_x, P.dim, 'gev', P.gev_noise)


def galaxy():
    "Aux-VAE reference: the galaxy Aux-VAE (convolutional, prior centred on 2 auxiliaries, both penalties)."
    return auxvae.make_model(auxvae.AUXVAE_PROFILES['reference'], 'galaxy', 'auxvae', n_aux=3)()


_jiwa = jiwa.JIWA_PROFILES['reference']
FIT_ARGS = {'llaae': dict(weights={'alpha': 1.})}  # fit's arguments a model needs beyond the defaults
MODELS = {  # name: (factory, {data entry: shape of one sample}, binary x, paper and profile it stands for)
    'darcy_mlp17': (lambda: darcy_vae('mlp', n=17), {'x': (3, 17, 17)}, False, 'jacobsen reference'),
    'dense65': (lambda: darcy_vae('dense', n=65), {'x': (3, 65, 65)}, False, 'jacobsen full (DenseVAE)'),
    'mlp32': (mlp32, {'x': (1, 32, 32)}, True, 'teaching/perezrey reference'),
    'sphere32': (sphere32, {'x': (1, 32, 32)}, True, 'perezrey reference (Delta-VAE)'),
    'conv64': (conv64, {'x': (1, 64, 64)}, True, 'teaching/perezrey full'),
    'llaae': (llaae, {'x': (1, _jiwa.grid, _jiwa.grid), 'pcs': (_jiwa.n_x,)}, False, 'jiwa reference (LLAAE, GEV)'),
    'galaxy': (galaxy, {'x': (1, 33, 33), 'aux': (3,)}, False, 'auxvae reference (galaxy Aux-VAE)'),
}


def data_for(name, steps):
    "Random data of the model's entries and shapes, `steps` batches of it."
    _, shapes, binary, _ = MODELS[name]
    data = {k: torch.rand(BATCH * steps, *s) for k, s in shapes.items()}
    if binary: data['x'] = data['x'].round()
    return data


def flops_per_model_step(name, device):
    "FLOPs of one model's loss, forward and backward, on one batch (counted, not estimated)."
    torch.manual_seed(0)
    model = MODELS[name][0]().to(device)
    batch = {k: v.to(device) for k, v in data_for(name, 1).items()}
    noise = {k: torch.randn(s, device=device) for k, s in model.noise_shapes(BATCH).items()}
    with FlopCounterMode(display=False) as counter:
        weights = {k: torch.tensor(float(v), device=device)
                   for k, v in {'beta': 1., **FIT_ARGS.get(name, {}).get('weights', {})}.items()}
        loss = model.objective(model(batch, noise), weights)
        loss.backward()
    return counter.get_total_flops()


def matmul_peak(device, n=8192, reps=10, dtype=torch.float32):
    "Achieved FLOP/s of an n^3 matrix product of `dtype` (the device's practical peak for this precision setting)."
    a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
    for _ in range(3): a @ b
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(reps): a @ b
    torch.cuda.synchronize()
    return 2 * n ** 3 * reps / (time.perf_counter() - t)


def bench(device, K, name, steps, peak=None, sequential=True, strategies=('auto',), bf16=False):
    "One line: ms per model-step of the ensemble for each strategy, of the sequential baseline, and their ratios."
    if bf16:
        try:
            with torch.autocast(device, dtype=torch.bfloat16):
                return bench(device, K, name, steps, peak, sequential, strategies)
        except RuntimeError as e:  # e.g. BatchNorm in the vmap path: bf16 activations, fp32 running statistics
            print(f"{device:4s} {name:11s} K={K:3d}: bf16 autocast failed: {str(e).splitlines()[0]}", flush=True)
            return
    make = MODELS[name][0]
    X = data_for(name, steps)
    kw = dict(epochs=1, batch_size=BATCH, progress=False, device=device, **FIT_ARGS.get(name, {}))
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    n, took = steps * K, {}
    for strategy in strategies:
        used = auto_strategy(make(), device, sample_batch(X, None, device)) if strategy == 'auto' else strategy
        warm = {k: v[:2 * BATCH] for k, v in X.items()}
        fit(make, warm, seeds=list(range(K)), strategy=used, **kw)  # warm-up (allocator, kernels, vmap tracing)
        if device == 'cuda': torch.cuda.reset_peak_memory_stats()
        sync(); t = time.perf_counter()
        fit(make, X, seeds=list(range(K)), strategy=used, **kw)
        sync(); took[used] = time.perf_counter() - t
    memory = f", peak memory {torch.cuda.max_memory_allocated() / 2 ** 30:.2f} GiB" if device == 'cuda' else ''
    line = f"{device:4s} {name:11s} K={K:3d}: " + ', '.join(f"{u} ensemble {1e3 * v / n:8.2f} ms/model-step"
                                                          for u, v in took.items())
    if sequential:
        t = time.perf_counter()
        for s in range(K): fit(make, X, seeds=s, **kw)
        sync(); seq = time.perf_counter() - t
        line += f", sequential {1e3 * seq / n:8.2f} ms/model-step, speed-up " + ', '.join(
            f"{u} x{seq / v:5.2f}" for u, v in took.items())
    if peak:
        flops = flops_per_model_step(name, device)
        rate = flops * n / min(took.values())
        line += (f"; {flops / 1e9:6.2f} GFLOP/model-step, {rate / 1e12:6.2f} TFLOP/s = {100 * rate / peak:5.2f} % "
                 f"of peak{memory}")
    print(line, flush=True)
    if PROFILE: profile_step(name, X, K, device)


PROFILE = False


def profile_step(name, X, K, device, top=12):
    "The CUDA kernels of a few ensemble steps, by total time: where the step's time goes."
    from torch.profiler import profile, ProfilerActivity
    make, kw = MODELS[name][0], dict(epochs=1, batch_size=BATCH, progress=False, device=device,
                                     **FIT_ARGS.get(name, {}))
    data = {k: v[:4 * BATCH] for k, v in X.items()}
    cuda = device == 'cuda'
    with profile(activities=[ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])) as prof:
        fit(make, data, seeds=list(range(K)), **kw)
        if cuda: torch.cuda.synchronize()
    print(prof.key_averages().table(sort_by='cuda_time_total' if cuda else 'cpu_time_total', row_limit=top,
                                    max_name_column_width=60), flush=True)


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--steps', type=int, default=None, help='steps per fit (default: 8 on CPU, 40 on GPU)')
    ap.add_argument('--K', type=int, nargs='+', default=[1, 10, 50], help='ensemble sizes')
    ap.add_argument('--models', nargs='+', default=list(MODELS), choices=list(MODELS))
    ap.add_argument('--devices', nargs='+', default=None, help="'cpu' and/or 'cuda' (default: both when present)")
    ap.add_argument('--cudnn-benchmark', action='store_true', help='let cuDNN time its convolution algorithms')
    ap.add_argument('--profile', action='store_true', help='print the top CUDA kernels of one ensemble step')
    ap.add_argument('--tf32', action='store_true', help='on a GPU, also run the ensembles with TF32 (no baseline)')
    ap.add_argument('--bf16', action='store_true', help='also run the ensembles under bf16 autocast (no baseline)')
    ap.add_argument('--no-sequential', action='store_true', help='skip the sequential baseline (measured elsewhere)')
    ap.add_argument('--strategies', nargs='+', default=None, choices=['auto', 'vmap', 'loop'],
                    help="ensemble strategies to time (default: auto; on the CPU vmap and loop for conv models)")
    a = ap.parse_args()
    PROFILE = a.profile
    torch.backends.cudnn.benchmark = a.cudnn_benchmark
    devices = a.devices or (['cpu'] + (['cuda'] if torch.cuda.is_available() else []))
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}"
          + (f", GPU {torch.cuda.get_device_name()}" if torch.cuda.is_available() else ', no GPU'), flush=True)
    for name in a.models: print(f"  {name:11s} {MODELS[name][3]}")
    for d in devices:
        modes = ['fp32'] + (['tf32'] if d == 'cuda' and a.tf32 else []) + (['bf16'] if a.bf16 else [])
        for mode in modes:
            peak = None
            if d == 'cuda':
                torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = mode == 'tf32'
                peak = matmul_peak(d, dtype=torch.bfloat16 if mode == 'bf16' else torch.float32)
                print(f"cuda, {mode}: 8192^3 matmul peak measured {peak / 1e12:.1f} TFLOP/s", flush=True)
            elif mode == 'bf16': print("cpu, bf16 autocast", flush=True)
            for name in a.models:
                conv = has_conv(MODELS[name][0]())
                strategies = a.strategies or (('vmap', 'loop') if d == 'cpu' and conv else ('auto',))
                for K in a.K:
                    bench(d, K, name, a.steps or (8 if d == 'cpu' else 40), peak,
                          sequential=mode == 'fp32' and not a.no_sequential, strategies=strategies, bf16=mode == 'bf16')
