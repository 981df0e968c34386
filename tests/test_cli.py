"""The `latentnb` command: listing, argument errors, and an end-to-end quick reproduction of every paper."""
import json, os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent/'latentnb'

def run(*args, **kw):
    return subprocess.run([str(EXE), *args], cwd=ROOT, capture_output=True, text=True, **kw)

def test_list():
    r = run('list')
    assert r.returncode == 0 and 'teaching' in r.stdout and 'jacobsen2022' in r.stdout

@pytest.mark.parametrize('args,msg', [(('reproduce', 'nope'), 'valid: teaching'), (('reproduce', '--profile', 'fast'), 'valid: quick, full'),
                                      (('reproduce', '--device', 'tpu'), 'valid: auto, cpu, cuda')])
def test_bad_arguments_name_the_valid_ones(args, msg):
    r = run(*args)
    assert r.returncode == 2 and msg in r.stderr

def test_reproduce_quick_all_papers(tmp_path):
    """The README's main command, into a temporary folder: every quick claim that gates CI must hold."""
    env = {**os.environ, 'LATENTNB_DATA': str(tmp_path/'cache')}
    r = run('reproduce', '--profile', 'quick', '--device', 'cpu', '--out', str(tmp_path/'figs'), '--no-progress', env=env, timeout=3000)
    print(r.stdout[-3000:], r.stderr[-3000:])
    assert r.returncode == 0
    index = (tmp_path/'figs'/'quick'/'README.md').read_text()
    assert '**reproduced**' in index and not (tmp_path/'figs'/'README.md').exists()  # quick never writes the full index
    for paper in ('teaching', 'jacobsen2022'):
        res = json.loads((tmp_path/'figs'/'quick'/paper/'results.json').read_text())
        assert res['profile'] == 'quick' and res['claims'] and all((tmp_path/'figs'/'quick'/paper/f['path']).exists() for f in res['figures'])
