"""Speed-up of training K models at once (vmap ensemble) over training them one after another."""
import argparse, time
import torch
from torch import nn
from latentnb.nn import MLP, View, ConvEncoder64, ConvDecoder64
from latentnb.distributions import GaussianLatent
from latentnb.vae import VAE
from latentnb.train import fit

def bench(device, K, arch, steps):
    if arch == 'mlp':
        X = torch.rand(64 * steps, 1, 32, 32).round()
        make = lambda: VAE(nn.Sequential(nn.Flatten(), MLP([1024, 256, 256]), nn.ReLU()), GaussianLatent(256, 10), nn.Sequential(MLP([10, 256, 256, 1024]), View(1, 32, 32)), likelihood='bernoulli')
    else:
        X = torch.rand(64 * steps, 1, 64, 64).round()
        make = lambda: VAE(ConvEncoder64(1), GaussianLatent(256, 10), ConvDecoder64(10, 1), likelihood='bernoulli')
    kw = dict(epochs=2, batch_size=64, progress=False, device=device)
    fit(make, {'x': X[:128]}, seeds=list(range(K)), epochs=1, batch_size=64, progress=False, device=device)  # warm-up
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    sync(); t = time.perf_counter(); fit(make, {'x': X}, seeds=list(range(K)), **kw); sync(); ens = time.perf_counter() - t
    t = time.perf_counter()
    for s in range(K): fit(make, {'x': X}, seeds=s, **kw)
    sync(); seq = time.perf_counter() - t
    n = 2 * steps * K
    print(f"{device:5s} {arch:4s} K={K:3d}: ensemble {ens:7.2f} s ({1e3 * ens / n:6.2f} ms/model-step), "
          f"sequential {seq:7.2f} s ({1e3 * seq / n:6.2f} ms/model-step), speed-up x{seq / ens:.2f}")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--steps', type=int, default=10); ap.add_argument('--K', type=int, nargs='+', default=[8])
    a = ap.parse_args()
    devices = ['cpu'] + (['cuda'] if torch.cuda.is_available() else [])
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}" + (f", GPU {torch.cuda.get_device_name()}" if torch.cuda.is_available() else ', no GPU'))
    for d in devices:
        for arch in ('mlp', 'conv'):
            for K in a.K: bench(d, K, arch, a.steps if d == 'cpu' else 5 * a.steps)
