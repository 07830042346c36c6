"Every experiment template runs end to end with profile='smoke' and writes its tables and figures (DESIGN.md, Runs)."
import json
from pathlib import Path
import pytest

from trustsr.reproduce import EXPERIMENTS, plan, run_one, templates_dir

TEMPLATES = sorted(templates_dir().glob('*.ipynb'))


def test_every_template_is_in_the_paper_map():
    assert {p.stem for p in TEMPLATES} <= set(EXPERIMENTS), 'add new experiments to trustsr.reproduce.EXPERIMENTS'


@pytest.mark.parametrize('nb', TEMPLATES, ids=lambda p: p.stem)
def test_smoke(nb, tmp_path):
    [(name, path, params)] = plan([nb.stem], profile='smoke', seed=0, device='cpu')
    rec = run_one(name, path, params, profile='smoke', root=tmp_path, progress=False)
    run = Path(rec['run'])
    assert rec['status'] == 'ok', (run/'error.txt').read_text() if (run/'error.txt').exists() else rec
    tables, figures = list((run/'tables').glob('*.csv')), list((run/'figures').glob('*.png'))
    assert tables and figures, f'{name} wrote {len(tables)} tables and {len(figures)} figures'
    for t in tables: assert t.with_suffix('.md').exists(), f'{t.name} has no Markdown twin'
    assert json.loads((run/'protocol.json').read_text())['profile'] == 'smoke'
