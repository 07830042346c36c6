"The RDST templates' plan mode: every network they would train, at the paper's sizes and steps, listed without data."
import json
from pathlib import Path

from trustsr.reproduce import run_one, templates_dir


def plan_jobs(name, tmp_path, **params):
    "Run template `name` in plan mode (paper profile, no dataset roots) and return its jobs.json by job name."
    rec = run_one(name, templates_dir()/f'{name}.ipynb', {'profile': 'paper', 'plan': True, 'seed': 0, 'device': 'cpu', **params},
                  profile='paper', root=tmp_path, progress=False)
    run = Path(rec['run'])
    assert rec['status'] == 'ok', (run/'error.txt').read_text() if (run/'error.txt').exists() else rec
    assert not list(run.rglob('*.pt')) and not list((run/'tables').glob('*')), 'plan mode trained or wrote tables'
    return {j['job']: j for j in json.loads((run/'jobs.json').read_text())}


def test_rdst_compare_plan(tmp_path):
    "Per dataset a U-Net, seven stage-1 and two stage-2 networks; on OASIS also Table 5's five others and Figure 8's variants."
    jobs = plan_jobs('rdst_compare', tmp_path, f8_window=[4, 8], f8_dim=[60], f8_layers=[2], f8_dstb=[3], f8_blocks=[4])
    assert len(jobs) == 4 * (1 + 7 + 2) + 5 + 2, sorted(jobs)  # Figure 8: the base and window 4
    j = jobs['oasis: RDST-E (L1)']
    assert (j['steps'], j['batch'], j['lr_shape']) == (100_000, 32, [32, 1, 24, 24])  # the paper's stage 1: 96² HR crops at ×4
    assert jobs['brats: RDST']['steps'] == 20_000 and jobs['brats: RDST']['lr_shape'][1] == 4  # stage 2; four modalities
    assert jobs['covid_ct: segmentation U-Net']['steps'] == 100 * -(-2816 // 8)  # 100 epochs over the published training slices
    assert jobs['oasis: RDST-E (window4)']['steps'] == 100_000 and jobs['oasis: RDST-E (window4)']['n_test'] == 9 * 145


def test_rdst_losses_plan(tmp_path):
    "On one dataset: Table 6's four rows, Table 9's RDN, Table 7's EDSR and RDST, and the U-Net; stage 1 is rdst_compare's."
    small = dict(main_dataset='acdc', t7_datasets=['acdc'], transfer_datasets=['acdc'], extend_archs=['rdn'], sota_archs=['edsr'],
                 t6_variants=['Baseline', 'L1', 'L_E(1)', 'L_HRL'])  # lists: papermill passes them as Python literals
    jobs = plan_jobs('rdst_losses', tmp_path, **small)
    # rdst_e, rdn: stage 1, L1, L_E(1), L_HRL (8); edsr: stage 1; rdst: stage 1, L_E(1), L_HRL; the ACDC U-Net
    assert len(jobs) == 8 + 1 + 3 + 1, sorted(jobs)
    assert jobs['acdc: rdst_e stage 1']['steps'] == 0 and jobs['acdc: rdst L_HRL']['steps'] == 20_000  # reused; stage 2
    assert jobs['acdc: segmentation U-Net']['lr_shape'] == [8, 1, 128, 128]  # whole 128² ACDC slices, batch 8
    again = plan_jobs('rdst_losses', tmp_path/'noreuse', reuse=False, **small)
    assert again['acdc: rdst_e stage 1']['steps'] == 100_000
