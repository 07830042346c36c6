"Fixtures in the official layouts: each is read by its reader with no special case; missing files and stale caches give one clear error."
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

import trustsr.data as D

# n: cases per official folder, enough for every split of the reader's default fractions to be non-empty
CASES = {'fives': dict(n=2), 'odir': dict(n=5, size=(288, 432)),  # ODIR: small originals (the reader reads the 512² copies)
         'luna16': dict(n=6, depth=3), 'brats': dict(n=6, depth=3),
         'oasis': dict(n=5, depth=3), 'acdc': dict(n=3, depth=2, frames=3), 'covid_ct': dict(n=5, depth=3)}
# (shape of an image, channels of the image, mask classes possible, splits)
EXPECT = {'fives': ((2048, 2048), 3, {0, 1}, ('train', 'test')), 'odir': ((512, 512), 3, None, ('train', 'test')),
          'luna16': ((512, 512), 1, {0, 1}, ('train', 'val', 'test')), 'brats': ((240, 240), 1, {0, 1, 2, 3}, ('train', 'val', 'test')),
          'oasis': ((208, 176), 1, {0, 1, 2, 3}, ('train', 'test')), 'acdc': (None, 1, {0, 1, 2, 3}, ('train', 'test')),
          'covid_ct': (None, 1, {0, 1, 2, 3}, ('train', 'test'))}


@pytest.fixture(scope='module')
def roots(tmp_path_factory):
    base = tmp_path_factory.mktemp('fixtures')
    return {name: D.make_fixture(name, base/name, **kw) for name, kw in CASES.items()}


@pytest.mark.parametrize('name', list(CASES))
def test_reader_reads_fixture(roots, name):
    shape, ch, classes, splits = EXPECT[name]
    reader = D.DATASETS[name]['reader']
    n_items = 0
    for split in splits:
        ds = reader(roots[name], split)
        n_items += len(ds)
        for i in (0, len(ds) - 1):
            it = ds[i]
            x = it['image']
            assert x.dtype == torch.float32 and x.shape[0] == ch and 0 <= x.min() and x.max() <= 1 and x.max() > 0.5
            if shape: assert tuple(x.shape[-2:]) == shape
            if classes is not None: assert set(it['mask'].unique().tolist()) <= classes
    n = CASES[name]['n']
    depth = CASES[name].get('depth', 0)
    expected = {'fives': 2 * n, 'odir': 2 * n, 'luna16': n * depth, 'brats': n * depth, 'oasis': n * depth,
                'acdc': 2 * n * 2 * depth, 'covid_ct': n * depth}[name]  # ACDC: ED and ES of every patient, both folders
    assert n_items == expected


def test_labels_and_layout(roots):
    fv = D.fives(roots['fives'], 'test')
    assert [r['image'].name for r in fv.records] == ['1_A.png', '51_D.png'] and [fv[i]['label'] for i in range(2)] == [0, 1]
    assert 0.02 < fv[0]['mask'].float().mean() < 0.3  # vessels: a few percent of the photograph
    od = D.odir(roots['odir'], 'all')
    assert [od[i]['label'] for i in range(4)] == [0, 1, 2, 3]  # N, D, G, C: the sheet's 'labels' column
    assert (roots['odir']/'ODIR-5K/ODIR-5K/Training Images/0_left.jpg').is_file()
    lu = roots['luna16']
    assert len(list(lu.glob('subset*/*.raw'))) == 6 and len(list(lu.glob('seg-lungs-LUNA16/*.zraw'))) == 6
    import pandas as pd
    ann = pd.read_csv(lu/'annotations.csv')
    assert list(ann.columns) == ['seriesuid', 'coordX', 'coordY', 'coordZ', 'diameter_mm'] and len(ann) == 6
    import SimpleITK as sitk
    im = sitk.ReadImage(str(next(lu.glob('subset0/*.mhd'))))
    assert im.GetSize()[:2] == (512, 512) and 0.5 < im.GetSpacing()[0] < 0.9 and im.GetPixelID() == sitk.sitkInt16
    case = next((roots['brats']/'BraTS2021_Training_Data').iterdir())
    assert sorted(p.name[len(case.name):] for p in case.iterdir()) == ['_flair.nii.gz', '_seg.nii.gz', '_t1.nii.gz', '_t1ce.nii.gz', '_t2.nii.gz']
    import nibabel as nib
    seg = np.asarray(nib.load(str(case/f'{case.name}_seg.nii.gz')).dataobj)
    assert seg.shape[:2] == (240, 240) and set(np.unique(seg)) <= {0, 1, 2, 4}
    cfg = (roots['acdc']/'database/training/patient001/Info.cfg').read_text()
    assert cfg.startswith('ED: 1\nES: 2\n') and 'NbFrame: 3' in cfg
    assert nib.load(str(roots['acdc']/'database/training/patient001/patient001_4d.nii.gz')).shape[3] == 3
    names = sorted(p.name for p in (roots['covid_ct']/'COVID-19-CT-Seg_20cases').iterdir())
    assert names[0] == 'coronacases_org_001.nii.gz' and names[-1] == 'radiopaedia_org_covid-19-pneumonia-7_85703_0-dcm.nii.gz'
    assert sorted(p.name for p in (roots['covid_ct']/'Lung_and_Infection_Mask').iterdir())[-1] == 'radiopaedia_7_85703_0.nii.gz'
    assert (roots['oasis']/'disc1/OAS1_0001_MR1/RAW/OAS1_0001_MR1_mpr-1_anon.img').is_file()


