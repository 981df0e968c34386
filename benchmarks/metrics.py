"""The challenge-metric suite on 10,000 codes (10 latents, 5 factors): the fast path against disentanglement_lib's way.

Baseline (disentanglement_lib's way): mutual information by per-pair `mutual_info_score` loops and DCI with
scikit-learn's GradientBoostingClassifier. Fast path: vectorised mutual information and DCI with the LightGBM backend.
SAP, IRS and modularity/explicitness are the same code in both. Prints each metric's time and value on both paths,
the largest difference of any value, and the ratio of the totals; then DCI's agreement on two more kinds of code.
"""
import time
import numpy as np
from latentnb import metrics as M

rng = np.random.default_rng(0)
N, L, F = 10000, 10, 5
factors = np.stack([rng.integers(0, s, N) for s in (3, 6, 10, 16, 16)], 1)
rotation = np.linalg.qr(rng.standard_normal((L, L)))[0]
codes = (np.c_[factors + 0.3 * rng.standard_normal(factors.shape), rng.standard_normal((N, L - F))] @ rotation * 0.2
         + np.c_[factors, np.zeros((N, L - F))])


def timed(f):
    t = time.perf_counter(); out = f(); return out, time.perf_counter() - t


def suite(codes, factors, fast: bool) -> tuple:
    "Every challenge array metric (and modularity/explicitness), timed one by one."
    method = 'vectorised' if fast else 'loop'
    parts = {'mig': lambda: M.mig(codes, factors, method=method),
             'sap': lambda: M.sap(codes, factors),
             'dci': lambda: M.dci(codes, factors, backend='lightgbm' if fast else 'sklearn'),
             'irs': lambda: M.irs(codes, factors),
             'modularity_explicitness': lambda: M.modularity_explicitness(codes, factors)}
    values, times = {}, {}
    for name, f in parts.items():
        out, times[name] = timed(f)
        values.update(out)
    return values, times


fast_values, fast_times = suite(codes, factors, fast=True)
slow_values, slow_times = suite(codes, factors, fast=False)
print(f"{'metric':26s} {'fast':>9s} {'baseline':>9s}   values (fast / baseline)")
for name in fast_times:
    print(f"{name:26s} {fast_times[name]:8.2f}s {slow_times[name]:8.2f}s")
worst = max(fast_values, key=lambda k: abs(fast_values[k] - slow_values[k]))
for k in fast_values:
    print(f"  {k:28s} {fast_values[k]:.4f} / {slow_values[k]:.4f}   diff {abs(fast_values[k] - slow_values[k]):.4f}")
t_fast, t_slow = sum(fast_times.values()), sum(slow_times.values())
print(f"whole suite on {N:,} x {L} codes: fast {t_fast:.2f} s, disentanglement_lib's way {t_slow:.2f} s, "
      f"ratio x{t_slow / t_fast:.1f}; largest difference {abs(fast_values[worst] - slow_values[worst]):.4f} ({worst})")

print("DCI agreement on two more kinds of code (3,000 samples):")
n = 3000
f3 = rng.integers(0, 20, (n, F))
kinds = {'aligned, little noise': np.c_[f3 + 0.5 * rng.standard_normal((n, F)), rng.standard_normal((n, L - F))],
         'mixed, noisy': np.c_[f3 + 2 * rng.standard_normal((n, F)), rng.standard_normal((n, L - F))]
                         @ (np.eye(L) + 0.3 * rng.standard_normal((L, L)))}
for kind, z in kinds.items():
    (a, ta), (b, tb) = timed(lambda: M.dci(z, f3, backend='lightgbm')), timed(lambda: M.dci(z, f3))
    diffs = {k: abs(a[k] - b[k]) for k in a}
    print(f"  {kind:22s} lightgbm {ta:5.2f} s, sklearn {tb:6.2f} s; D {a['dci_disentanglement']:.3f} / "
          f"{b['dci_disentanglement']:.3f}, C {a['dci_completeness']:.3f} / {b['dci_completeness']:.3f}, "
          f"I {a['dci_informativeness_test']:.3f} / {b['dci_informativeness_test']:.3f}; "
          f"largest diff {max(diffs.values()):.3f}")

th = rng.standard_normal((10000, 2)); z = th @ [[0.9, 0.1], [0.2, 1.1]]
_, t_skl = timed(lambda: M.s_kl(z, th))
print(f"s_kl on 10,000 2-d codes (4,000 used): {t_skl:.2f} s")
