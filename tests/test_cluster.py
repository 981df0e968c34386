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
