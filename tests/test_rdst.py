"The RDST templates' plan mode: every network they would train, at the paper's sizes and steps, listed without data."
import json
from pathlib import Path

import pytest

from trustsr.reproduce import run_one, templates_dir


def plan_jobs(name, tmp_path, **params):
    "Run template `name` in plan mode (paper profile, no dataset roots) and return its jobs.json."
    rec = run_one(name, templates_dir()/f'{name}.ipynb', {'profile': 'paper', 'plan': True, 'seed': 0, 'device': 'cpu', **params},
                  profile='paper', root=tmp_path, progress=False)
    run = Path(rec['run'])
    assert rec['status'] == 'ok', (run/'error.txt').read_text() if (run/'error.txt').exists() else rec
    assert not list(run.rglob('*.pt')) and not list((run/'tables').glob('*')), 'plan mode trained or wrote tables'
    return {j['job']: j for j in json.loads((run/'jobs.json').read_text())}


def test_rdst_compare_plan(tmp_path):
    "Per dataset a U-Net, seven stage-1 and two stage-2 networks; on OASIS also Table 5's five others and Figure 8's 15 variants."
    jobs = plan_jobs('rdst_compare', tmp_path)
    assert len(jobs) == 4 * (1 + 7 + 2) + 5 + 15, sorted(jobs)
    j = jobs['oasis: RDST-E (L1)']
    assert (j['steps'], j['batch'], j['lr_shape']) == (100_000, 32, [32, 1, 24, 24])  # the paper's stage 1: 96² HR crops at ×4
    assert jobs['brats: RDST']['steps'] == 20_000 and jobs['brats: RDST']['lr_shape'][1] == 4  # stage 2; four modalities
    assert jobs['covid_ct: segmentation U-Net']['steps'] == 100 * -(-2816 // 8)  # 100 epochs over the published training slices


def test_rdst_losses_plan(tmp_path):
    "The 71 trainings of Tables 6-10 and four U-Nets; with reuse, stage 1 is rdst_compare's (evaluated, not trained)."
    jobs = plan_jobs('rdst_losses', tmp_path)
    assert len(jobs) == 71 + 4, sorted(jobs)
    assert jobs['oasis: rdst_e stage 1']['steps'] == 0 and jobs['oasis: rdst_e L_HRL']['steps'] == 20_000
    assert jobs['acdc: rdst_e L_E(1) (U-Net: covid_ct)']['steps'] == 20_000
    again = plan_jobs('rdst_losses', tmp_path/'noreuse', reuse=False)
    assert again['oasis: rdst_e stage 1']['steps'] == 100_000
