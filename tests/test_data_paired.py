"PairedSR and make_loader across DataLoader workers: the same (seed, epoch) gives the same batches with 0 or 2 workers."

import pytest
import torch

from trustsr.data import PairedSR, make_loader, sample


def avg_pair(hr, scale, noise_sigma=0., seed=None):
    "Stand-in with trustsr.degrade.make_pair's signature: block averaging plus seeded noise."
    hr = hr[..., :hr.shape[-2] // scale * scale, :hr.shape[-1] // scale * scale]
    lr = torch.nn.functional.avg_pool2d(hr, scale)
    if noise_sigma: lr = lr + noise_sigma * torch.randn(lr.shape, generator=torch.Generator().manual_seed(seed))
    return lr, hr


def batches(ds, workers, epoch, seed=7):
    return [tuple(t.clone() for t in b) for b in make_loader(ds, 4, seed=seed, epoch=epoch, num_workers=workers)]


@pytest.mark.parametrize('name', ['fundus', 'brain'])
def test_workers_do_not_change_batches(name):
    ds = PairedSR(sample(name), 4, patch=32, noise_sigma=0.01, seed=3, degrade=avg_pair)
    for epoch in (0, 1):
        a, b = batches(ds, 0, epoch), batches(ds, 2, epoch)
        assert len(a) == len(b) > 0
        for x, y in zip(a, b):
            assert all(torch.equal(u, v) for u, v in zip(x, y))
    # set_epoch reaches the workers: epoch 1 differs from epoch 0 in both settings
    assert not torch.equal(batches(ds, 2, 0)[0][1], batches(ds, 2, 1)[0][1])


def test_resume_mid_run_gives_the_same_epoch():
    "A trainer resuming at epoch 5 (fresh dataset object, same seed) sees exactly the batches of an uninterrupted run."
    run = PairedSR(sample('fundus'), 4, patch=32, seed=11, degrade=avg_pair)
    for e in range(5): batches(run, 0, e)
    fresh = PairedSR(sample('fundus'), 4, patch=32, seed=11, degrade=avg_pair)
    for x, y in zip(batches(run, 0, 5), batches(fresh, 0, 5)):
        assert all(torch.equal(u, v) for u, v in zip(x, y))


def test_test_mode_noise_is_fixed_per_image():
    ds = PairedSR(sample('ct', 'test'), 2, noise_sigma=0.05, degrade=avg_pair)
    lr1, hr1 = ds[0]; ds.set_epoch(9); lr2, hr2 = ds[0]
    assert torch.equal(lr1, lr2) and torch.equal(hr1, hr2)
    assert not torch.equal(lr1, PairedSR(sample('ct', 'test'), 2, noise_sigma=0.05, seed=1, degrade=avg_pair)[0][0])


def test_pin_memory_flag():
    dl = make_loader(PairedSR(sample('mr'), 2, patch=16, degrade=avg_pair), 2, num_workers=0, pin_memory=False)
    assert dl.pin_memory is False and dl.drop_last is True
    assert make_loader(sample('mr'), 2, shuffle=False, num_workers=0).drop_last is False


def test_with_trustsr_degrade():
    from trustsr.degrade import make_pair
    ds = PairedSR(sample('brain'), 4, patch=32, augment=False, seed=0)
    lr, hr = ds[0]
    assert lr.shape == (1, 8, 8) and hr.shape == (1, 32, 32)
    torch.testing.assert_close(lr, make_pair(hr[None], 4)[0][0])
    full = PairedSR(sample('fundus', 'test'), 8, noise_sigma=0.01)
    lr, hr = full[0]
    assert lr.shape == (3, 16, 16) and hr.shape == (3, 128, 128)
    assert torch.equal(lr, full[0][0])