# deleting one file: the reader (or PairedSR's check of every source file, before any item is read) names it
MISSING = {'fives': 'FIVES A Fundus Image Dataset for Artificial Intelligence based Vessel Segmentation/train/Ground truth/1_A.png',
           'odir': 'preprocessed_images/1_right.jpg', 'brats': None, 'acdc': 'database/training/patient002/patient002_frame02_gt.nii.gz',
           'oasis': 'disc1/OAS1_0002_MR1/FSL_SEG/OAS1_0002_MR1_mpr_n4_anon_111_t88_masked_gfc_fseg.img',
           'covid_ct': 'Lung_and_Infection_Mask/coronacases_001.nii.gz', 'luna16': None}


@pytest.mark.parametrize('name', list(MISSING))
def test_missing_file_is_named(roots, tmp_path, name):
    root = shutil.copytree(roots[name], tmp_path/name)
    rel = MISSING[name]
    if name == 'brats': rel = next(root.glob('BraTS2021_Training_Data/*/*_flair.nii.gz')).relative_to(root)
    if name == 'luna16': rel = next(root.glob('subset1/*.raw')).relative_to(root)
    (root/rel).unlink()
    with pytest.raises((D.DataError, FileNotFoundError)) as e:
        D.PairedSR(D.DATASETS[name]['reader'](root, 'all'), 2)
    named = {'fives': 'Original/1_A.png', 'acdc': 'patient002_frame02.nii.gz'}.get(name, Path(rel).name)  # readers name the image whose mask is gone
    assert named in str(e.value), str(e.value)


# a volume's data file (a MetaImage `.raw`, an Analyze `.img`) or a FIVES image whose mask remains: `validate` (what
# `prepare` runs) names the file itself, lists it as skipped, and the reader then leaves that item out
GONE = {'luna16': ('subset1/*.raw', None), 'oasis': ('disc1/OAS1_0002_MR1/PROCESSED/MPRAGE/T88_111/*_masked_gfc.img', None),
        'fives': (f'{D.FIVES_TOP}/train/Original/1_A.png', f'{D.FIVES_TOP}/train/Ground truth/1_A.png')}


@pytest.mark.parametrize('name', list(GONE))
def test_validate_names_missing_file(roots, tmp_path, name):
    root = shutil.copytree(roots[name], tmp_path/name)
    pattern, named = GONE[name]
    f = next(root.glob(pattern))
    f.unlink()
    n_all = len(D.DATASETS[name]['reader'](roots[name], 'all'))
    res = D.validate(name, root, progress=False)
    skipped = {s['file'] for s in res['skipped']}
    assert (named or str(f.relative_to(root))) in skipped, skipped
    with pytest.warns(UserWarning, match='left out 1 item'):
        ds = D.DATASETS[name]['reader'](root, 'all')
    per_item = 1 if name == 'fives' else CASES[name]['depth']
    assert len(ds) == n_all - per_item
    D.PairedSR(ds, 2)  # no missing source file left


