"""`latentnb bench` on a user's file: every family trained and scored, the same numbers again, bad input refused."""
import json, subprocess, sys
from pathlib import Path
import h5py, numpy as np, pytest
from latentnb.study import FactorData, FAMILIES, write_factor_file

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent/'latentnb'

def bench(*args):
    return subprocess.run([str(EXE), 'bench', *args, '--device', 'cpu', '--no-progress'], cwd=ROOT,
                          capture_output=True, text=True)

@pytest.fixture(scope='module')
def user_file(tmp_path_factory):
    "A factor-labelled HDF5 file as a user would write it: 300 samples of 5 features, two factors."
    t = np.random.default_rng(0).uniform(-1, 1, (300, 2))
    x = np.c_[np.sin(2 * t), t**2, t[:, :1] * t[:, 1:]]
    return write_factor_file(tmp_path_factory.mktemp('user')/'galaxies.h5', FactorData('g', x, t, ['radius', 'g1']))

def test_bench_every_family_and_same_numbers(user_file, tmp_path):
    outs = []
    for k in range(2):
        r = bench('--data', str(user_file), '--factors', 'radius,g1', '--epochs', '2', '--seeds', '1',
                  '--out', str(tmp_path/f'run{k}'))
        assert r.returncode == 0, r.stderr
        records = sorted((tmp_path/f'run{k}'/'records'/'galaxies').rglob('seed-*.json'))
        assert len(records) == len(FAMILIES) and (tmp_path/f'run{k}'/'table.md').exists()
        outs.append([json.loads(p.read_text())['metrics'] for p in records])
    assert outs[0] == outs[1]  # same seed, same records
    table = (tmp_path/'run0'/'table.md').read_text()
    again = bench('--data', str(user_file), '--factors', 'radius,g1', '--epochs', '2', '--seeds', '1',
                  '--out', str(tmp_path/'run0'))  # every record exists: nothing trains, the same table
    assert again.returncode == 0 and (tmp_path/'run0'/'table.md').read_text() == table

@pytest.mark.parametrize('make,factors,msg', [
    (lambda p: p.write_text('radius,g1\n1,2\n'), 'radius', 'not an HDF5 or netCDF file'),
    (None, 'radius,mass', "no variable 'mass' (the file has: g1, radius, x)"),
    ('nan', 'radius,g1', 'non-finite values (NaN or inf) in x'),
    ('short', 'radius', "factor 'radius' has shape (10,)"),
    (None, ',', 'name at least one factor')])
def test_bad_input_one_line_exit_2(user_file, tmp_path, make, factors, msg):
    path = user_file
    if callable(make): path = tmp_path/'table.h5'; make(path)
    elif make is not None:
        path = tmp_path/f'{make}.h5'
        with h5py.File(user_file) as f, h5py.File(path, 'w') as g:
            x = f['x'][()]
            if make == 'nan': x[7, 2] = np.nan
            g['x'], g['radius'], g['g1'] = x, f['radius'][()][:10 if make == 'short' else None], f['g1'][()]
    r = bench('--data', str(path), '--factors', factors, '--epochs', '1', '--seeds', '1', '--out', str(tmp_path/'o'))
    assert r.returncode == 2 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path/'o'/'records').exists()  # nothing trained, nothing written

def test_sigkill_mid_study_resumes_to_the_same_records(user_file, tmp_path):
    "Killed without warning (mid-training or mid-write), the same command finishes with the records of a clean run."
    import os, signal, time
    args = ['--data', str(user_file), '--factors', 'radius,g1', '--epochs', '10', '--seeds', '2']
    clean = bench(*args, '--out', str(tmp_path/'clean'))
    assert clean.returncode == 0, clean.stderr
    cmd = [str(EXE), 'bench', *args, '--out', str(tmp_path/'killed'), '--device', 'cpu', '--no-progress']
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and len(list((tmp_path/'killed').rglob('seed-*.json'))) < 3: time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL); proc.wait()
    # a kill during a write leaves atomic_path's temporary beside the file: plant one, as the kill lands there rarely
    half = next((tmp_path/'killed'/'records').rglob('seed-*.json')).parent/'.seed-1.ckpt.pt.x1y2z3.pt'
    half.write_bytes(b'half a checkpoint')
    assert bench(*args, '--out', str(tmp_path/'killed')).returncode == 0
    read = lambda root: {p.relative_to(root).as_posix(): json.loads(p.read_text())['metrics']
                         for p in sorted(root.rglob('seed-*.json'))}
    assert read(tmp_path/'clean'/'records') == read(tmp_path/'killed'/'records')
    assert not list((tmp_path/'killed').rglob('.seed-*'))  # no temporary file left behind
