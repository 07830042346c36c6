"""ACDC: cine-MR of 150 patients with right ventricle, myocardium and left ventricle labels, prepared for trustsr.

ACDC needs registration, so it cannot be downloaded automatically: download the database from
https://humanheart-project.creatis.insa-lyon.fr/database/#collection/637218c173e9f0047faa00fb and pass the archive(s)
with --archive (zip or tar), or unpack it into ROOT and run with --no_download. Licence: ACDC terms (research use,
cite Bernard et al. 2018).

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/acdc.py --root data/acdc [--archive FILE ...] [--no_download] [--force]

Then, in Python: `from trustsr.data import acdc; ds = acdc('data/acdc', split='train')`.
"""
from fastcore.script import Param, call_parse

from trustsr.data import prepare


@call_parse
def main(root:str='data/acdc', # dataset folder (downloads go to ROOT/downloads)
         archive:Param("archive(s) you downloaded yourself (no download then)", str, nargs='*')=None,
         no_download:bool=False, # only extract and check what is already in ROOT
         force:bool=False, # check every file again even if ROOT/manifest.json exists
        ):
    m = prepare('acdc', root, archives=archive, download=not no_download, force=force)
    print(f"{m['dataset']}: {m['items']} items, {len(m['skipped'])} file(s) skipped (listed in {root}/manifest.json)")
