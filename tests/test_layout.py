"Project-wide conventions that no single notebook can check: notebook headers, module layering, experiment parameters."
import ast, json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
LIB_NBS = sorted(p for p in NBS.glob('[0-8]*.ipynb'))
EXP_NBS = sorted((NBS/'experiments').glob('*.ipynb'))

# Rank of each module in the library's data flow: a module may import only modules of its own rank or lower.
#   core, weights (helpers for everyone) → degrade (HR → LR) → data, metrics (pairs built with degrade; image metrics)
#   → models (generators, critics, downstream networks) → losses → train, train_run, objectives (loop, run folder, objectives)
#   → evaluate, trust, infer, downstream (judging trained networks) → report, figures, experiment (tables, figures, run folders)
#   → plan, reproduce, cli (GPU plan, entry points).
# Inside `models`, the building blocks come first and the zoo, which registers every network, last.
RANK = {'core': 0, 'weights': 0, 'degrade': 1, 'metrics': 2, 'data': 2, 'data_items': 2, 'data_readers': 2,
        'data_download': 2, 'data_fixtures': 2, 'data_stacks': 2, 'models': 3, 'losses': 4, 'train': 5, 'train_run': 5, 'objectives': 5,
        'evaluate': 6, 'trust': 6, 'infer': 6, 'downstream': 6, 'downstream_methods': 6, 'report': 7, 'figures': 7, 'experiment': 7, 'rdst': 7,
        'plan': 8, 'main_tasks': 8,
        'reproduce': 8, 'cli': 8}
MODELS_RANK = {'blocks': 0, 'official': 1, 'classic': 1, 'gtunet': 1, 'discriminators': 1, 'lstmagan': 1, 'swin': 1,
               'downstream': 1, 'zoo': 2}


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


def module_name(path):
    "Dotted module name of a file of the package, e.g. trustsr/models/zoo.py → 'trustsr.models.zoo'."
    parts = Path(path).resolve().relative_to(ROOT/'trustsr').with_suffix('').parts
    return '.'.join(('trustsr',) + tuple(p for p in parts if p != '__init__'))

def rank(module):
    "(rank, rank inside `models`) of a trustsr module; `None` for other modules and unlisted ones."
    parts = module.split('.')
    if parts[0] != 'trustsr' or len(parts) < 2 or parts[1] not in RANK: return None
    return (RANK[parts[1]], MODELS_RANK.get(parts[2], 0) if parts[1] == 'models' and len(parts) > 2 else 0)

def imported(tree, me, is_package=False):
    "Absolute names of every module imported in `tree`, relative imports resolved against module `me`."
    pkg = me.split('.') if is_package else me.split('.')[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import): out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[:len(pkg) - (node.level - 1)]
                if node.level - 1 > len(pkg) - 1: raise ValueError(f'{me}: relative import beyond the package')
                base = '.'.join(base + ([node.module] if node.module else []))
            else: base = node.module
            out.append(base)
            out += [f'{base}.{a.name}' for a in node.names]  # `from . import zoo` imports the module `zoo`
    return out

def violations(path, me=None):
    "Imports in the file `path` (module `me`, named from its path by default) of trustsr modules ranked above it."
    me = me or module_name(path)
    mine = rank(me)
    if mine is None: return []
    names = imported(ast.parse(Path(path).read_text()), me, Path(path).name == '__init__.py')
    return list(dict.fromkeys(n for n in names if rank(n) is not None and rank(n) > mine
                              and not (n.startswith(me + '.') or me.startswith(n + '.'))))

MODULES = sorted((ROOT/'trustsr').rglob('*.py'))

@pytest.mark.parametrize('mod', MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layering(mod):
    """No module imports one ranked above it in the data flow: core, weights → degrade → data, metrics → models → losses
    → train → evaluate, trust, infer, downstream → report, experiment → reproduce, cli (and, inside models, blocks →
    networks → zoo)."""
    assert violations(mod) == [], f'{mod.name} imports modules ranked above it'


def test_every_module_ranked():
    "Every module of the package has a rank, so that a new module cannot slip past the layering check."
    unranked = [module_name(p) for p in MODULES if module_name(p) != 'trustsr' and not module_name(p).startswith('trustsr._')
                and rank(module_name(p)) is None]
    assert unranked == [], f'give these modules a rank in RANK: {unranked}'


def test_layering_sees_relative_imports():
    "Relative imports are resolved: the package's modules import each other mostly as `from .core import …`."
    tree = ast.parse('from ..core import check_image\nfrom ..losses import psnr_loss\nfrom . import zoo\nfrom .blocks import x\n')
    got = imported(tree, 'trustsr.models.gtunet')
    assert got == ['trustsr.core', 'trustsr.core.check_image', 'trustsr.losses',
                        'trustsr.losses.psnr_loss', 'trustsr.models', 'trustsr.models.zoo', 'trustsr.models.blocks',
                        'trustsr.models.blocks.x'], got
    n = sum(isinstance(node, ast.ImportFrom) and node.level > 0 and 'trustsr' in str(m)
            for m in MODULES for node in ast.walk(ast.parse(m.read_text())))
    assert n > 20, f'only {n} relative imports found'


def test_layering_catches_violation(tmp_path):
    "The check flags imports to the right, absolute or relative, and only those."
    f = tmp_path/'m.py'
    f.write_text('import numpy\nfrom trustsr.core import load_image\nfrom trustsr.train import fit\n'
                 'def g():\n    import trustsr.report\n')
    assert violations(f, 'trustsr.models.blocks') == ['trustsr.train', 'trustsr.train.fit', 'trustsr.report']
    assert violations(f, 'trustsr.cli') == []


def test_layering_catches_relative_violation(tmp_path):
    "`from ..train import fit` in a model and `from .zoo import create` in a block are both violations."
    f = tmp_path/'m.py'
    f.write_text('from ..core import check_image\nfrom .blocks import conv\nfrom ..train import fit\n')
    assert violations(f, 'trustsr.models.classic') == ['trustsr.train', 'trustsr.train.fit']
    f.write_text('from .zoo import create\n')
    assert violations(f, 'trustsr.models.blocks') == ['trustsr.models.zoo', 'trustsr.models.zoo.create']
    f.write_text('from .train import fit\nfrom .experiment import find_checkpoint\n')
    assert violations(f, 'trustsr.report') == []
    assert violations(f, 'trustsr.downstream') == ['trustsr.experiment', 'trustsr.experiment.find_checkpoint']


@pytest.mark.parametrize('nb', EXP_NBS, ids=lambda p: p.name)
def test_experiment_parameters(nb):
    "Experiment templates take `profile`, `seed`, `out_dir` and `device` in a cell tagged `parameters`."
    tagged = [c for c in cells(nb) if 'parameters' in c.get('metadata', {}).get('tags', [])]
    assert len(tagged) == 1, f'{nb.name}: one cell tagged parameters'
    names = {t.id for n in ast.parse(src(tagged[0])).body if isinstance(n, (ast.Assign, ast.AnnAssign))
             for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)}
    assert {'profile', 'seed', 'out_dir', 'device'} <= names, f'{nb.name}: parameters {sorted(names)}'
