"""Data parallelism: `fit` under `torchrun --nproc_per_node 2` (gloo, CPU) keeps both processes' weights identical and
matches a single process on the combined batch, i.e. it averages the gradients of the processes."""
import os, subprocess, sys
from pathlib import Path

import pandas as pd
import torch

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r'''
import sys
import torch, torch.nn as nn, torch.nn.functional as F, torch.distributed as dist
from torch.utils.data import Dataset
from trustsr.train import fit, hybrid, lstmagan, pixel

out, batch = sys.argv[1], int(sys.argv[2])

class Crops(Dataset):
    "Random 16x16 crops of a smooth image, drawn with torch's global generator."
    def __init__(self, n=16):
        img = torch.rand(1, 1, 8, 8, generator=torch.Generator().manual_seed(0))
        self.img, self.n = F.interpolate(img, size=40, mode='bilinear')[0], n
    def __len__(self): return self.n
    def __getitem__(self, i):
        y, x = torch.randint(0, 25, (2,)).tolist()
        hr = self.img[:, y:y + 16, x:x + 16]
        return F.avg_pool2d(hr[None], 2)[0], hr

def models():
    torch.manual_seed(0)
    G = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 3, padding=1), nn.PixelShuffle(2))
    D = nn.Sequential(nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.LeakyReLU(0.2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(8, 1), nn.Flatten(0))
    return G, D

G, D = models()
t = fit(G, Crops(), hybrid(), D=D, steps=6, batch=batch, lr=1e-3, ema=0.9, out=out + '/hybrid', ckpt_every=3,
        valid=Crops(2), progress=False)
rank = dist.get_rank() if dist.is_initialized() else 0
torch.save({'G': G.state_dict(), 'D': D.state_dict()}, f'{out}/hybrid/rank{rank}.pt')
G, _ = models()  # gradient accumulation: two micro-batches per process, the gradients averaged over processes once
fit(G, Crops(), pixel(), steps=3, batch=batch, accumulate=2, lr=1e-3, progress=False)
torch.save({'G': G.state_dict()}, f'{out}/rank{rank}_acc.pt')
if dist.is_initialized():  # WGAN-GP: double backward through the DDP-wrapped critic, several critic steps
    G, D = models()
    fit(G, Crops(), lstmagan(nn.L1Loss(), d_steps=2), D=D, steps=3, batch=batch, progress=False)
    torch.save({'G': G.state_dict(), 'D': D.state_dict()}, f'{out}/rank{rank}_gp.pt')
'''


def test_ddp_two_processes(tmp_path):
    (tmp_path/'run.py').write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if k not in ('WORLD_SIZE', 'RANK', 'LOCAL_RANK', 'MASTER_ADDR', 'MASTER_PORT')}
    env.update(PYTHONPATH=str(ROOT), OMP_NUM_THREADS='1')
    torchrun = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2']
    r = subprocess.run(torchrun + [str(tmp_path/'run.py'), str(tmp_path/'ddp'), '2'], env=env, timeout=180, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    r = subprocess.run([sys.executable, str(tmp_path/'run.py'), str(tmp_path/'one'), '4'], env=env, timeout=180, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]

    # both processes end with identical weights (G and critic), for the hinge GAN and for WGAN-GP
    for name in ('hybrid/rank{}.pt', 'rank{}_gp.pt'):
        a, b = (torch.load(tmp_path/'ddp'/name.format(r), weights_only=True) for r in (0, 1))
        for m in ('G', 'D'):
            for k in a[m]: assert torch.equal(a[m][k], b[m][k]), (name, m, k)

    # 2 processes x batch 2 = 1 process x batch 4: the same samples per step, the gradients averaged
    a = torch.load(tmp_path/'ddp/hybrid/rank0.pt', weights_only=True)
    b = torch.load(tmp_path/'one/hybrid/rank0.pt', weights_only=True)
    for m in ('G', 'D'):
        for k in a[m]: torch.testing.assert_close(a[m][k], b[m][k], rtol=0, atol=1e-6)
    # the same with 2 micro-batches per step: 2 processes x 2 x 1 sample = 1 process x 2 x 2 samples, both ranks identical
    a, a1, b = (torch.load(tmp_path/p, weights_only=True)['G'] for p in ('ddp/rank0_acc.pt', 'ddp/rank1_acc.pt', 'one/rank0_acc.pt'))
    for k in a:
        assert torch.equal(a[k], a1[k]), k
        torch.testing.assert_close(a[k], b[k], rtol=0, atol=1e-6)
    ca = torch.load(tmp_path/'ddp/hybrid/checkpoints/last.pt', weights_only=True)
    cb = torch.load(tmp_path/'one/hybrid/checkpoints/last.pt', weights_only=True)
    for k in ca['ema']: torch.testing.assert_close(ca['ema'][k], cb['ema'][k], rtol=0, atol=1e-6)
    assert ca['config']['settings']['world'] == 2 and cb['config']['settings']['world'] == 1

    # rank 0 alone wrote the history; its losses are averaged over the processes
    ha, hb = pd.read_csv(tmp_path/'ddp/hybrid/history.csv'), pd.read_csv(tmp_path/'one/hybrid/history.csv')
    assert ha.step.tolist() == list(range(1, 7))
    for c in ('psnr', 'adv', 'g', 'd', 'd_real', 'd_fake', 'grad_norm', 'valid_psnr'):
        torch.testing.assert_close(torch.tensor(ha[c].values), torch.tensor(hb[c].values), rtol=1e-5, atol=1e-5, equal_nan=True)
