"""Downloads (HTTP range resume on a local server), Kaggle without credentials, nested archives, interrupted prepare,
extraction that never deletes or overwrites, extraction limits, pinned digests, and datasets whose every file is unreadable."""
import collections, functools, http.server, io, json, os, shutil, tarfile, threading, zipfile
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
    DD.download_url(f'{url}/data.zip', dest, digest='sha256:' + DD.sha256sum(d/'data.zip'), size=100_000, progress=False)
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


def make_zip(path, members:dict, method=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, 'w', method) as z:
        for n, data in members.items(): z.writestr(n, data)
    return path


def files_under(d):
    return sorted(str(p.relative_to(d)) for p in Path(d).rglob('*') if p.is_file())


def test_extract_keeps_what_the_archive_did_not_create(tmp_path):
    dest = tmp_path/'dest'; (dest/'data').mkdir(parents=True)
    (dest/'data/important.txt').write_text('mine'); (dest/'other.txt').write_text('mine too')
    arch = make_zip(tmp_path/'a.zip', {'data/new.txt': b'new', 'data/sub/deep.txt': b'deep'})
    assert DD.safe_extract(arch, dest) == [dest/'data']
    assert files_under(dest) == ['data/important.txt', 'data/new.txt', 'data/sub/deep.txt', 'other.txt']
    assert (dest/'data/important.txt').read_text() == 'mine'
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith('.')] == []  # no staging folder left


def test_extract_refuses_to_overwrite_a_different_file(tmp_path):
    dest = tmp_path/'dest'; (dest/'data').mkdir(parents=True); (dest/'data/important.txt').write_text('mine')
    same = make_zip(tmp_path/'same.zip', {'data/important.txt': b'mine', 'data/b.txt': b'b'})
    DD.safe_extract(same, dest)  # an identical file is fine
    for other in (b'MINE', b'something else'):
        arch = make_zip(tmp_path/'other.zip', {'data/important.txt': other, 'data/c.txt': b'c'})
        with pytest.raises(FileExistsError, match=r"1 file\(s\) there differ from the archive's \(data/important.txt\); nothing was changed"):
            DD.safe_extract(arch, dest)
        assert files_under(dest) == ['data/b.txt', 'data/important.txt'] and (dest/'data/important.txt').read_text() == 'mine'


def test_failed_extraction_removes_only_what_it_created(tmp_path, monkeypatch):
    good = make_zip(tmp_path/'g.zip', {'x/a.txt': b'a' * 100, 'y/b.txt': b'b' * 100})
    corrupt = tmp_path/'c.zip'; data = bytearray(good.read_bytes())
    data[data.index(b'b' * 100) + 50] ^= 0xFF  # a flipped byte in a stored member: CRC error while extracting
    corrupt.write_bytes(bytes(data))
    with pytest.raises(zipfile.BadZipFile): DD.safe_extract(corrupt, tmp_path/'new/parent/dest')
    assert not (tmp_path/'new').exists()  # the folders it made are gone, and so is its staging folder
    dest = tmp_path/'dest'; dest.mkdir(); (dest/'z.txt').write_text('mine')
    real, calls = os.replace, []
    def flaky(a, b):
        calls.append(b)
        if len(calls) == 2: raise OSError('disk full')
        return real(a, b)
    monkeypatch.setattr(DD.os, 'replace', flaky)  # fails while moving the second entry into place
    with pytest.raises(OSError, match='disk full'): DD.safe_extract(good, dest)
    monkeypatch.undo()
    assert files_under(dest) == ['z.txt'] and [p.name for p in tmp_path.iterdir() if p.name.startswith('.')] == []


def test_decompression_bomb_is_refused(tmp_path):
    bomb = tmp_path/'bomb.zip'
    with zipfile.ZipFile(bomb, 'w', zipfile.ZIP_DEFLATED) as z, z.open('zeros.bin', 'w') as f:
        for _ in range(200): f.write(bytes(1 << 20))
    assert bomb.stat().st_size < 250_000  # ~200 KB that expand to 200 MiB
    with pytest.raises(ValueError) as e: DD.safe_extract(bomb, tmp_path/'out')
    msg = str(e.value)
    assert 'expand to 200.0 MiB' in msg and 'decompression bomb' in msg and 'max_ratio=100x' in msg and '\n' not in msg
    assert not (tmp_path/'out').exists()
    with pytest.raises(ValueError, match='more than max_bytes=64.0 MiB'):  # the limit on the size alone, through prepare's route
        DD.extract_all([bomb], tmp_path/'r', limits={'max_ratio': 1e6, 'max_bytes': 64 << 20})
    with pytest.raises(ValueError, match=r"Unknown limit\(s\) \['max_size'\]"): DD.extract_all([bomb], tmp_path/'r', limits={'max_size': 1})


