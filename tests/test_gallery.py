"""The committed reference results: every file the gallery names exists, and every results record carries hashes."""
import json, re
from pathlib import Path
import pytest

FIGURES = Path(__file__).resolve().parents[1]/'figures'
GALLERY = FIGURES/'README.md'

def linked_files(markdown:str)->list[str]:
    "Relative paths of the images and links of a Markdown page (http links excluded)."
    paths = re.findall(r'<img src="([^"]+)"', markdown) + re.findall(r'\]\(([^)#]+)\)', markdown)
    return [p for p in paths if not p.startswith(('http://', 'https://'))]

def test_gallery_files_exist():
    if not GALLERY.exists(): pytest.skip('no committed gallery yet')
    missing = [p for p in linked_files(GALLERY.read_text()) if not (FIGURES/p).exists()]
    assert not missing, f"figures/README.md names files that are not committed: {missing}"

@pytest.mark.parametrize('results', sorted(FIGURES.glob('*/results.json')), ids=lambda p: p.parent.name)
def test_results_carry_source_hashes(results):
    record = json.loads(results.read_text())
    assert record['profile'] == 'reference' and record['sources']['notebook'] and record['sources']['modules'], results
    assert all(len(h) == 16 for h in [*record['sources']['notebook'].values(), *record['sources']['modules'].values()])

def test_linked_files_finds_images_and_links():
    page = '<img src="teaching/a.png" width="260"> [b.ipynb](teaching/b.ipynb) [web](https://x.org)'
    assert linked_files(page) == ['teaching/a.png', 'teaching/b.ipynb']
