"""FIVES: 800 fundus photographs (2048 × 2048) with vessel masks and classes A, D, G, N, prepared for trustsr.

Downloads the Kaggle copy `nikitamanaenkov/fundus-image-dataset-for-vessel-segmentation` (Kaggle API credentials
needed), extracts it safely, checks every image and mask, and writes ROOT/manifest.json. The official release
(figshare DOI 10.6084/m9.figshare.19688169) is a RAR5 archive, which trustsr does not unpack: unpack it into ROOT
yourself and run with --no-download. Licence: CC BY 4.0 (Jin et al. 2022).

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/fives.py --root data/fives [--archive FILE ...] [--no-download] [--force]

Then, in Python: `from trustsr.data import fives; ds = fives('data/fives', split='train')`.
"""
import sys

from trustsr.cli import prepare_script

if __name__ == '__main__': sys.exit(prepare_script('fives', __doc__))
