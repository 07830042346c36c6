"""LUNA16: 888 chest CTs (MetaImage .mhd/.raw, HU) with lung masks, prepared for trustsr.

Downloads from the official Zenodo records 3723295 (subsets 0-6, lung masks, annotations) and 4121926 (subsets
7-9), about 120 GB in all; --subsets 0 1 fetches only those subsets (plus the lung masks and annotations). Downloads
resume where they stopped. Licence: LIDC-IDRI terms (CC BY 3.0).

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/luna16.py --root data/luna16 [--subsets ...] [--archive FILE ...] [--no_download] [--force]

Then, in Python: `from trustsr.data import luna16; ds = luna16('data/luna16', split='train')`.
"""
from fastcore.script import Param, call_parse

from trustsr.data import prepare


@call_parse
def main(root:str='data/luna16', # dataset folder (downloads go to ROOT/downloads)
         archive:Param("archive(s) you downloaded yourself (no download then)", str, nargs='*')=None,
         subsets:Param("LUNA16 subsets to fetch (0-9; default all)", int, nargs='*')=None,
         no_download:bool=False, # only extract and check what is already in ROOT
         force:bool=False, # check every file again even if ROOT/manifest.json exists
        ):
    only = None if subsets is None else [f'subset{i}.zip' for i in subsets] + ['seg-lungs-LUNA16.zip', 'annotations.csv']
    m = prepare('luna16', root, archives=archive, download=not no_download, force=force, only=only)
    print(f"{m['dataset']}: {m['items']} items, {len(m['skipped'])} file(s) skipped (listed in {root}/manifest.json)")
