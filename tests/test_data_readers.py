"Readers in DataLoader workers (volume cache per worker), the volume cache bound, and the pydicom-data error path."
import warnings
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
import SimpleITK as sitk
import torch
from torch.utils.data import DataLoader

import trustsr.data as D


def fake_brats(root, n=3, shape=(12, 10, 6)):
    rng = np.random.default_rng(0)
    for k in range(n):
        d = root/f'BraTS2021_Training_Data/BraTS2021_{k:05d}'; d.mkdir(parents=True)
        for m in D.BRATS_MODALITIES: nib.save(nib.Nifti1Image(rng.random(shape).astype(np.float32) * 1000, np.eye(4)), str(d/f'{d.name}_{m}.nii.gz'))
        seg = rng.choice([0, 1, 2, 4], shape).astype(np.uint8)
        nib.save(nib.Nifti1Image(seg, np.eye(4)), str(d/f'{d.name}_seg.nii.gz'))
    return root


def test_slices_in_workers_match_main_process(tmp_path):
    ds = D.brats(fake_brats(tmp_path), 'all', modalities=('flair', 't1ce'))
    ref = [ds[i] for i in range(len(ds))]
    ds._case(0)  # a filled cache must not be shipped to (or break) the workers
    for b in DataLoader(ds, batch_size=len(ds), num_workers=2, shuffle=False):
        assert torch.equal(b['image'], torch.stack([r['image'] for r in ref]))
        assert torch.equal(b['mask'], torch.stack([r['mask'] for r in ref]))
        assert b['meta']['slice'].tolist() == [r['meta']['slice'] for r in ref]
    assert set(ref[0]['mask'].unique().tolist()) <= {0, 1, 2, 3}


def test_volume_cache_is_bounded(tmp_path):
    ds = D.brats(fake_brats(tmp_path), 'all', cache=2)
    for i in range(len(ds)): ds[i]
    assert len(ds._vols) == 2


def test_slices_selection_and_neighbours(tmp_path):
    ds = D.brats(fake_brats(tmp_path), 'all', slices=slice(1, 5))
    assert len(ds) == 3 * 4 and sorted({ds.slice_index(i) for i in range(len(ds))}) == [1, 2, 3, 4]
    assert ds.neighbour(0, -1) == 0 and ds.slice_index(ds.neighbour(0, 2)) == 3 and ds.neighbour(3, 1) == 3


