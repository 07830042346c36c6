"""ACDC: cine-MR of 150 patients with right ventricle, myocardium and left ventricle labels, prepared for trustsr.

ACDC needs registration, so it cannot be downloaded automatically: download the database from
https://humanheart-project.creatis.insa-lyon.fr/database/#collection/637218c173e9f0047faa00fb and pass the archive(s)
with --archive (zip or tar), or unpack it into ROOT and run with --no-download. Licence: ACDC terms (research use,
cite Bernard et al. 2018).

Every file is checked through trustsr's reader; unreadable ones are skipped and listed, with the reason, in
ROOT/manifest.json. Running the script again resumes an interrupted download, extraction or check.

    python data_scripts/acdc.py --root data/acdc [--archive FILE ...] [--no-download] [--force]

Then, in Python: `from trustsr.data import acdc; ds = acdc('data/acdc', split='train')`.
"""
import sys

from trustsr.cli import prepare_script

if __name__ == '__main__': sys.exit(prepare_script('acdc', __doc__))
