"The data_scripts run end to end on a tiny archive in the real layout (no network), and each one parses --help."
import io, json, subprocess, sys, zipfile
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT/'data_scripts').glob('*.py'))


def png(a):
    b = io.BytesIO(); Image.fromarray(a).save(b, 'PNG'); return b.getvalue()


def test_every_script_has_help():
    code = ("import runpy, sys\nfor f in sys.argv[1:]:\n    sys.argv = [f, '--help']\n"
            "    try: runpy.run_path(f, run_name='__main__')\n    except SystemExit as e: assert e.code == 0, f\n")
    r = subprocess.run([sys.executable, '-c', code, *map(str, SCRIPTS)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count('you downloaded yourself') == len(SCRIPTS) == 7


def test_fives_script_on_a_local_archive(tmp_path):
    arch = tmp_path/'fives.zip'
    with zipfile.ZipFile(arch, 'w') as z:
        for s in ('train', 'test'):
            for i, c in enumerate('ADGN', 1):
                z.writestr(f'FIVES/{s}/Original/{i}_{c}.png', png(np.full((16, 16, 3), 30 * i, np.uint8)))
                z.writestr(f'FIVES/{s}/Ground truth/{i}_{c}.png', png(np.eye(16, dtype=np.uint8) * 255))
        z.writestr('FIVES/test/Original/5_N.png', b'\x89PNG truncated')
        z.writestr('FIVES/test/Ground truth/5_N.png', png(np.eye(16, dtype=np.uint8) * 255))
    r = subprocess.run([sys.executable, 'data_scripts/fives.py', '--root', str(tmp_path/'fives'), '--archive', str(arch)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert 'fives: 8 items, 1 file(s) skipped' in r.stdout
    m = json.loads((tmp_path/'fives/manifest.json').read_text())
    assert m['skipped'][0]['file'].endswith('5_N.png') and m['licence'].startswith('CC BY 4.0')
