"""ODIR-5K: fundus photographs of both eyes of 5,000 patients with 8 diagnosis classes, prepared for trustsr.

Downloads the Kaggle dataset `andrewmvd/ocular-disease-recognition-odir5k` (Kaggle API credentials needed):
full_df.csv and preprocessed_images/ (512 × 512). Licence: ODIR-5K terms, see the Kaggle page.

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/odir.py --root data/odir [--archive FILE ...] [--no-download] [--force]

Then, in Python: `from trustsr.data import odir; ds = odir('data/odir', split='train')`.
"""
import sys

from trustsr.cli import prepare_script

if __name__ == '__main__': sys.exit(prepare_script('odir', __doc__))
