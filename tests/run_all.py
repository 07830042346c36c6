"""Run the whole trustsr test suite: every library notebook (as `nbdev_test` does) and the pytest tests in `tests/`.

Prints one line per notebook, pytest's own report, and a final `N passed, N failed` line counting both.
Exit status is 0 only if everything passed and at least one pytest test ran.
Usage: python tests/run_all.py [--skip-notebooks] [--skip-pytest] [pytest args...]
"""
import os, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_notebooks():
    "Test every notebook nbdev_test would test; return (passed, failed) counts."
    from fastcore.parallel import parallel
    from fastcore.xtras import working_directory
    from nbdev.config import get_config
    from nbdev.doclinks import nbglob
    from nbdev.test import test_nb, _keep_file
    cfg = get_config(path=ROOT)
    files = [f.absolute() for f in sorted(nbglob(cfg.nbs_path, as_path=True)) if _keep_file(f, '.notest')]
    if not files: raise SystemExit('No notebooks found to test')
    workers = min(2, os.cpu_count() or 1)
    # notebooks run side by side, one per core: one torch thread each avoids oversubscribing the CPU
    threads = os.environ.get('OMP_NUM_THREADS')
    os.environ['OMP_NUM_THREADS'] = str(max(1, (os.cpu_count() or 1) // workers))
    t0 = time.time()
    with working_directory(cfg.nbs_path):
        results = parallel(test_nb, files, skip_flags=cfg.tst_flags.split(), force_flags=[], n_workers=workers,
                           basepath=cfg.config_path, pause=0.01, do_print=False)
    if threads is None: del os.environ['OMP_NUM_THREADS']
    else: os.environ['OMP_NUM_THREADS'] = threads
    ok = 0
    for f, (passed, secs) in zip(files, results):
        print(f"{'PASS' if passed else 'FAIL'} {f.relative_to(ROOT)} ({secs:.0f}s)", flush=True)
        ok += bool(passed)
    print(f'notebooks: {ok} passed, {len(files) - ok} failed in {time.time() - t0:.0f}s', flush=True)
    return ok, len(files) - ok


class _Count:
    "pytest plugin that counts test outcomes (setup errors count as failures)."
    def __init__(self): self.passed, self.failed, self.skipped = 0, 0, 0
    def pytest_runtest_logreport(self, report):
        if report.when == 'call' and report.passed: self.passed += 1
        elif report.failed: self.failed += 1
        elif report.skipped: self.skipped += 1


def run_pytest(args):
    import pytest
    count = _Count()
    code = pytest.main([str(ROOT/'tests'), '-q', *args], plugins=[count])
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print('pytest collected no tests: counted as a failure', flush=True); count.failed += 1
    elif code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and count.failed == 0:
        print(f'pytest ended with exit code {int(code)}: counted as a failure', flush=True); count.failed += 1
    return count.passed, count.failed, count.skipped


def main(argv):
    skip_nb, skip_py = '--skip-notebooks' in argv, '--skip-pytest' in argv
    args = [a for a in argv if a not in ('--skip-notebooks', '--skip-pytest')]
    passed = failed = skipped = 0
    if not skip_nb:
        p, f = run_notebooks(); passed += p; failed += f
    if not skip_py:
        p, f, s = run_pytest(args); passed += p; failed += f; skipped += s
    print(f'{passed} passed, {failed} failed' + (f', {skipped} skipped' if skipped else ''), flush=True)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