def test_deeply_nested_archives_are_refused(tmp_path):
    inner = make_zip(tmp_path/'level31.zip', {'a.txt': b'a'})
    for k in range(30, 0, -1): inner = make_zip(tmp_path/f'level{k}.zip', {f'level{k + 1}.zip': inner.read_bytes()})
    with pytest.raises(ValueError) as e: DD.extract_all([inner], tmp_path/'r')
    assert 'level4.zip: archives nested 4 deep in level1.zip, more than max_depth=3' in str(e.value) and '\n' not in str(e.value)
    recs = DD.extract_all([tmp_path/'level29.zip'], tmp_path/'r2', limits={'max_depth': 3})  # 3 levels are fine
    assert [r['file'] for r in recs] == ['level29.zip', 'level30.zip', 'level31.zip']
    assert files_under(tmp_path/'r2/level29') == ['level30/level31/a.txt']  # nested archives removed once unpacked


def test_free_disk_space_is_checked(tmp_path, monkeypatch):
    arch = make_zip(tmp_path/'a.zip', {'big.bin': bytes(10_000)})
    usage = collections.namedtuple('usage', 'total used free')
    monkeypatch.setattr(DD.shutil, 'disk_usage', lambda p: usage(10**6, 10**6 - 5000, 5000))
    with pytest.raises(OSError, match=r'Not enough disk space to extract .*a.zip: it needs 9.8 KiB and .* has 4.9 KiB free'):
        DD.safe_extract(arch, tmp_path/'out')
    assert not (tmp_path/'out').exists()


def test_pinned_digest_mismatch_names_file_digests_and_remedy(tmp_path):
    arch = make_zip(tmp_path/'COVID-19-CT-Seg_20cases.zip', {'COVID-19-CT-Seg_20cases/x.nii.gz': b'not the real file'})
    with pytest.raises(ValueError) as e: D.prepare('covid_ct', tmp_path/'covid', archives=[arch], progress=False)
    msg = str(e.value)
    assert msg.startswith(f'{arch}: SHA-256 mismatch: expected a5060480eff9315b069b086312dac4872777901fb80d268a5a83edd9f4e7b440, '
                          f'got {DD.sha256sum(arch)}')
    assert 'download it again from' in msg and 'verify=False' in msg and '\n' not in msg
    assert not (tmp_path/'covid/COVID-19-CT-Seg_20cases').exists()  # nothing extracted
    recs = DD.extract_all([arch], tmp_path/'r', DD.DATASETS['covid_ct']['checksums'], verify=False)
    assert recs[0]['pinned'] is None and recs[0]['sha256'] == DD.sha256sum(arch)
    md5 = DD.file_digests(arch, ('md5',))['md5']
    shutil.copy(arch, tmp_path/'saved under another name.zip')  # a pinned file is recognised by its content
    recs = DD.extract_all([tmp_path/'saved under another name.zip'], tmp_path/'r3', {'subset0.zip': f'md5:{md5}'})
    assert recs[0]['pinned'] == f'md5:{md5}'


def test_plain_file_is_not_copied_over_a_different_one(tmp_path):
    (tmp_path/'dl').mkdir(); (tmp_path/'r').mkdir()
    (tmp_path/'dl/annotations.csv').write_text('seriesuid\n1\n'); (tmp_path/'r/annotations.csv').write_text('my edits\n')
    with pytest.raises(FileExistsError, match='a different file is already there'): DD.extract_all([tmp_path/'dl/annotations.csv'], tmp_path/'r')
    assert (tmp_path/'r/annotations.csv').read_text() == 'my edits\n'


def test_rar_archive_is_refused_with_what_to_do(tmp_path):
    (tmp_path/'FIVES.rar').write_bytes(b'Rar!\x1a\x07\x01\x00')
    with pytest.raises(ValueError, match='.rar archives are not supported; unpack it yourself'): DD.extract_all([tmp_path/'FIVES.rar'], tmp_path/'r')
    assert not (tmp_path/'r/FIVES.rar').exists()


