"Downloads (HTTP range resume on a local server), Kaggle without credentials, nested archives, interrupted prepare."
import functools, http.server, io, json, os, tarfile, threading, zipfile
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

import trustsr.data as D
import trustsr.data_download as DD


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    "Serves files with HTTP Range support (a 206 for `bytes=N-`)."
    def log_message(self, *a): pass
    def do_GET(self):
        f = Path(self.directory)/self.path.lstrip('/')
        data = f.read_bytes()
        rng = self.headers.get('Range')
        start = int(rng.split('=')[1].rstrip('-')) if rng else 0
        self.send_response(206 if rng else 200)
        self.send_header('Content-Length', str(len(data) - start)); self.end_headers()
        self.wfile.write(data[start:])


@pytest.fixture
def server(tmp_path):
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(RangeHandler, directory=str(tmp_path)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_port}', tmp_path
    srv.shutdown()


def test_download_resumes_from_part_file(server):
    url, d = server
    payload = os.urandom(100_000); (d/'data.zip').write_bytes(payload)
    dest = d/'dl/data.zip'; dest.parent.mkdir()
    (d/'dl/data.zip.part').write_bytes(payload[:30_000])  # an interrupted earlier download
    DD.download_url(f'{url}/data.zip', dest, sha256=DD.sha256sum(d/'data.zip'), size=100_000, progress=False)
    assert dest.read_bytes() == payload and not (d/'dl/data.zip.part').exists()
    # a finished file is not fetched again: a wrong URL does not matter any more
    assert DD.download_url(f'{url}/missing.zip', dest, progress=False) == dest


def test_kaggle_without_credentials_is_a_clear_error(tmp_path, monkeypatch):
    for k in ('KAGGLE_USERNAME', 'KAGGLE_KEY', 'KAGGLE_API_TOKEN'): monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv('KAGGLE_CONFIG_DIR', str(tmp_path/'cfg')); monkeypatch.setenv('HOME', str(tmp_path))
    with pytest.raises(RuntimeError, match='Kaggle authentication failed'):
        DD.kaggle_download('andrewmvd/ocular-disease-recognition-odir5k', tmp_path/'dl')
    assert not list((tmp_path/'dl').iterdir())


def brats_kaggle_zip(path, n=3):
    "A zip holding a BraTS2021 training tar (the Kaggle copy's layout), with one case whose FLAIR is corrupt."
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode='w') as t:
        for k in range(n):
            name = f'BraTS2021_{k:05d}'
            for m in ('flair', 't1', 't1ce', 't2', 'seg'):
                a = np.full((8, 8, 4), 0 if m == 'seg' else k + 1, np.uint8 if m == 'seg' else np.float32)
                b = nib.Nifti1Image(a, np.eye(4)).to_bytes()
                if k == 1 and m == 'flair': b = b'not a nifti file'
                import gzip
                data = gzip.compress(b)
                info = tarfile.TarInfo(f'{name}/{name}_{m}.nii.gz'); info.size = len(data); t.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(path, 'w') as z: z.writestr('BraTS2021_Training_Data.tar', tar_bytes.getvalue())
    return path


def test_prepare_nested_archive_and_skip(tmp_path):
    arch = brats_kaggle_zip(tmp_path/'brats-2021-task1.zip')
    m = D.prepare('brats', tmp_path/'brats', archives=[arch], progress=False)
    assert [s['file'] for s in m['skipped']] == ['brats-2021-task1/BraTS2021_Training_Data/BraTS2021_00001/BraTS2021_00001_flair.nii.gz']
    assert m['items'] == 2 * 4 and len(m['archives']) == 2  # the zip and the tar inside it
    assert not (tmp_path/'brats/brats-2021-task1/BraTS2021_Training_Data.tar').exists()  # nested tar removed once unpacked
    with pytest.warns(UserWarning, match='left out 1 item'):
        assert len(D.brats(tmp_path/'brats', 'all')) == 8


class Interrupted(BaseException): "Stands in for Ctrl-C or a killed process (not caught by `except Exception`)."


def test_interrupted_validation_resumes(tmp_path, monkeypatch):
    arch = brats_kaggle_zip(tmp_path/'b.zip', n=4)
    calls, stop = [], [True]
    real = D.SliceItems._read_case
    def flaky(self, c):
        calls.append(c)
        if len(calls) == 2 and stop[0]: raise Interrupted  # the user stops the first run
        return real(self, c)
    monkeypatch.setattr(D.SliceItems, '_read_case', flaky)
    with pytest.raises(Interrupted): D.prepare('brats', tmp_path/'r', archives=[arch], progress=False)
    root = tmp_path/'r'
    assert not (root/'manifest.json').exists() and (root/'manifest.partial.jsonl').is_file()
    done = [json.loads(l)['file'] for l in (root/'manifest.partial.jsonl').read_text().splitlines()]
    assert len(done) == 2  # the corrupt case (found while listing) and the first good case
    calls.clear(); stop[0] = False
    m = D.prepare('brats', root, archives=[arch], progress=False)
    assert len(calls) == 2  # only the two cases not yet checked are read again
    assert m['items'] == 3 * 4 and [s['file'].split('/')[-1] for s in m['skipped']] == ['BraTS2021_00001_flair.nii.gz']
    assert not (root/'manifest.partial.jsonl').exists()
