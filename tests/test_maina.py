"The main paper's templates: plan mode writes every network's job and trains nothing; main_ablation and main_figures reuse the networks main_fives and main_ablation trained in the same runs folder."
import json
from pathlib import Path

import pandas as pd
import pytest

from trustsr.reproduce import plan, run_one, templates_dir

MAIN = ['main_fives', 'main_ablation', 'main_figures']


@pytest.mark.parametrize('name', MAIN)
def test_plan_mode(name, tmp_path):
    "`plan=True` on the paper profile without data: jobs.json with the paper's networks, steps and evaluation; no training."
    path = templates_dir()/f'{name}.ipynb'
    rec = run_one(name, path, {'profile': 'paper', 'plan': True, 'seed': 0, 'device': 'cpu'}, profile='paper', root=tmp_path, progress=False)
    assert rec['status'] == 'ok', rec['error']
    jobs = json.loads((Path(rec['run'])/'jobs.json').read_text())
    got = {j['job']: j for j in jobs}
    want = {'main_fives': {'SRCNN', 'SRResNet', 'SRGAN', 'EDSR', 'RCAN', 'SwinIR', 'RRDB', 'ESRGAN', 'Ours'},
            'main_ablation': {'PSNR-only', 'Adv-only', 'Ours'},
            'main_figures': {'EDSR', 'SwinIR', 'SRResNet', 'SRGAN', 'Adv-only', 'Ours'}}[name]
    assert set(got) == want, set(got)
    ours = got['Ours']
    assert ours['lr_shape'] == [8, 3, 256, 256] and ours['n_test'] == 200  # whole 2048² photographs, batch 8; 200 test images
    if name == 'main_fives':
        assert ours['steps'] == 800 * 600 // 8 and got['EDSR']['lr_shape'] == [8, 3, 64, 64]  # 800 epochs; 512² crops
    else: assert ours['steps'] == 0  # evaluated only: main_fives trains it
    assert not list(Path(rec['run']).rglob('*.pt'))


def test_reuse(tmp_path):
    "main_ablation's hybrid row and main_figures' networks are the ones main_fives and main_ablation trained (smoke profile)."
    recs = {}
    for name, extra in [('main_fives', {'methods': ['Bicubic', 'EDSR', 'SwinIR', 'SRGAN', 'Ours']}), ('main_ablation', {}), ('main_figures', {})]:
        [(_, path, params)] = plan([name], profile='smoke', seed=0, device='cpu')
        recs[name] = run_one(name, path, {**params, **extra}, profile='smoke', root=tmp_path, progress=False)
        assert recs[name]['status'] == 'ok', recs[name]['error']
    training = json.loads((Path(recs['main_ablation']['run'])/'protocol.json').read_text())['training']
    assert [r.get('reused', '').split('/')[0] for r in training] == ['', '', 'main_fives']
    assert not (Path(recs['main_ablation']['run'])/'checkpoints'/'last.pt').exists()
    proto = json.loads((Path(recs['main_figures']['run'])/'protocol.json').read_text())['training']
    assert all(r.get('reused') for r in proto if r['method'] != 'Bicubic'), [r['method'] for r in proto if not r.get('reused')]
    assert not list((Path(recs['main_figures']['run'])).rglob('*.pt'))
    t1 = pd.read_csv(Path(recs['main_figures']['run'])/'tables'/'t1_risk.csv')
    assert {'e_null_rms', 'null_agreement'} <= set(t1.columns)