def test_prepare_when_every_volume_is_unreadable(tmp_path):
    arch = brats_kaggle_zip(tmp_path/'b.zip', n=3)
    root = tmp_path/'b'; DD.extract_all([arch], root)
    cases = sorted(root.glob('**/BraTS2021_0000[0-9]'))
    for k, d in enumerate(cases):
        f = d/f'{d.name}_flair.nii.gz'; b = f.read_bytes()
        f.write_bytes(b[:40] if k == 0 else b[:len(b) // 2])  # header cut (fails listing) or data cut (fails the check)
    (cases[1]/f'{cases[1].name}_flair.nii.gz').write_bytes(b'not a nifti file')
    for _ in range(2):  # the same message again once the manifest exists
        with pytest.raises(ValueError, match=r'brats: all 3 files under .* are unreadable \(see the manifest .*manifest.json\)'):
            D.prepare('brats', root, download=False, progress=False)
    m = json.loads((root/'manifest.json').read_text())
    assert m['items'] == 0 and len({s['file'] for s in m['skipped']}) == 3


def test_prepare_stops_on_a_binary_label_sheet(tmp_path):
    root = tmp_path/'odir'; (root/'preprocessed_images').mkdir(parents=True)
    (root/'full_df.csv').write_bytes(b'PK\x03\x04' + os.urandom(200))  # an Excel workbook saved as .csv
    with pytest.raises(D.DataError, match=r'ODIR label sheet .*full_df.csv is a zip container \(an Excel .xlsx workbook\?\)'):
        D.prepare('odir', root, download=False, progress=False)
    assert len((root/'manifest.partial.jsonl').read_text().splitlines()) == 1  # tried twice, logged once, then stopped


def test_brats_kaggle_layout_with_separate_case_tars(tmp_path):
    "The Kaggle copy ships two cases as their own tars beside the training tar; they unpack one folder deeper."
    arch = brats_kaggle_zip(tmp_path/'brats-2021-task1.zip', n=2)
    extra = io.BytesIO()
    with tarfile.open(fileobj=extra, mode='w') as t:
        for m in ('flair', 't1', 't1ce', 't2', 'seg'):
            import gzip
            a = np.full((8, 8, 4), 0 if m == 'seg' else 7, np.uint8 if m == 'seg' else np.float32)
            data = gzip.compress(nib.Nifti1Image(a, np.eye(4)).to_bytes())
            info = tarfile.TarInfo(f'BraTS2021_00495/BraTS2021_00495_{m}.nii.gz'); info.size = len(data); t.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(arch, 'a') as z: z.writestr('BraTS2021_00495.tar', extra.getvalue())
    m = D.prepare('brats', tmp_path/'brats', archives=[arch], progress=False)
    assert [s['file'] for s in m['skipped']] == ['brats-2021-task1/BraTS2021_Training_Data/BraTS2021_00001/BraTS2021_00001_flair.nii.gz']
    with pytest.warns(UserWarning, match='left out 1 item'):
        assert sorted(set(D.brats(tmp_path/'brats', 'all').subjects)) == ['BraTS2021_00000', 'BraTS2021_00495']


def test_extraction_interrupted_between_outer_and_inner_archive_resumes(tmp_path, monkeypatch):
    arch = brats_kaggle_zip(tmp_path/'k.zip', n=2)
    real = DD._extract
    def stop_at_tar(a, *args):
        if str(a).endswith('.tar'): raise Interrupted  # killed after the zip is unpacked, before its tar is
        return real(a, *args)
    monkeypatch.setattr(DD, '_extract', stop_at_tar)
    with pytest.raises(Interrupted): DD.extract_all([arch], tmp_path/'r', progress=False)
    monkeypatch.undo()
    recs = DD.extract_all([arch], tmp_path/'r', progress=False)
    assert [r['file'] for r in recs] == ['k.zip', 'BraTS2021_Training_Data.tar']
    assert files_under(tmp_path/'r/k') == [f'BraTS2021_Training_Data/BraTS2021_0000{k}/BraTS2021_0000{k}_{m}.nii.gz'
                                           for k in range(2) for m in ('flair', 'seg', 't1', 't1ce', 't2')]
