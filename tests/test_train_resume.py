"""A GAN run killed with SIGKILL mid-epoch and resumed ends with the weights and history of an uninterrupted run (CPU), with one
critic update per step and with two (each on its own batch), and a history whose last line a power cut left half-written."""
import os, signal, subprocess, sys, time
from pathlib import Path

import pandas as pd
import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
STEPS = 16

SCRIPT = r'''
import sys, time
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.data import Dataset
from trustsr.train import fit, hybrid

out, resume, delay, d_steps = sys.argv[1], sys.argv[2] == '1', float(sys.argv[3]), int(sys.argv[4])

class Crops(Dataset):
    "Random 16x16 crops (and random flips) of a smooth image, drawn with torch's global generator."
    def __init__(self):
        img = torch.rand(1, 1, 8, 8, generator=torch.Generator().manual_seed(0))
        self.img = F.interpolate(img, size=40, mode='bilinear')[0]
    def __len__(self): return 10
    def __getitem__(self, i):
        time.sleep(delay)
        y, x = torch.randint(0, 25, (2,)).tolist()
        hr = self.img[:, y:y + 16, x:x + 16]
        if torch.rand(()) < 0.5: hr = hr.flip(-1)
        return F.avg_pool2d(hr[None], 2)[0], hr

torch.manual_seed(0)
G = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 3, padding=1), nn.PixelShuffle(2))
D = nn.Sequential(nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.LeakyReLU(0.2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                  nn.Linear(8, 1), nn.Flatten(0))
objective = hybrid(); objective.d_steps = d_steps
fit(G, Crops(), objective, D=D, steps=%d, batch=3, ckpt_every=2, out=out, resume=resume, progress=False)
''' % STEPS


def _cmd(tmp, out, resume, delay, d_steps):
    script = tmp/'run.py'
    script.write_text(SCRIPT)
    env = {**os.environ, 'PYTHONPATH': str(ROOT), 'OMP_NUM_THREADS': '1'}
    return [sys.executable, str(script), str(out), '1' if resume else '0', str(delay), str(d_steps)], env


def _ckpt_step(path):
    try: return torch.load(path, weights_only=True)['step']
    except Exception: return -1  # not written yet


def _last_row(path):
    try: text = path.read_text()
    except FileNotFoundError: return -1
    lines = text.split('\n')[1:-1]  # header, complete lines, then '' or a half-written line
    return int(lines[-1].split(',')[0]) if lines else -1


@pytest.mark.parametrize('d_steps', [1, 2])
def test_sigkill_resume(tmp_path, d_steps):
    cmd, env = _cmd(tmp_path, tmp_path/'full', False, 0, d_steps)
    subprocess.run(cmd, env=env, check=True, timeout=180)

    cmd, env = _cmd(tmp_path, tmp_path/'cut', False, 0.05, d_steps)
    p = subprocess.Popen(cmd, env=env)
    last, hist, t0 = tmp_path/'cut/checkpoints/last.pt', tmp_path/'cut/history.csv', time.time()
    # kill once a mid-epoch checkpoint (3 batches per epoch, 1 or 2 batches per step, checkpoints every 2 steps) exists
    # and history.csv already holds rows logged after it, which the resumed run must replace rather than duplicate
    while not (_ckpt_step(last) >= 7 and _last_row(hist) > _ckpt_step(last)):
        assert p.poll() is None and time.time() - t0 < 170, 'the run ended before it could be killed'
        time.sleep(0.01)
    os.kill(p.pid, signal.SIGKILL)
    assert p.wait(timeout=10) == -signal.SIGKILL
    killed_at = _ckpt_step(last)
    assert 7 <= killed_at < STEPS and killed_at * d_steps % 3 != 0
    assert pd.read_csv(hist).step.max() > killed_at
    with open(hist, 'a') as f: f.write('1')  # a power cut: the start of a row ('1x,...'), no newline
    stale = last.with_name(f'.last.pt.{p.pid}.tmp')  # what a kill while saving leaves behind
    stale.write_bytes(b'\0' * 1000)

    cmd, env = _cmd(tmp_path, tmp_path/'cut', True, 0, d_steps)
    subprocess.run(cmd, env=env, check=True, timeout=180)

    assert not stale.exists()
    a = torch.load(tmp_path/'full/checkpoints/last.pt', weights_only=True)
    b = torch.load(tmp_path/'cut/checkpoints/last.pt', weights_only=True)
    assert a['step'] == b['step'] == STEPS
    for key in ('G', 'D', 'ema'):
        for k in a[key]: assert torch.equal(a[key][k], b[key][k]), (key, k)
    for key in ('opt_g', 'opt_d'):
        for i, s in a[key]['state'].items():
            for k, v in s.items(): assert torch.equal(v, b[key]['state'][i][k]), (key, i, k)
    ha, hb = pd.read_csv(tmp_path/'full/history.csv'), pd.read_csv(tmp_path/'cut/history.csv')
    assert hb.step.tolist() == list(range(1, STEPS + 1))  # no row lost or duplicated
    pd.testing.assert_frame_equal(ha.drop(columns='time'), hb.drop(columns='time'), check_exact=True)
