"Every experiment template runs end to end with profile='smoke', declares its parameters plainly (plan and accumulate included), stops a paper run that lacks data before training, main_fives rehearses the paper profile on an official-layout FIVES fixture, and the RDST templates cope with one test slice (as rehearsals use)."
import json
from pathlib import Path

import papermill as pm
import pytest

from trustsr.reproduce import EXPERIMENTS, plan, run_one, templates_dir

TEMPLATES = sorted(templates_dir().glob('*.ipynb'))
# the templates whose parameters follow the shared conventions below (all of them)
CONVENTIONAL = ['lecture_baselines', 'lstmagan', 'main_ablation', 'main_cross_domain', 'main_downstream', 'main_figures',
                'main_fives', 'rdst_compare', 'rdst_losses']
ROOTS = {'fives_root', 'odir_root', 'luna16_root', 'brats_root', 'oasis_root', 'acdc_root', 'covid_ct_root'}


def test_every_template_is_in_the_paper_map():
    assert {p.stem for p in TEMPLATES} <= set(EXPERIMENTS), 'add new experiments to trustsr.reproduce.EXPERIMENTS'


def check_run(rec, profile):
    "The run of `rec` succeeded and wrote tables (each with a Markdown twin), figures and its protocol; return its folder."
    run = Path(rec['run'])
    assert rec['status'] == 'ok', (run/'error.txt').read_text() if (run/'error.txt').exists() else rec
    tables, figures = list((run/'tables').glob('*.csv')), list((run/'figures').glob('*.png'))
    assert tables and figures, f"{rec['experiment']} wrote {len(tables)} tables and {len(figures)} figures"
    for t in tables: assert t.with_suffix('.md').exists(), f'{t.name} has no Markdown twin'
    assert json.loads((run/'protocol.json').read_text())['profile'] == profile
    return run


@pytest.mark.parametrize('nb', TEMPLATES, ids=lambda p: p.stem)
def test_smoke(nb, tmp_path):
    [(name, path, params)] = plan([nb.stem], profile='smoke', seed=0, device='cpu')
    check_run(run_one(name, path, params, profile='smoke', root=tmp_path, progress=False), 'smoke')


@pytest.mark.parametrize('name', ['rdst_compare', 'rdst_losses'])
def test_smoke_one_test_slice(name, tmp_path):
    "With one test slice, as in a rehearsal, there is no confidence interval, and every table and figure is still written."
    [(name, path, params)] = plan([name], profile='smoke', seed=0, device='cpu')
    check_run(run_one(name, path, {**params, 'n_test': 1}, profile='smoke', root=tmp_path, progress=False), 'smoke')


@pytest.mark.parametrize('name', CONVENTIONAL)
def test_parameters_are_typed_and_explained(name):
    "`papermill --help-notebook` shows a type and a help text for every parameter; datasets have the shared root names."
    params = pm.inspect_notebook(str(templates_dir()/f'{name}.ipynb'))
    for k in ('profile', 'rehearse', 'plan', 'accumulate', 'seed', 'device', 'out_dir'): assert k in params, f'{name} lacks `{k}`'
    for k, p in params.items():
        assert p['inferred_type_name'] != 'None', f'{name}: `{k}` has no type annotation'
        assert p['help'], f'{name}: `{k}` has no help comment'
        if k.endswith('_root'): assert k in ROOTS, f'{name}: `{k}` is not one of the shared dataset root names {sorted(ROOTS)}'
    assert (params['rehearse']['default'], params['plan']['default'], params['accumulate']['default']) == ('False', 'False', '1')


@pytest.mark.parametrize('name', CONVENTIONAL)
def test_paper_without_data_stops_before_training(name, tmp_path):
    "A paper run without its datasets fails at once with one error naming every missing root, and trains nothing."
    path = templates_dir()/f'{name}.ipynb'  # not through `plan`, which refuses a paper run without data before the template runs
    rec = run_one(name, path, {'profile': 'paper', 'seed': 0, 'device': 'cpu', 'rehearse': True}, profile='paper', root=tmp_path,
                  progress=False)
    assert rec['status'] == 'failed'
    needed = {k for k in pm.inspect_notebook(str(path)) if k.endswith('_root')}
    if name == 'rdst_losses': needed = {'oasis_root', 'brats_root', 'acdc_root', 'covid_ct_root'}
    for root in needed: assert root in rec['error'], f'{name}: the error does not name {root}: {rec["error"]}'
    assert not list(Path(rec['run']).rglob('*.pt')), f'{name} trained before failing'


def test_rehearsal_main_fives(tmp_path):
    "The paper profile of main_fives, rehearsed on two official-layout 2048² FIVES photographs per split: paper sizes, one step."
    from trustsr.data import make_fixture
    root = tmp_path/'FIVES'
    make_fixture('fives', root, n=2)
    [(name, path, params)] = plan(['main_fives'], profile='paper', data={'fives': root}, seed=0, device='cpu')
    # the rows whose paper-size networks are cheapest on a CPU, plus ours (Figures 1 and 6); 1 step, 1 test image
    params.update(rehearse=True, steps=1, n_test=1, methods=['Bicubic', 'SRCNN', 'Ours'])
    run = check_run(run_one(name, path, params, profile='paper', root=tmp_path/'runs', progress=False), 'paper')
    assert json.loads((run/'protocol.json').read_text())['rehearse'] is True
    assert {p.stem for p in (run/'figures').glob('*.png')} == {'f1_lr_vs_sr', 'f6_loss_curves', 'f7_qualitative'}
    for md in (run/'tables').glob('*.md'): assert 'REHEARSAL' in md.read_text(), f'{md.name} is not marked as a rehearsal'
    assert (run/'checkpoints'/'last.pt').is_file()


def test_rdst_losses_reuses_rdst_compare(tmp_path):
    "rdst_losses loads the stage-1 networks rdst_compare trained in the same runs folder instead of training them again."
    for name in ('rdst_compare', 'rdst_losses'):
        [(_, path, params)] = plan([name], profile='smoke', seed=0, device='cpu')
        run = check_run(run_one(name, path, params, profile='smoke', root=tmp_path, progress=False), 'smoke')
    import pandas as pd
    t = pd.read_csv(run/'tables'/'trainings.csv')
    stage1 = t[(t['stage 2 loss'] == '— (stage 1, L1)') & (t['dataset'] == 'brain')]  # rdst_compare has no CT sample
    assert len(stage1) and stage1['folder'].str.startswith('reused: rdst_compare/').all(), stage1[['network', 'folder']]
