"""`trustsr-train` as the console script runs it (options parsed from sys.argv), alone, resumed, and under torchrun."""
import os, subprocess, sys
from pathlib import Path

import pandas as pd
import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
ARGS = ['--model', 'srcnn', '--data', 'sample:fundus', '--scale', '2', '--patch', '32', '--batch', '2', '--loss', 'mse',
        '--ckpt_every', '2']


def _env():
    env = {k: v for k, v in os.environ.items() if k not in ('WORLD_SIZE', 'RANK', 'LOCAL_RANK', 'MASTER_ADDR', 'MASTER_PORT')}
    return {**env, 'PYTHONPATH': str(ROOT), 'OMP_NUM_THREADS': '1'}


def _script(tmp):
    "A file that calls `train()` at top level, like the entry-point script pip writes for `trustsr-train`."
    p = tmp/'trustsr-train'
    p.write_text('import sys\nfrom trustsr.cli import train\nsys.exit(train())\n')
    return str(p)


def test_cli_train_and_resume(tmp_path):
    cmd = [sys.executable, _script(tmp_path)] + ARGS + ['--out', str(tmp_path/'run')]
    r = subprocess.run(cmd + ['--steps', '3'], env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]
    h = pd.read_csv(tmp_path/'run/history.csv')
    assert h.step.tolist() == [1, 2, 3] and 'mse' in h.columns and h.valid_psnr.notna().sum() == 2
    assert torch.load(tmp_path/'run/checkpoints/last.pt', weights_only=True)['step'] == 3
    assert (tmp_path/'run/checkpoints/best.pt').is_file()
    r = subprocess.run(cmd + ['--steps', '3'], env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode != 0 and 'already holds a run' in r.stderr
    r = subprocess.run(cmd + ['--steps', '3', '--resume'], env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]
    assert pd.read_csv(tmp_path/'run/history.csv').step.tolist() == [1, 2, 3]


def test_cli_torchrun(tmp_path):
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', _script(tmp_path)]
    r = subprocess.run(cmd + ARGS + ['--out', str(tmp_path/'ddp'), '--steps', '2'], env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]
    ck = torch.load(tmp_path/'ddp/checkpoints/last.pt', weights_only=True)
    assert ck['config']['world'] == 2 and ck['step'] == 2
    assert pd.read_csv(tmp_path/'ddp/history.csv').step.tolist() == [1, 2]


def test_cli_run_describes_itself(tmp_path):
    "The run records its command line and model (config.json, checkpoint); trustsr-sr then needs only --checkpoint."
    import json
    import numpy as np
    from PIL import Image
    out = tmp_path/'run'
    cmd = [sys.executable, _script(tmp_path)] + ARGS + ['--model-args', 'n1=16', 'n2=8', '--out', str(out), '--steps', '2']
    r = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]
    settings = json.loads((out/'config.json').read_text())['settings']
    assert settings['model_args'] == {'n1': 16, 'n2': 8} and settings['data'] == 'sample:fundus' and settings['patch'] == 32
    assert settings['command'].startswith('trustsr-train --model srcnn') and 'n1=16' in settings['command']
    r = subprocess.run(cmd + ['--resume', '--device', 'cpu'], env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]  # resuming (on a named device) is the same run
    r = subprocess.run(cmd[:-1] + ['3', '--resume'], env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode == 2 and 'other settings' in r.stderr.strip().splitlines()[-1]
    r = subprocess.run(cmd[:-1] + ['3', '--resume', '--allow-changes'], env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]
    assert pd.read_csv(out/'history.csv').step.tolist() == [1, 2, 3]
    model = torch.load(out/'checkpoints/last.pt', weights_only=True)['config']['model']
    assert (model['name'], model['scale'], model['in_ch'], model['n1']) == ('srcnn', 2, 3, 16)
    Image.fromarray(np.full((12, 10, 3), 90, np.uint8)).save(tmp_path/'lr.png')
    sr = tmp_path/'trustsr-sr'
    sr.write_text('import sys\nfrom trustsr.cli import sr\nsys.exit(sr())\n')
    r = subprocess.run([sys.executable, str(sr), str(tmp_path/'lr.png'), str(tmp_path/'sr.png'), '--checkpoint',
                        str(out/'checkpoints/last.pt')], env=_env(), capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]
    assert Image.open(tmp_path/'sr.png').size == (20, 24)
