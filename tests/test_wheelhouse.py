"""A GPU node without internet: `make wheelhouse` gathers every wheel a run needs except torch; a fresh environment
with the package index switched off installs latentnb from it beside an existing torch and runs a quick paper."""
import os, subprocess, sys
from pathlib import Path
import pytest, torch

ROOT = Path(__file__).resolve().parents[1]

def sh(*args, **kw):
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{' '.join(map(str, args))}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r

@pytest.fixture(scope='module')
def offline_env(tmp_path_factory):
    "A fresh venv with the node's torch (this machine's build), then latentnb from the wheelhouse, index off."
    tmp = tmp_path_factory.mktemp('node')
    sh('make', '-s', 'wheelhouse', f'WHEELHOUSE={tmp/"wheelhouse"}', cwd=ROOT)
    assert not list((tmp/'wheelhouse').glob('torch-*')), "torch must not travel: the node has its own build"
    sh(Path(sys.executable).parent/'pip', 'download', '-q', '-d', tmp/'torch', f'torch=={torch.__version__}')  # and its deps
    sh(getattr(sys, '_base_executable', sys.executable), '-m', 'venv', tmp/'venv')
    pip = [tmp/'venv'/'bin'/'python', '-m', 'pip', 'install', '-q', '--no-index']
    offline = {**os.environ, 'PIP_NO_INDEX': '1', 'PIP_FIND_LINKS': '', 'PIP_CONFIG_FILE': os.devnull}
    sh(*pip, '--find-links', tmp/'torch', f'torch=={torch.__version__}', env=offline)  # stands for the node's torch
    sh(*pip, '--find-links', tmp/'wheelhouse', 'latentnb', env=offline)
    return tmp

def test_offline_install_has_no_jupyterlab(offline_env):
    r = subprocess.run([offline_env/'venv'/'bin'/'python', '-c', 'import jupyterlab'], capture_output=True)
    assert r.returncode != 0, "JupyterLab is not part of a run and should not travel"

def test_offline_install_runs_a_quick_paper(offline_env):
    exe = offline_env/'venv'/'bin'/'latentnb'
    assert 'teaching' in sh(exe, 'list', cwd=ROOT).stdout
    env = {**os.environ, 'LATENTNB_DATA': str(offline_env/'cache')}
    r = sh(exe, 'reproduce', 'teaching', '--profile', 'quick', '--device', 'cpu', '--out', offline_env/'figs',
           '--no-progress', cwd=ROOT, env=env, timeout=1800)
    assert (offline_env/'figs'/'quick'/'teaching'/'results.json').exists(), r.stdout
