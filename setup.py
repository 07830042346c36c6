from configparser import ConfigParser
from pathlib import Path
import setuptools, shlex, shutil
from setuptools.command.build_py import build_py

# note: all settings are in settings.ini; edit there, not here
config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

cfg_keys = 'version description keywords author author_email'.split()
expected = cfg_keys + "lib_name user branch license status min_python audience language".split()
for o in expected: assert o in cfg, "missing expected setting: {}".format(o)
setup_cfg = {o:cfg[o] for o in cfg_keys}

licenses = {
    'apache2': ('Apache Software License 2.0','OSI Approved :: Apache Software License'),
    'mit': ('MIT License', 'OSI Approved :: MIT License'),
}
statuses = [ '1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive' ]
py_versions = '3.10 3.11 3.12 3.13'.split()

requirements = shlex.split(cfg.get('requirements', ''))
extras = {'dev': shlex.split(cfg.get('dev_requirements', '')),
          'data': shlex.split(cfg.get('data_requirements', '')),        # kaggle downloads in data_scripts/
          'dicom-data': shlex.split(cfg.get('dicom_requirements', ''))}  # larger real CT/MR test images

class build_py_with_templates(build_py):
    "Also copy the experiment templates (nbs/experiments/*.ipynb) into the package as trustsr/experiments/."
    def run(self):
        super().run()
        src = Path(cfg['nbs_path'])/'experiments'
        if self.dry_run or getattr(self, 'editable_mode', False) or not src.is_dir(): return  # editable: the clone's own
        dst = Path(self.build_lib)/cfg['lib_path']/'experiments'
        dst.mkdir(parents=True, exist_ok=True)
        for f in sorted(src.glob('*.ipynb')): shutil.copy2(f, dst/f.name)

lic = licenses[cfg['license']]
min_python = cfg['min_python']

setuptools.setup(
    name = cfg['lib_name'],
    license = lic[0],
    classifiers = [
        'Development Status :: ' + statuses[int(cfg['status'])],
        'Intended Audience :: ' + cfg['audience'].title(),
        'Natural Language :: ' + cfg['language'].title(),
    ] + ['Programming Language :: Python :: '+o for o in py_versions[py_versions.index(min_python):]] + (['License :: ' + lic[1] ] if lic[1] else []),
    url = cfg['git_url'],
    packages = setuptools.find_packages(include=['trustsr', 'trustsr.*']),
    include_package_data = True,
    install_requires = requirements,
    extras_require = extras,
    dependency_links = cfg.get('dep_links','').split(),
    python_requires  = '>=' + cfg['min_python'],
    long_description = open('README.md', encoding='utf-8').read(),
    long_description_content_type = 'text/markdown',
    zip_safe = False,
    cmdclass = {'build_py': build_py_with_templates},  # templates ship in the wheel: trustsr-reproduce runs from any folder
    entry_points = {
        'console_scripts': cfg.get('console_scripts','').split(),
        'nbdev': [f'{cfg.get("lib_path")}={cfg.get("lib_path")}._modidx:d']
    },
    **setup_cfg)
