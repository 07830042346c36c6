"""OASIS-1 cross-sectional: T1 brain MR of 416 subjects with GM/WM/CSF labels, prepared for trustsr.

Downloads the official discs (https://download.nrg.wustl.edu/data/oasis_cross-sectional_discN.tar.gz, 12 discs,
about 16 GB in all); --discs 1 2 fetches only those. Accept the OASIS data use agreement (https://www.oasis-brains.org)
first.

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/oasis.py --root data/oasis [--discs ...] [--archive FILE ...] [--no-download] [--force]

Then, in Python: `from trustsr.data import oasis; ds = oasis('data/oasis', split='train')`.
"""
import sys

from trustsr.cli import prepare_script

if __name__ == '__main__': sys.exit(prepare_script('oasis', __doc__))
