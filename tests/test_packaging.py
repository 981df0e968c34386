"""Packaging checks: environment.yml lists exactly the dependencies of settings.ini; notebooks keep papermill's tag
and every code cell is valid Python."""
import configparser, json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _names(reqs):
    return {re.split(r'[<>=!~ ]', r, maxsplit=1)[0].lower(): r for r in reqs}

def test_environment_yml_matches_settings_ini():
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini')
    ini = _names(' '.join(cfg['DEFAULT'][k] for k in ('requirements', 'lab_requirements', 'dev_requirements')).split())
    import yaml
    deps = yaml.safe_load((ROOT/'environment.yml').read_text())['dependencies']
    pip = _names([r for r in next(d['pip'] for d in deps if isinstance(d, dict)) if not r.startswith('-e')])
    assert set(ini) == set(pip), (f"only in settings.ini: {set(ini) - set(pip)}; "
                                  f"only in environment.yml: {set(pip) - set(ini)}")
    assert all(ini[k].replace(' ', '') == pip[k].replace(' ', '') for k in ini), "version pins differ"

def test_paper_notebooks_have_parameters_cell():
    for nb in sorted((ROOT/'nbs'/'papers').glob('*.ipynb')):
        cells = json.loads(nb.read_text())['cells']
        tagged = [c for c in cells if 'parameters' in c.get('metadata', {}).get('tags', [])]
        assert len(tagged) == 1, f"{nb.name} needs exactly one cell tagged 'parameters'"
        src = ''.join(tagged[0]['source'])
        for p in ('profile', 'device', 'seed', 'out_dir'):
            assert re.search(rf'^{p}\s*=', src, re.M), f"{nb.name}: no {p} parameter"

def test_notebooks_are_clean():
    for nb in sorted((ROOT/'nbs').rglob('*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            if c['cell_type'] == 'code':
                assert c.get('execution_count') is None and not c.get('outputs'), \
                    f"{nb.name} has outputs; run nbdev_clean"

def test_every_paper_has_a_notebook():
    from latentnb.reproduce import PAPERS
    for p in PAPERS.values(): assert (ROOT/'nbs'/p.notebook).exists(), p.notebook

def test_every_code_cell_compiles():
    "nbdev_test (execnb 0.1.14) passes a cell with a syntax error, so its tests never run: compile every cell here."
    from IPython.core.inputtransformer2 import TransformerManager
    to_python = TransformerManager().transform_cell  # IPython's own reading of magics and shell escapes
    for nb in sorted((ROOT/'nbs').rglob('*.ipynb')):
        for c in json.loads(nb.read_text())['cells']:
            if c['cell_type'] != 'code': continue
            try: compile(to_python(''.join(c['source'])), f"{nb.name} cell {c.get('id')}", 'exec')
            except SyntaxError as e:
                raise AssertionError(f"{nb.name}, cell {c.get('id')}: {e}; a markdown text in a code cell? "
                                     "nbdev_test would skip it silently") from e
