"""Aux-VAE correlation penalties computed from one correlation matrix, against one `batch_corr` per pair of powers.

The slides' penalties sum |Corr(u^k, z^l)| over the K^2 pairs of powers (and, within z_aux, over the auxiliaries one
by one); the authors' code form sums over K^2 pairs and the products u_j u_k. `latentnb.experiments.auxvae` computes
every such term from one correlation matrix of the stacked powers (`power_corr`, `r_intra`, `code_inter`). The
baseline here is the literal loop (what the library did before, kept below), swapped into the same models. For each
data set and penalty form it trains the Aux-VAE as `fit` does in the studies (an ensemble of `--K` seeds, vmap) and
prints the time per model-step of both, their ratio and how far the two forms' penalty values and gradients on one
batch lie apart: the largest absolute difference over all of them, relative to the largest magnitude among them
(float32; rounding only).

    python benchmarks/auxvae_penalty.py                      # CPU, and the GPU when there is one
    python benchmarks/auxvae_penalty.py --devices cuda --K 5 --steps 40
"""
import argparse, time
import torch
from latentnb.experiments import auxvae
from latentnb.experiments.auxvae import AuxPenalty, batch_corr, powers, code_intra
from latentnb.train import fit

BATCH = 64


def literal_r0(v, w, K):
    pv, pw = powers(v, K), powers(w, K)
    return sum(batch_corr(a, b).abs().sum() for a in pv for b in pw) / (K * v.shape[1] * w.shape[1])


def literal_r1(v, w, K, equal_powers=False):
    pv, pw, m = powers(v, K), powers(w, K), v.shape[1]
    pairs = [(k, l) for k in range(K) for l in range(K) if equal_powers or k != l]
    return sum((1 - torch.diagonal(batch_corr(pv[k], pw[l])).abs()).sum() for k, l in pairs) / (K * m * m)


def literal_code_inter(mu_recon, u, K=3):
    total = sum(batch_corr(mu_recon**p, u**q).abs().sum() for p in range(1, K + 1) for q in range(1, K + 1))
    j, k = torch.triu_indices(u.shape[1], u.shape[1], 1)
    if len(j): total = total + batch_corr(mu_recon, u[:, j] * u[:, k]).abs().sum()
    return total / mu_recon.shape[1]


class LiteralAuxPenalty(AuxPenalty):
    "The penalty as the library computed it before: one batch_corr per pair of powers and per auxiliary."
    def forward(self, vae, batch, out):
        u, d = batch[self.key], self.n_aux
        z = vae.latent.gaussian(out['params'])[0]
        if self.form == 'code':
            return code_intra(out['z'][:, :d], u) if self.part == 'intra' else literal_code_inter(z[:, d:], u, self.K)
        if self.part == 'inter': return literal_r0(u, z[:, d:], self.K)
        total = 0.
        for j in range(d):
            others = [i for i in range(d) if i != j]
            total = total + literal_r1(u[:, j:j + 1], z[:, j:j + 1], self.K, self.equal_powers)
            if others: total = total + literal_r0(u[:, j:j + 1], z[:, others], self.K)
        return total


def literal(make):
    "The same model factory with the literal penalties."
    def make_literal():
        model = make()
        for term in model.extras.values():
            if isinstance(term, AuxPenalty): term.__class__ = LiteralAuxPenalty
        return model
    return make_literal


def setting(kind, variant, steps):
    "(model factory, `steps` batches of random data of the right shapes) of the reference profile's data set `kind`."
    P = auxvae.AUXVAE_PROFILES['reference']
    n_aux, shape = (3, (1, 33, 33)) if kind == 'galaxy' else (4, (P.n_sim,))
    g = torch.Generator().manual_seed(0)
    n = BATCH * max(steps, 2)
    data = {'x': torch.rand(n, *shape, generator=g), 'aux': torch.randn(n, n_aux, generator=g)}
    return auxvae.make_model(P, kind, variant, n_aux, None if kind == 'galaxy' else P.n_sim), data


def agreement(make, data, device):
    "max |difference| / max |value| over the two forms' penalty values and gradients together, one model, one batch."
    torch.manual_seed(0)
    model = make().to(device)
    batch = {k: v[:BATCH].to(device) for k, v in data.items()}
    noise = {k: torch.randn(s, device=device) for k, s in model.noise_shapes(BATCH).items()}
    out = []
    for cls in (AuxPenalty, LiteralAuxPenalty):
        for term in model.extras.values(): term.__class__ = cls
        terms = model(batch, noise)
        values = torch.stack([terms[k] for k in model.extras])
        grads = torch.autograd.grad(values.sum(), list(model.parameters()), allow_unused=True)
        out.append(torch.cat([values.detach().flatten()] + [g.flatten() for g in grads if g is not None]))
    return ((out[0] - out[1]).abs().max() / out[1].abs().max()).item()


def bench(device, kind, variant, K, steps):
    make, data = setting(kind, variant, steps)
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    kw = dict(seeds=list(range(K)), epochs=1, batch_size=BATCH, progress=False, device=device,
              strategy='vmap')
    took = {}
    for name, factory in (('one matrix', make), ('literal', literal(make))):
        fit(factory, {k: v[:2 * BATCH] for k, v in data.items()}, **kw)  # warm-up
        sync(); t = time.perf_counter()
        fit(factory, data, **kw)
        sync(); took[name] = time.perf_counter() - t
    diff, n = agreement(make, data, device), K * steps
    fast, slow = took['one matrix'], took['literal']
    print(f"{device:4s} {kind:6s} {variant:11s} K={K:2d}: one matrix {1e3 * fast / n:7.2f} ms/model-step, "
          f"literal {1e3 * slow / n:7.2f} ms/model-step, speed-up x{slow / fast:5.2f}"
          f"; largest relative difference of values and gradients {diff:.1e}", flush=True)


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--K', type=int, default=5, help='ensemble members (the full profile trains 5 seeds)')
    ap.add_argument('--steps', type=int, default=None, help='steps per fit (default: 10 on CPU, 40 on GPU)')
    ap.add_argument('--devices', nargs='+', default=None, help="'cpu' and/or 'cuda' (default: both when present)")
    a = ap.parse_args()
    devices = a.devices or (['cpu'] + (['cuda'] if torch.cuda.is_available() else []))
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}"
          + (f", GPU {torch.cuda.get_device_name()}" if torch.cuda.is_available() else ', no GPU'), flush=True)
    for d in devices:
        for kind in ('qcf', 'galaxy'):
            for variant in ('auxvae', 'auxvae_code'):
                bench(d, kind, variant, a.K, a.steps or (10 if d == 'cpu' else 40))
