"""Package metadata read from settings.ini (the nbdev 2 convention)."""
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
c = cfg['DEFAULT']
setuptools.setup(
    name=c['lib_name'], version=c['version'], description=c['description'], license=c['license'],
    author=c['author'], author_email=c['author_email'], url=c['git_url'], python_requires=f">={c['min_python']}",
    packages=setuptools.find_packages(include=['latentnb', 'latentnb.*']),
    install_requires=c['requirements'].split(), extras_require={'dev': c['dev_requirements'].split(), 'lab': c['lab_requirements'].split()},
    entry_points={'console_scripts': c['console_scripts'].split(), 'nbdev': [f"{c['lib_name']}={c['lib_name']}._modidx:d"]},
    include_package_data=True, zip_safe=False)
