"""The wheel reproduces: built from this clone and installed (not editable) into a fresh virtual environment, it runs
the smoke profile of an experiment from an unrelated folder, with the templates it carries. Takes a minute or two."""
import os, subprocess, sys, sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sh(*cmd, **kw):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600, **kw)
    assert r.returncode == 0, f'{cmd}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}'
    return r.stdout


def test_wheel_runs_smoke_reproduction(tmp_path):
    src = tmp_path/'src'  # a copy of the tracked and new files: the build leaves nothing in the clone
    files = _sh('git', 'ls-files', '-co', '--exclude-standard', '-z', cwd=ROOT).split('\0')
    for f in filter(None, files):
        if (ROOT/f).is_file():
            (src/f).parent.mkdir(parents=True, exist_ok=True); (src/f).write_bytes((ROOT/f).read_bytes())
    _sh(sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '--no-index', '-q', '-w', tmp_path/'dist', src)
    [wheel] = (tmp_path/'dist').glob('trustsr-*.whl')
    _sh(sys.executable, '-m', 'venv', '--without-pip', tmp_path/'venv')
    py = tmp_path/'venv'/'bin'/'python'
    site = Path(_sh(py, '-c', "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    host = {sysconfig.get_paths()['purelib'], sysconfig.get_paths()['platlib']}  # torch & co., already installed here
    (site/'_host_packages.pth').write_text('\n'.join(sorted(host)) + '\n')
    _sh(sys.executable, '-m', 'pip', '--python', py, 'install', '--no-deps', '--no-index', '-q', wheel)
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'TRUSTSR_EXPERIMENTS')}
    env['OMP_NUM_THREADS'] = '1'
    work = tmp_path/'work'; work.mkdir()
    where = _sh(py, '-c', 'import trustsr, trustsr.reproduce as r; print(trustsr.__file__); print(r.templates_dir())', cwd=work, env=env).split()
    assert all(Path(w).is_relative_to(site) for w in where), where  # the wheel's package and its templates, not the clone's
    assert (Path(where[1])/'lecture_baselines.ipynb').is_file()
    out = _sh(tmp_path/'venv'/'bin'/'trustsr-reproduce', '--profile', 'smoke', '--only', 'lecture_baselines', '--device', 'cpu',
              cwd=work, env=env)
    status = (work/'runs'/'latest'/'status.csv').read_text()
    assert 'lecture_baselines,ok,smoke' in status, (status, out)
    assert (work/'runs'/'latest'/'REPORT.md').is_file()
