"""Every console script as pip installs it: fast --help and --version, one-line errors with exit status 2, no traceback."""
import os, subprocess, sys, time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = {'trustsr-train': 'train', 'trustsr-sr': 'sr', 'trustsr-reproduce': 'reproduce', 'trustsr-data': 'data'}


def _env():
    return {**os.environ, 'PYTHONPATH': str(ROOT), 'OMP_NUM_THREADS': '1'}


def _script(tmp, name):
    "A file like the entry-point script pip writes for console script `name`."
    p = tmp/name
    p.write_text(f'import sys\nfrom trustsr.cli import {SCRIPTS[name]}\nsys.exit({SCRIPTS[name]}())\n')
    return str(p)


def _run(tmp, name, *args, cwd=None):
    return subprocess.run([sys.executable, _script(tmp, name), *map(str, args)], env=_env(), capture_output=True,
                          text=True, timeout=300, cwd=cwd)


@pytest.mark.parametrize('name', SCRIPTS)
def test_help_is_fast_and_light(name, tmp_path):
    "--help answers in under 1.5 s and imports neither torch nor papermill; --version prints the version."
    code = (f"import sys, time; t = time.time(); sys.argv = ['{name}', '--help']\n"
            f"from trustsr.cli import {SCRIPTS[name]}\n"
            f"try: {SCRIPTS[name]}()\nexcept SystemExit as e: assert e.code == 0\n"
            "print('SECONDS', time.time() - t, 'torch' in sys.modules, 'papermill' in sys.modules)")
    t0 = time.time()
    r = subprocess.run([sys.executable, '-c', code], env=_env(), capture_output=True, text=True, timeout=60)
    wall = time.time() - t0
    assert r.returncode == 0, r.stderr
    secs, torch_loaded, pm_loaded = r.stdout.split('SECONDS')[1].split()
    assert (torch_loaded, pm_loaded) == ('False', 'False')
    assert float(secs) < 1.5 and wall < 3, (secs, wall)
    assert 'usage:' in r.stdout and '--version' in r.stdout
    v = _run(tmp_path, name, '--version')
    assert v.returncode == 0 and v.stdout.strip() == f'{name} ' + (ROOT/'trustsr'/'__init__.py').read_text().split('"')[1]


@pytest.mark.parametrize('name,args,message', [
    ('trustsr-train', ['--model', 'srcnn', '--data', 'sample:fundus', '--out', 'r', '--batch', '-2'], 'argument --batch: must be >= 1, got -2'),
    ('trustsr-train', ['--model', 'srcnn', '--data', 'sample:fundus', '--out', 'r', '--scale', '0'], 'argument --scale: must be >= 1, got 0'),
    ('trustsr-train', ['--model', 'srcnn', '--data', 'sample:fundus', '--out', 'r', '--steps', '-1'], 'argument --steps: must be >= 1, got -1'),
    ('trustsr-train', ['--model', 'srcnn', '--data', 'sample:fundus', '--out', 'r', '--ckpt_every', '0'], 'must be >= 1, got 0'),
    ('trustsr-train', ['--model', 'srcnn'], 'the following arguments are required: --data, --out'),
    ('trustsr-train', ['--model', 'srcnn', '--data', 'sample:fundus', '--out', 'r', '--model-args', 'width=3'],
     "srcnn has no parameter 'width'; valid: in_slices, n1, n2, f1, f2, f3"),
    ('trustsr-train', ['--model', 'srcnn', '--data', 'nosuch=/x', '--out', 'r'], 'DATASET one of'),
    ('trustsr-sr', ['in.png', 'out.png'], 'the following arguments are required: --checkpoint'),
    ('trustsr-sr', ['missing.png', 'out.png', '--checkpoint', 'ck.pt'], 'No image file or folder at missing.png'),
    ('trustsr-reproduce', ['--only', ','], "--only ',' names no experiment"),
    ('trustsr-reproduce', ['--profile', 'smoke', '--data', 'fives=.'], 'read only by --profile paper'),
    ('trustsr-reproduce', ['--profile', 'quick', '--rehearse'], '--rehearse goes with --profile paper'),
    ('trustsr-reproduce', ['--profile', 'paper', '--only', 'main_fives'], 'main_fives needs fives'),
    ('trustsr-reproduce', ['--profile', 'paper', '--only', 'main_fives', '--data', 'fives=/no/such/dir'], 'No dataset folder at fives=/no/such/dir'),
    ('trustsr-reproduce', ['--plan'], '--plan goes with --profile paper'),
    ('trustsr-reproduce', ['--gpu', 'h100'], '--gpu go(es) with --plan'),
    ('trustsr-reproduce', ['--profile', 'paper', '--plan', '--gpu', 'tpu'], "Unknown GPU 'tpu'; known: h200"),
    ('trustsr-reproduce', ['--set', 'seed=1'], '--set cannot set seed'),
    ('trustsr-reproduce', ['--set', 'accumulate'], '--set takes NAME=VALUE'),
    ('trustsr-data', ['prepare', 'fives', 'd', '--archive', 'missing.zip'], 'missing.zip'),
    ('trustsr-data', ['prepare', 'odir'], 'the following arguments are required: root'),
])
def test_user_errors_are_one_line(name, args, message, tmp_path):
    r = _run(tmp_path, name, *args, cwd=tmp_path)
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert 'Traceback' not in r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith(f'{name}') and ': error: ' in last and message in last, r.stderr
    assert not (tmp_path/'r').exists() and not (tmp_path/'runs').exists()


def test_debug_shows_the_traceback(tmp_path):
    r = _run(tmp_path, 'trustsr-sr', 'missing.png', 'out.png', '--checkpoint', 'ck.pt', '--debug', cwd=tmp_path)
    assert r.returncode != 0 and 'Traceback' in r.stderr and 'FileNotFoundError' in r.stderr


def test_data_scripts_share_the_error_handling(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT/'data_scripts'/'luna16.py'), '--root', str(tmp_path/'l'), '--subsets', 'x'],
                       env=_env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.strip().splitlines()[-1] == "luna16.py: error: argument --subsets: expects an integer, got 'x'"
    r = subprocess.run([sys.executable, str(ROOT/'data_scripts'/'odir.py'), '--root', str(tmp_path/'o'), '--archive', str(tmp_path/'no.zip')],
                       env=_env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and 'Traceback' not in r.stderr and r.stderr.startswith('odir.py: error:'), r.stderr


def test_list_models(tmp_path):
    r = _run(tmp_path, 'trustsr-train', '--list-models')
    assert r.returncode == 0, r.stderr
    assert 'gtunet' in r.stdout and 'rdst_e' in r.stdout and 'vgg_light' in r.stdout


def test_sr_never_writes_over_its_input(tmp_path):
    "Output == input (a file, or a folder onto itself) is refused and leaves the input byte for byte."
    import numpy as np
    from PIL import Image
    (tmp_path/'in').mkdir()
    Image.fromarray(np.full((8, 8), 100, np.uint8)).save(tmp_path/'in'/'a.png')
    before = (tmp_path/'in'/'a.png').read_bytes()
    for out in ('in/a.png', 'in'):
        src = 'in/a.png' if out == 'in/a.png' else 'in'
        r = _run(tmp_path, 'trustsr-sr', src, out, '--checkpoint', 'ck.pt', cwd=tmp_path)
        assert r.returncode == 2 and 'is an input image' in r.stderr and '--overwrite' in r.stderr, r.stderr
    assert (tmp_path/'in'/'a.png').read_bytes() == before
    assert sorted(p.name for p in (tmp_path/'in').iterdir()) == ['a.png']
