"""The `latentnb` command: listing, argument errors, and end-to-end quick reproductions of every paper."""
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent/'latentnb'

def run(*args, **kw):
    return subprocess.run([str(EXE), *args], cwd=ROOT, capture_output=True, text=True, **kw)

def numbers(results:dict)->dict:
    "Every measured number and verdict of a results record (not its date, commit or wall time)."
    return {'metrics': results['metrics'], 'claims': results['claims'], 'params': results['params']}

def test_list():
    r = run('list')
    assert r.returncode == 0
    assert all(p in r.stdout for p in ('teaching', 'jacobsen2022', 'perezrey2019', 'auxvae', 'jiwa', 'benchmark'))

@pytest.mark.parametrize('args,msg', [(('reproduce', 'nope'), 'valid: teaching'),
                                      (('reproduce', '--profile', 'fast'), 'valid: quick, reference, full'),
                                      (('reproduce', '--device', 'tpu'), 'valid: auto, cpu, cuda'),
                                      (('reproduce', '--seed', '-3'), 'non-negative integer, got -3'),
                                      (('reproduce', '--out', '/proc/x'), 'cannot be written'),
                                      (('reproduce', '--budget', '0'), 'positive number of minutes, got 0')])
def test_bad_arguments_name_the_valid_ones(args, msg):
    r = run(*args)
    assert r.returncode == 2 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr

@pytest.fixture(scope='module')
def quick_all(tmp_path_factory):
    "The README's main command, into a temporary folder, with a user-level `python3` kernel that cannot import us."
    tmp = tmp_path_factory.mktemp('quick')
    spec = tmp/'jupyter'/'kernels'/'python3'; spec.mkdir(parents=True)
    (spec/'kernel.json').write_text(json.dumps({'argv': ['/bin/false', '{connection_file}'], 'display_name': 'alien',
                                                'language': 'python'}))
    env = {**os.environ, 'LATENTNB_DATA': str(tmp/'cache'), 'JUPYTER_DATA_DIR': str(tmp/'jupyter')}
    r = run('reproduce', '--profile', 'quick', '--device', 'cpu', '--out', str(tmp/'figs'), '--no-progress', env=env,
            timeout=3000)
    print(r.stdout[-3000:], r.stderr[-3000:])
    return tmp, env, r

def test_reproduce_quick_all_papers(quick_all):
    "Every quick claim that gates CI holds; outputs, checkpoints and the index land under --out, with normal modes."
    tmp, _, r = quick_all
    assert r.returncode == 0
    index = (tmp/'figs'/'quick'/'README.md').read_text()
    assert '**reproduced**' in index and not (tmp/'figs'/'README.md').exists()  # quick never writes the full index
    for paper in ('teaching', 'jacobsen2022', 'perezrey2019', 'auxvae', 'jiwa', 'benchmark'):
        folder = tmp/'figs'/'quick'/paper
        res = json.loads((folder/'results.json').read_text())
        assert res['profile'] == 'quick' and res['claims'] and all((folder/f['path']).exists() for f in res['figures'])
        assert (folder/'results.json').stat().st_mode & 0o777 == 0o644
    # every paper is on the study runner: records, not checkpoints, one JSON and its arrays per trained model
    for paper in ('teaching', 'jacobsen2022', 'perezrey2019', 'auxvae', 'jiwa', 'benchmark'):
        records = list((tmp/'figs'/'quick'/paper/'checkpoints-records').rglob('seed-*.json'))
        assert records and all(r.with_suffix('.npz').exists() for r in records), paper

def test_same_seed_same_numbers(quick_all):
    """A second run of the teaching notebook with the same seed gives every number of the first, exactly, also when
    it is stopped by a time budget and continued by the same command without one."""
    tmp, env, _ = quick_all
    args = ('reproduce', 'teaching', '--profile', 'quick', '--device', 'cpu', '--out', str(tmp/'again'),
            '--no-progress')
    r = run(*args, '--budget', '1', env=env, timeout=1500)  # about two thirds of the quick run (95 s on 2 cores)
    assert r.returncode == 3 and 'The same command continues from there' in r.stderr, (r.stdout[-2000:], r.stderr)
    assert 'only what is left: latentnb reproduce teaching --profile quick' in r.stderr, r.stderr
    assert 'checkpoints-records/beta_vaes/' in r.stderr, r.stderr  # the budget message names the checkpoint kept
    assert list((tmp/'again'/'quick'/'teaching'/'checkpoints-records').rglob('*.ckpt.pt')), 'no checkpoint kept'
    r = run(*args, env=env, timeout=1500)
    assert r.returncode == 0, r.stderr[-2000:]
    first = json.loads((tmp/'figs'/'quick'/'teaching'/'results.json').read_text())
    second = json.loads((tmp/'again'/'quick'/'teaching'/'results.json').read_text())
    assert numbers(first) == numbers(second)

def test_ctrl_c_stops_cleanly(tmp_path):
    "Ctrl-C: one line saying what was kept, exit status 130, no traceback."
    env = {**os.environ, 'LATENTNB_DATA': str(tmp_path/'cache')}
    p = subprocess.Popen([str(EXE), 'reproduce', 'teaching', '--device', 'cpu', '--out', str(tmp_path/'figs'),
                          '--no-progress'], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a terminal
    time.sleep(20)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, (out[-1000:], err[-2000:])
    assert 'interrupted during teaching' in err and 'Traceback' not in err, err[-2000:]
