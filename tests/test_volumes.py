"The volume experiments (lecture_baselines, lstmagan) in plan mode: every network they train is planned at the paper's sizes without any data."
import json
from pathlib import Path

import pandas as pd
import pytest

from trustsr.reproduce import plan_gpu


@pytest.mark.parametrize('name, expected', [
    ('lecture_baselines', ['SRCNN (128/64)', 'SRCNN (64/32)', 'SRCNN (32/16)', 'SRResNet (1 slices)', 'SRGAN (1 slices)',
                           'SRResNet (3 slices)', 'SRGAN (3 slices)']),
    ('lstmagan', [f'{d}: {m}' for d in ('luna16', 'brats_flair')
                  for m in ('Model 1 (GAN)', 'Model 2 (+LSTM)', 'Model 3 (+AG)', 'Model 4 (LSTMAGAN)', 'SRGAN')]),
])
def test_plan_without_data(name, expected, tmp_path):
    "The paper profile's plan from the published dataset sizes: one job per trained network, with its critic, paper steps and test slices."
    folder, status = plan_gpu([name], root=tmp_path, progress=False)
    assert list(status.status) == ['ok'], status.error.tolist()
    jobs = json.loads(next(Path(folder).rglob('jobs.json')).read_text())
    assert [j['job'] for j in jobs] == expected
    if name == 'lecture_baselines':  # batch 16 of 96² HR crops (24² LR at ×4); 10⁶ steps, 2·10⁵ for the GANs
        assert [j['steps'] for j in jobs] == [10**6] * 4 + [2 * 10**5, 10**6, 2 * 10**5]
        assert all(j['lr_shape'] == [16, k, 24, 24] for j, k in zip(jobs, [1] * 5 + [3] * 2))
        # BraTS 2021: 1,251 cases split 70/20/10 (train/val/test) × the 80 slices 40-119
        assert {(j['n_test'], j['images']) for j in jobs} == {(125 * 80, 876 * 80)}
    else:  # one stack of 16 slices of 128² HR crops per step, 100 epochs of the training stacks, 5 critic updates
        luna = jobs[0]
        assert luna['lr_shape'] == [16, 1, 32, 32] and luna['d_steps'] == 5
        assert luna['steps'] == 100 * (round(888 * 250 * 0.7) // 16) and luna['images'] == round(888 * 250 * 0.7)
        assert jobs[4]['d_steps'] == 1  # SRGAN: one discriminator update per step
    assert (Path(folder)/'plan.md').is_file() and len(pd.read_csv(Path(folder)/'plan.csv')) == len(expected)
