"Project-wide conventions that no single notebook can check: notebook headers, module layering, experiment parameters."
import ast, json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
LIB_NBS = sorted(p for p in NBS.glob('[0-8]*.ipynb'))
EXP_NBS = sorted((NBS/'experiments').glob('*.ipynb'))

# Position of each module in the data flow of DESIGN.md; a module may import only modules at its position or left
# of it. `core` and `weights` serve everyone. `data` builds LR/HR pairs with `degrade` (as the data issue asks).
RANK = {'core': 0, 'weights': 0, 'degrade': 1, 'metrics': 2, 'data': 2, 'data_readers': 2, 'data_download': 2, 'models': 3, 'losses': 4, 'train': 5,
        'evaluate': 6, 'trust': 6, 'infer': 6, 'downstream': 6, 'report': 7, 'reproduce': 8, 'cli': 8}


def cells(path): return json.loads(path.read_text())['cells']

def src(cell): return ''.join(cell['source'])


@pytest.mark.parametrize('nb', LIB_NBS, ids=lambda p: p.name)
def test_notebook_header(nb):
    "Each library notebook opens with `# Title` and a `> summary`, then names the one module it exports."
    first = src(cells(nb)[0]).splitlines()
    assert first[0].startswith('# ') and any(l.startswith('> ') for l in first[1:]), f'{nb.name}: title and summary first'
    exps = [l.split()[-1] for c in cells(nb) for l in src(c).splitlines() if l.startswith('#| default_exp')]
    assert len(exps) == 1, f'{nb.name}: exactly one #| default_exp, found {exps}'
    assert (ROOT/'trustsr'/(exps[0].replace('.', '/') + '.py')).is_file(), f'{nb.name}: module {exps[0]} not exported'


def _group(module):
    name = module.split('.')[1] if module.startswith('trustsr.') else None
    return name if name in RANK else None

def violations(mod, me):
    "Imports in the file `mod` of trustsr modules to the right of group `me`."
    out = []
    for node in ast.walk(ast.parse(Path(mod).read_text())):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
        out += [n for n in names if _group(n) is not None and RANK[_group(n)] > RANK[me]]
    return out

@pytest.mark.parametrize('mod', sorted((ROOT/'trustsr').rglob('*.py')), ids=lambda p: str(p.relative_to(ROOT)))
def test_layering(mod):
    "No module imports one to its right in the data flow (DESIGN.md)."
    me = _group('trustsr.' + '.'.join(mod.relative_to(ROOT/'trustsr').with_suffix('').parts))
    if me is not None: assert violations(mod, me) == [], f'{mod.name} ({me}) imports modules to its right'


def test_layering_catches_violation(tmp_path):
    "The check flags an import to the right, and only that one."
    f = tmp_path/'m.py'
    f.write_text('import numpy\nfrom trustsr.core import load_image\nfrom trustsr.train import fit\n'
                 'def g():\n    import trustsr.report\n')
    assert violations(f, 'models') == ['trustsr.train', 'trustsr.report']
    assert violations(f, 'cli') == []


@pytest.mark.parametrize('nb', EXP_NBS, ids=lambda p: p.name)
def test_experiment_parameters(nb):
    "Experiment templates take `profile`, `seed`, `out_dir` and `device` in a cell tagged `parameters`."
    tagged = [c for c in cells(nb) if 'parameters' in c.get('metadata', {}).get('tags', [])]
    assert len(tagged) == 1, f'{nb.name}: one cell tagged parameters'
    names = {t.id for n in ast.parse(src(tagged[0])).body if isinstance(n, (ast.Assign, ast.AnnAssign))
             for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)}
    assert {'profile', 'seed', 'out_dir', 'device'} <= names, f'{nb.name}: parameters {sorted(names)}'
