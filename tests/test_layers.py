"""Layers point down: no module of latentnb imports a module of a higher layer, not even inside a function."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]/'latentnb'
# the layer of each module, lowest first (README, "Layout"); a package's name stands for all its modules
LAYERS = {'core': 0, 'distributions': 1, 'data': 1, 'priors': 2, 'nn': 2, 'divergence': 2, 'vae': 3, 'train': 4,
          'distributed': 5, 'metrics': 5, 'viz': 6, 'study': 6, 'experiments': 7, 'plan': 8, 'course': 8, 'site': 9,
          'reproduce': 10}

def layer(module:str)->int:
    "The layer of a dotted module name inside latentnb ('latentnb.data.darcy' -> the layer of 'data')."
    top = module.split('.')[1]
    if top not in LAYERS: raise KeyError(f"module {module} has no layer: add {top!r} to LAYERS (and to README)")
    return LAYERS[top]

def imports(source:str, module:str)->list[str]:
    "Every latentnb module that `source` (the text of `module`) imports, anywhere in the file, relative or absolute."
    package = module.split('.')[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import): found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            name = '.'.join(base + ([node.module] if node.module else []))
            # `from . import train` imports a module; `from .train import fit` imports from one
            found += [f'{name}.{a.name}' for a in node.names] if not node.module else [name]
    return [n for n in found if n.startswith('latentnb.') and n.split('.')[1] in LAYERS]

def upward_imports(root:Path=PACKAGE)->list[str]:
    "'importer -> imported' for every import of a higher layer, or of another module of the same layer."
    bad = []
    for path in sorted(root.rglob('*.py')):
        if path.name == '_modidx.py': continue
        rel = path.relative_to(root.parent).with_suffix('')
        module = '.'.join(rel.parts[:-1] if rel.name == '__init__' else rel.parts)
        if module == 'latentnb': continue
        for imported in imports(path.read_text(), module):
            same_package = imported.split('.')[1] == module.split('.')[1]
            if not same_package and layer(imported) >= layer(module): bad.append(f'{module} -> {imported}')
    return bad

def test_layers_point_down():
    assert upward_imports() == [], "a lower layer imports a higher one (or a sibling of its own layer)"

def test_every_module_has_a_layer():
    for path in PACKAGE.glob('*.py'):
        if path.stem not in ('__init__', '_modidx'): layer(f'latentnb.{path.stem}')
    for path in PACKAGE.glob('*/__init__.py'): layer(f'latentnb.{path.parent.name}')

def test_the_walker_sees_lazy_and_relative_imports(tmp_path):
    "The check can fail: a lazy import of a higher layer inside a function, written relatively, is found."
    pkg = tmp_path/'latentnb'; (pkg/'experiments').mkdir(parents=True)
    (pkg/'core.py').write_text("def f():\n    from .reproduce import PAPERS\n")
    (pkg/'train.py').write_text("from . import core\nfrom latentnb.vae import VAE\n")
    (pkg/'experiments'/'darcy.py').write_text("from ..train import fit\nfrom ..experiments import sprites\n")
    assert upward_imports(pkg) == ['latentnb.core -> latentnb.reproduce']
    (pkg/'metrics.py').write_text("import latentnb.distributed\n")  # the same layer: also refused
    assert upward_imports(pkg)[-1] == 'latentnb.metrics -> latentnb.distributed'