def test_corrupt_volume_names_file(tmp_path):
    root = fake_brats(tmp_path)
    f = root/'BraTS2021_Training_Data/BraTS2021_00001/BraTS2021_00001_flair.nii.gz'
    data = f.read_bytes()
    f.write_bytes(data[:400])  # cut inside the header: listing the dataset fails
    with pytest.raises(D.DataError, match='Cannot read volume header .*BraTS2021_00001_flair.nii.gz'): D.brats(root, 'all')
    f.write_bytes(data[:len(data) // 2])  # header intact, voxel data truncated: reading the slice fails
    ds = D.brats(root, 'all')
    with pytest.raises(D.DataError, match='Cannot read volume .*BraTS2021_00001_flair.nii.gz'): [ds[i] for i in range(len(ds))]


def test_luna16_truncated_raw(tmp_path):
    (tmp_path/'subset0').mkdir()
    sitk.WriteImage(sitk.GetImageFromArray(np.zeros((3, 8, 8), np.int16)), str(tmp_path/'subset0/1.2.3.mhd'))
    raw = tmp_path/'subset0/1.2.3.raw'; raw.write_bytes(raw.read_bytes()[:50])
    ds = D.luna16(tmp_path, 'all')
    with pytest.raises(D.DataError, match='1.2.3.mhd'): ds[0]


def test_missing_pydicom_data_gives_clear_error(monkeypatch):
    import pydicom.data
    monkeypatch.setattr(pydicom.data, 'get_testdata_file', lambda name, download=True, read=False: None)
    D.read_dicom.cache_clear()
    try:
        with pytest.raises(ImportError, match="optional package 'pydicom-data'"): D.sample('mr_large')
        with pytest.raises(ImportError, match='CT_small.dcm'): D.sample('ct')
    finally: D.read_dicom.cache_clear()


def test_missing_package_names_it(monkeypatch):
    import builtins
    real = builtins.__import__
    def fake(name, *a, **k):
        if name == 'nilearn': raise ImportError('No module named nilearn')
        return real(name, *a, **k)
    monkeypatch.setattr(builtins, '__import__', fake)
    D._mni152.cache_clear()
    try:
        with pytest.raises(ImportError, match="needs the package 'nilearn'"): D.sample('brain')
    finally: D._mni152.cache_clear()


@pytest.mark.skipif(__import__('importlib.util').util.find_spec('data_store') is None, reason='pydicom-data not installed')
def test_pydicom_data_samples():
    "With the optional pydicom-data: the large CT (HU window from the file), MR and inverted MONOCHROME1 radiograph."
    import pydicom
    from pydicom.data import get_testdata_file
    img, desc = D.read_dicom('RG1_UNCR.dcm')
    raw = pydicom.dcmread(get_testdata_file('RG1_UNCR.dcm', download=False)).pixel_array.astype(np.float32)
    lo, hi = np.percentile(raw, (0.5, 99.5))
    np.testing.assert_allclose(img[0].numpy(), 1 - np.clip((raw - lo) / (hi - lo), 0, 1), atol=1e-5)
    assert D.sample('ct_large')[0]['image'].shape == (1, 64, 64) and D.read_dicom('693_UNCR.dcm')[0].shape == (1, 512, 512)
    assert len(D.sample('mr_large')) > 10 and desc.endswith('inverted')


def test_cache_dir_in_shuffled_workers(tmp_path):
    "Memory-mapped copies (cache_dir) give the same items, in any order and in worker processes, as reading the files."
    root = fake_brats(tmp_path/'data')
    ref = D.brats(root, 'all', modalities=('flair', 't2'))
    ds = D.brats(root, 'all', modalities=('flair', 't2'), cache_dir=tmp_path/'cache', cache=1)
    order = torch.randperm(len(ds), generator=torch.Generator().manual_seed(0)).tolist()
    got = list(DataLoader(torch.utils.data.Subset(ds, order), batch_size=5, num_workers=2))
    imgs, masks = torch.cat([b['image'] for b in got]), torch.cat([b['mask'] for b in got])
    assert torch.equal(imgs, torch.stack([ref[i]['image'] for i in order]))
    assert torch.equal(masks, torch.stack([ref[i]['mask'] for i in order]))
    files = list((tmp_path/'cache').iterdir())
    assert len([f for f in files if f.suffix == '.npy']) == 3 * 3 and len([f for f in files if f.suffix == '.json']) == 3 * 2
    assert not [f for f in files if '.tmp' in f.name]


def test_odir_non_utf8_label_sheet_names_the_file(tmp_path):
    od = tmp_path/'ODIR-5K'; (od/'preprocessed_images').mkdir(parents=True)
    (od/'full_df.csv').write_bytes('ID,filename,labels\n0,0_left.jpg,"[\'N\']"\n1,1_left.jpg,"Kératite"\n'.encode('cp1252'))
    with pytest.raises(D.DataError, match=r'ODIR label sheet .*ODIR-5K/full_df.csv is not UTF-8 text \(byte 0xe9 at offset 55\)') as e:
        D.odir(tmp_path, 'all')
    assert e.value.file == od/'full_df.csv'


def test_every_volume_skipped_says_so(tmp_path):
    import json
    root = fake_brats(tmp_path, n=2)
    skipped = [{'file': f'BraTS2021_Training_Data/BraTS2021_0000{k}/BraTS2021_0000{k}_flair.nii.gz', 'reason': 'bad'} for k in range(2)]
    (root/'manifest.json').write_text(json.dumps({'skipped': skipped}))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with pytest.raises(ValueError, match=r'BraTS: all 2 volumes under .* are unreadable \(see the manifest .*manifest.json\)'):
            D.brats(root, 'train')
