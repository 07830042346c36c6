"""OASIS-1 cross-sectional: T1 brain MR of 416 subjects with GM/WM/CSF labels, prepared for trustsr.

Downloads the official discs (https://download.nrg.wustl.edu/data/oasis_cross-sectional_discN.tar.gz, 12 discs,
about 16 GB in all); --discs 1 2 fetches only those. Accept the OASIS data use agreement (https://www.oasis-brains.org)
first.

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/oasis.py --root data/oasis [--discs ...] [--archive FILE ...] [--no_download] [--force]

Then, in Python: `from trustsr.data import oasis; ds = oasis('data/oasis', split='train')`.
"""
from fastcore.script import Param, call_parse

from trustsr.data import prepare


@call_parse
def main(root:str='data/oasis', # dataset folder (downloads go to ROOT/downloads)
         archive:Param("archive(s) you downloaded yourself (no download then)", str, nargs='*')=None,
         discs:Param("OASIS discs to fetch (1-12; default all)", int, nargs='*')=None,
         no_download:bool=False, # only extract and check what is already in ROOT
         force:bool=False, # check every file again even if ROOT/manifest.json exists
        ):
    only = None if discs is None else [f'oasis_cross-sectional_disc{i}.tar.gz' for i in discs]
    m = prepare('oasis', root, archives=archive, download=not no_download, force=force, only=only)
    print(f"{m['dataset']}: {m['items']} items, {len(m['skipped'])} file(s) skipped (listed in {root}/manifest.json)")
