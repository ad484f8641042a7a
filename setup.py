"""Every package under qa/ is found by itself; the top-level data folders (the editable
copies in a checkout) ship inside the wheel as qa.* data packages."""

from setuptools import find_packages, setup

DATA_PACKAGES = {
    "qa.shipped_scorecards": "scorecards",
    "qa.report_templates": "reports",
    "qa.model_registry": "models",
}

setup(
    packages=find_packages(include=["qa", "qa.*"]) + sorted(DATA_PACKAGES),
    package_dir=DATA_PACKAGES,
)
