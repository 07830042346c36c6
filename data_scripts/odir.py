"""ODIR-5K: fundus photographs of both eyes of 5,000 patients with 8 diagnosis classes, prepared for trustsr.

Downloads the Kaggle dataset `andrewmvd/ocular-disease-recognition-odir5k` (Kaggle API credentials needed):
full_df.csv and preprocessed_images/ (512 × 512). Licence: ODIR-5K terms, see the Kaggle page.

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/odir.py --root data/odir [--archive FILE ...] [--no_download] [--force]

Then, in Python: `from trustsr.data import odir; ds = odir('data/odir', split='train')`.
"""
from fastcore.script import Param, call_parse

from trustsr.data import prepare


@call_parse
def main(root:str='data/odir', # dataset folder (downloads go to ROOT/downloads)
         archive:Param("archive(s) you downloaded yourself (no download then)", str, nargs='*')=None,
         no_download:bool=False, # only extract and check what is already in ROOT
         force:bool=False, # check every file again even if ROOT/manifest.json exists
        ):
    m = prepare('odir', root, archives=archive, download=not no_download, force=force)
    print(f"{m['dataset']}: {m['items']} items, {len(m['skipped'])} file(s) skipped (listed in {root}/manifest.json)")
