"""COVID-19 CT Lung and Infection Segmentation: 20 CTs with left lung, right lung and infection labels, prepared for trustsr.

Downloads COVID-19-CT-Seg_20cases.zip and Lung_and_Infection_Mask.zip from the official Zenodo record 3757476
(about 1 GB). Licence: CC BY 4.0 (Ma et al. 2020).

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/covid_ct.py --root data/covid_ct [--archive FILE ...] [--no-download] [--force]

Then, in Python: `from trustsr.data import covid_ct; ds = covid_ct('data/covid_ct', split='train')`.
"""
import sys

from trustsr.cli import prepare_script

if __name__ == '__main__': sys.exit(prepare_script('covid_ct', __doc__))
