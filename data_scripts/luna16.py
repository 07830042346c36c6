"""LUNA16: 888 chest CTs (MetaImage .mhd/.raw, HU) with lung masks, prepared for trustsr.

Downloads from the official Zenodo records 3723295 (subsets 0-6, lung masks, annotations) and 4121926 (subsets
7-9), about 120 GB in all; --subsets 0 1 fetches only those subsets (plus the lung masks and annotations). Downloads
resume where they stopped. Licence: LIDC-IDRI terms (CC BY 3.0).

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/luna16.py --root data/luna16 [--subsets ...] [--archive FILE ...] [--no-download] [--force]

Then, in Python: `from trustsr.data import luna16; ds = luna16('data/luna16', split='train')`.
"""
import sys

from trustsr.cli import prepare_script

if __name__ == '__main__': sys.exit(prepare_script('luna16', __doc__))