def test_cache_is_exact_and_checked(roots, tmp_path):
    from trustsr.degrade import make_pair
    root = shutil.copytree(roots['fives'], tmp_path/'fives')
    items = D.fives(root, 'train')
    decoded = [items[i] for i in range(len(items))]
    mem = D.SampleItems([d['image'] for d in decoded], [d['mask'] for d in decoded], [d['meta'] for d in decoded], 'fives')
    as_before = lambda *a, **k: make_pair(*a, **k)  # a custom `degrade` takes the pre-cache path: degrade the whole image with its noise
    for kw in (dict(patch=None, noise_sigma=0.05), dict(patch=512, noise_sigma=0.02, seed=3, with_mask=True)):
        ref = D.PairedSR(mem, 8, cache=True, degrade=as_before, **kw)
        cached = D.PairedSR(items, 8, cache=True, progress=False, **kw)
        for e in (0, 1):
            ref.set_epoch(e); cached.set_epoch(e)
            for i in range(len(items)): assert all(torch.equal(a, b) for a, b in zip(ref[i], cached[i]))
    sub = D.PairedSR(torch.utils.data.Subset(items, [1]), 8, noise_sigma=0.05, cache=True, progress=False)  # a held-out part
    assert sub.store is not None and all(torch.equal(a, b) for a, b in zip(sub[0], D.PairedSR(torch.utils.data.Subset(mem, [1]), 8, noise_sigma=0.05)[0]))
    cache = root/D.CACHE_FOLDER/'fives'
    assert cache.is_dir() and sorted(p.name for p in root.iterdir()) == [D.CACHE_FOLDER, D.FIVES_TOP]
    assert len(list((cache/'hr').glob('*.mask.npy'))) == 2 and np.load(next((cache/'hr').glob('*[0-9a-f].npy'))).dtype == np.uint8
    # the same content under a new mtime is accepted; other content is one error naming the file
    f = items.records[0]['image']
    f.write_bytes(f.read_bytes())
    D.PairedSR(items, 8, cache=True, progress=False)
    from PIL import Image
    Image.fromarray(np.zeros((2048, 2048, 3), np.uint8)).save(f)
    with pytest.raises(D.DataError, match=f'built from other source files: .*{f.name}.*Delete'):
        D.PairedSR(items, 8, cache=True, progress=False)
    other = D.PairedSR(items, 8, cache=True, cache_dir=tmp_path/'elsewhere', progress=False)  # cache_dir moves the cache
    assert other.store.folder == tmp_path/'elsewhere'/'fives' and other[0][1].max() == 0


def test_volume_cache_matches(roots, tmp_path):
    ds = D.brats(roots['brats'], 'all')
    plain = D.PairedSR(ds, 4, in_slices=3, noise_sigma=0.01)
    cached = D.PairedSR(D.brats(roots['brats'], 'all'), 4, in_slices=3, noise_sigma=0.01, cache=True, cache_dir=tmp_path, progress=False)
    for i in (0, 4, len(ds) - 1): assert all(torch.equal(a, b) for a, b in zip(plain[i], cached[i]))
    assert len(list((tmp_path/'brats'/'lr-x4').iterdir())) == len(ds) and any((tmp_path/'brats'/'volumes').iterdir())


def test_cached_pairs_in_workers(roots, tmp_path):
    "The cache and make_loader's batch-of-one view work the same in DataLoader workers."
    ds = D.PairedSR(D.brats(roots['brats'], 'train'), 4, patch=32, noise_sigma=0.01, cache=True, cache_dir=tmp_path, progress=False)
    for bs in (1, 4):
        a, b = ([[t.clone() for t in x] for x in D.make_loader(ds, bs, seed=1, epoch=2, num_workers=w)] for w in (0, 2))
        assert len(a) == len(b) > 0 and all(torch.equal(u, v) for x, y in zip(a, b) for u, v in zip(x, y))
        assert a[0][0].shape == (bs, 1, 8, 8)


def test_rdst_paper_data_decodes_each_volume_once(roots, tmp_path):
    "RDST's paper datasets read volumes through memory-mapped copies in the dataset's declared cache, and write nothing else there."
    from trustsr.rdst import rdst_data
    root = Path(shutil.copytree(roots['acdc'], tmp_path/'acdc'))
    before = set(root.rglob('*'))
    d = rdst_data('acdc', root, n_test=1, patch=32)
    d.test[0], d.train[0]
    assert len(list(D.volume_cache(root, 'acdc').glob('*.npy'))) >= 2  # an image and its mask, at least
    assert {p for p in root.rglob('*') if D.CACHE_FOLDER not in p.relative_to(root).parts} == before
