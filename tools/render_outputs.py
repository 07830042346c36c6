"""Execute library notebooks and keep the outputs a reader on a code host should see: figures and tables.

Cells run as `nbdev_test` runs them (cells marked `#| eval: false` are skipped). Of each cell's outputs only images
(PNG/SVG) and HTML/Markdown tables are kept; streams, warnings and plain reprs are dropped, so the committed
notebooks stay deterministic and `nbdev_clean` leaves them unchanged.
Usage: python tools/render_outputs.py [NOTEBOOK ...]   (default: every numbered library notebook in nbs/)
"""
import os, sys
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

ROOT = Path(__file__).resolve().parent.parent
KEEP = ('image/png', 'image/svg+xml', 'text/html', 'text/markdown')


def _skip(cell):
    "True for cells nbdev_test would not run."
    if cell.cell_type != 'code': return True
    first = [l.replace(' ', '') for l in cell.source.splitlines() if l.startswith('#|')]
    return any(l.startswith('#|eval:') and l.split(':', 1)[1].lower() == 'false' for l in first)


def _visible(out):
    "The part of an output worth committing, or None."
    if out.get('output_type') not in ('display_data', 'execute_result'): return None
    data = {k: v for k, v in out.get('data', {}).items() if k in KEEP}
    if not data: return None
    if 'text/plain' in out.get('data', {}): data['text/plain'] = out['data']['text/plain']
    return {'output_type': 'display_data', 'data': data, 'metadata': {}}


def render(path:Path):
    "Run `path` and rewrite it with only its figure and table outputs; return how many outputs were kept."
    nb = read_nb(path)
    os.environ['IN_TEST'] = '1'
    shell = CaptureShell(path)
    with working_directory(path.parent): shell.run_all(nb, exc_stop=True, preproc=_skip)
    kept = 0
    for cell in nb.cells:
        if cell.cell_type != 'code': continue
        outs = [o for o in map(_visible, cell.get('outputs', [])) if o is not None]
        cell['outputs'], cell['execution_count'] = outs, None
        kept += len(outs)
    write_nb(nb, path)
    return kept


if __name__ == '__main__':
    files = [Path(a).resolve() for a in sys.argv[1:]] or sorted((ROOT/'nbs').glob('[0-8]*.ipynb'))
    for f in files: print(f'{f.relative_to(ROOT)}: {render(f)} output(s) kept', flush=True)
