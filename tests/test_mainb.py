"The main paper's downstream and cross-domain templates: plan mode writes the GPU plan without data, and `accumulate` reaches training and the tables."
import json
from pathlib import Path

import papermill as pm
import pytest

from trustsr.reproduce import templates_dir


def execute(name, out, **params):
    "Run template `name` with `params` into the run folder `out`; return papermill's exception name (None when it finished)."
    try: pm.execute_notebook(str(templates_dir()/f'{name}.ipynb'), str(out/'run.ipynb'), parameters={'out_dir': str(out), **params},
                             progress_bar=False, cwd=str(out))
    except pm.PapermillExecutionError as e: return e.ename
    return None


@pytest.mark.parametrize('name', ['main_cross_domain', 'main_downstream'])
def test_plan_without_data(name, tmp_path):
    "A paper plan needs no dataset: it writes jobs.json (published FIVES sizes) and stops before any data is read or model trained."
    out = tmp_path/'paper-plan'; out.mkdir()
    extra = {'methods': ['Bicubic', 'Ours']} if name == 'main_downstream' else {}
    assert execute(name, out, profile='paper', plan=True, accumulate=2, device='cpu', **extra) == 'PlanWritten'
    jobs = {j['job']: j for j in json.loads((out/'jobs.json').read_text())}
    assert not list(out.rglob('*.pt')) and not list((out/'tables').glob('*'))
    if name == 'main_cross_domain':
        assert {'PSNR-only', 'Adv-only', 'Hybrid (ours)'} <= set(jobs)
        j = jobs['Hybrid (ours)']
        assert j['steps'] == 800 * 600 // 8 and j['lr_shape'] == [8, 3, 256, 256] and j['n_test'] == 200 + 4  # FIVES train/test, ODIR
    else:
        assert set(jobs) == {'SR Ours (GT-U-Net + hybrid)', 'ResNet-50 (HR)', 'U-Net (HR)', 'ResNet-50 (Bicubic)', 'U-Net (Bicubic)',
                             'ResNet-50 (Ours (GT-U-Net + hybrid))', 'U-Net (Ours (GT-U-Net + hybrid))'}
        assert jobs['ResNet-50 (HR)']['steps'] == 100 * 640 // 8 and jobs['U-Net (HR)']['lr_shape'] == [8, 3, 512, 512]  # 0.8 of 800
        assert jobs['SR Ours (GT-U-Net + hybrid)']['steps'] == 0 and jobs['SR Ours (GT-U-Net + hybrid)']['n_test'] == 800
    assert all(j['accumulate'] == 2 for j in jobs.values() if j['steps'])


def test_cross_domain_accumulate(tmp_path):
    "With accumulate=2 the smoke run trains in two micro-batches per step, and the tables say so."
    out = tmp_path/'smoke-1'; out.mkdir()
    assert execute('main_cross_domain', out, profile='smoke', accumulate=2, device='cpu') is None
    cfg = json.loads((out/'train'/'Hybrid'/'config.json').read_text())
    assert cfg['settings']['accumulate'] == 2, cfg['settings']
    assert 'Gradient accumulation: 2 micro-batches of batch/2' in (out/'tables'/'f2_null_space_in_domain.md').read_text()
