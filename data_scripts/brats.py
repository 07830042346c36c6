"""BraTS2021 Task 1: 1,251 brain MR cases (FLAIR, T1, T1ce, T2) with tumour labels, prepared for trustsr.

Downloads the Kaggle copy `dschettler8845/brats-2021-task1` (Kaggle API credentials needed; a zip holding
BraTS2021_Training_Data.tar, which is unpacked too). The official data (Synapse syn27046444, registration required):
download BraTS2021_Training_Data.tar yourself and pass it with --archive. Licence: BraTS 2021 data use terms.

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/brats.py --root data/brats [--archive FILE ...] [--no-download] [--force]

Then, in Python: `from trustsr.data import brats; ds = brats('data/brats', split='train', modalities=('flair',))`.
"""
import sys

from trustsr.cli import prepare_script

if __name__ == '__main__': sys.exit(prepare_script('brats', __doc__))
