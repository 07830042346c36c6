"""COVID-19 CT Lung and Infection Segmentation: 20 CTs with left lung, right lung and infection labels, prepared for trustsr.

Downloads COVID-19-CT-Seg_20cases.zip and Lung_and_Infection_Mask.zip from the official Zenodo record 3757476
(about 1 GB). Licence: CC BY 4.0 (Ma et al. 2020).

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/covid_ct.py --root data/covid_ct [--archive FILE ...] [--no_download] [--force]

Then, in Python: `from trustsr.data import covid_ct; ds = covid_ct('data/covid_ct', split='train')`.
"""
from fastcore.script import Param, call_parse

from trustsr.data import prepare


@call_parse
def main(root:str='data/covid_ct', # dataset folder (downloads go to ROOT/downloads)
         archive:Param("archive(s) you downloaded yourself (no download then)", str, nargs='*')=None,
         no_download:bool=False, # only extract and check what is already in ROOT
         force:bool=False, # check every file again even if ROOT/manifest.json exists
        ):
    m = prepare('covid_ct', root, archives=archive, download=not no_download, force=force)
    print(f"{m['dataset']}: {m['items']} items, {len(m['skipped'])} file(s) skipped (listed in {root}/manifest.json)")
