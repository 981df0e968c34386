"""A paper's study trained on a local Dask cluster of two workers gives the numbers of the single-machine run."""
import os
from dataclasses import replace
import numpy as np
import pytest
import torch

pytest.importorskip('distributed')
import latentnb.distributed as dist
from latentnb.distributed import connect
from latentnb.experiments import perezrey as pr

LOCAL = f'local:2x{torch.get_num_threads()}'  # two workers, each with this process's thread count

@pytest.fixture(scope='module')
def client():
    client = connect(LOCAL)
    yield client
    client.close(); client.cluster.close()

def test_perezrey_study_on_two_workers(client, monkeypatch):
    "The Delta-VAE study (sphere latent, capacity annealing) of Perez Rey: same weights, history and scores."
    P = replace(pr.PEREZREY_PROFILES['quick'], n_train=512, epochs=3, seeds=4, n_eval=400, score_points=60)
    spec = next(s for s in pr.model_grid(P) if s.family == 'delta')
    gen, train, ev = pr.dsprites_data(P, seed=0)
    monkeypatch.delenv('LATENTNB_CLUSTER', raising=False)  # the single-machine run really runs here
    single = pr.train_spec(P, spec, train, seed=0, progress=False)
    chunks = []  # the chunks the workers trained, seen through a spy on the function that submits them
    original = dist.chunk_seeds
    monkeypatch.setattr(dist, 'chunk_seeds', lambda *a, **k: chunks.append(original(*a, **k)) or chunks[-1])
    monkeypatch.setenv('LATENTNB_CLUSTER', LOCAL)  # what `latentnb reproduce --cluster` sets
    distributed = pr.train_spec(P, spec, train, seed=0, progress=False)
    monkeypatch.delenv('LATENTNB_CLUSTER')
    assert chunks == [[single.seeds[:2], single.seeds[2:]]]
    assert distributed.seeds == single.seeds and len(single.seeds) == 4
    for name, p in single.ensemble.params.items(): assert torch.equal(distributed.ensemble.params[name], p), name
    for name, b in single.ensemble.buffers.items(): assert torch.equal(distributed.ensemble.buffers[name], b), name
    assert distributed.history.keys() == single.history.keys()
    for name, h in single.history.items(): np.testing.assert_array_equal(distributed.history[name], h, err_msg=name)
    scores = lambda run: pr.score_spec(run, spec, gen, ev, P)
    assert scores(distributed) == scores(single)

def test_study_records_on_two_workers(client, tmp_path, monkeypatch):
    "run_study on the cluster: each model trains on a worker, and the records it sends back are the single machine's."
    from latentnb.study import FactorData, StudyParams, run_study
    t = np.random.default_rng(0).uniform(-1, 1, (300, 2))
    data = FactorData('toy', np.c_[np.sin(2 * t), t**2, t[:, :1] * t[:, 1:]], t, ['a', 'b'])
    P = StudyParams(latent=3, hidden=16, epochs=3, seeds=3, n_train=200, n_eval=60)
    monkeypatch.delenv('LATENTNB_CLUSTER', raising=False)
    single = run_study('VAE', data, tmp_path/'single', P, progress=False)
    monkeypatch.setenv('LATENTNB_CLUSTER', LOCAL)  # what `latentnb reproduce --cluster` sets
    remote = run_study('VAE', data, tmp_path/'remote', P, progress=False, cluster=client)
    assert [r['seed'] for r in remote] == [r['seed'] for r in single] and len(remote) == 3
    for a, b in zip(single, remote):
        assert a['metrics'] == b['metrics'] and a['loss'] == b['loss'] and np.array_equal(a['codes'], b['codes'])
    written = lambda folder: sorted(p.relative_to(folder) for p in folder.rglob('seed-*.*'))
    assert written(tmp_path/'remote') == written(tmp_path/'single') and len(written(tmp_path/'single')) == 6
    # read back, not retrained: the records on disk are those the workers sent
    again = run_study('VAE', data, tmp_path/'remote', P, progress=False, cluster=client)
    assert [r['metrics'] for r in again] == [r['metrics'] for r in remote]
