"""The environment the book is built and tested in (`.venv`, which runs these tests) is exactly
requirements.txt: no package more (JupyterLab's live in `.venv-lab`), none missing, no other
version."""

from __future__ import annotations

import pytest

from cstoreport.machinery import environment
from cstoreport.paths import ROOT


def test_the_test_environment_is_exactly_requirements_txt():
    pins = environment.pinned(ROOT / "requirements.txt")
    problems = environment.differences(pins, environment.installed())
    assert problems == [], "\n".join([*problems, "Recreate it: rm -rf .venv && make venv"])


def fake_distribution(site, name, version):
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def test_an_extra_a_missing_or_another_version_is_found(tmp_path):
    (tmp_path / "requirements.txt").write_text(
        "# a comment\nJinja2==3.1.6\nsix==1.17.0  # why\npandas==3.0.0\n"
    )
    pins = environment.pinned(tmp_path / "requirements.txt")
    assert pins == {"jinja2": "3.1.6", "six": "1.17.0", "pandas": "3.0.0"}
    site = tmp_path / "site-packages"
    for name, version in [
        ("jinja2", "3.1.6"),
        ("six", "1.16.0"),
        ("pip", "25.0"),
        ("rfc3987-syntax", "1.1.0"),
        ("Send2Trash", "2.2.0"),
    ]:
        fake_distribution(site, name, version)
    found = environment.installed([str(site)])
    assert environment.unpinned(pins, found) == ["rfc3987-syntax", "send2trash"]
    assert environment.differences(pins, found) == [
        "rfc3987-syntax==1.1.0 is installed but not pinned",
        "send2trash==2.2.0 is installed but not pinned",
        "six==1.16.0 is installed but six==1.17.0 is pinned",
        "pandas==3.0.0 is pinned but not installed",
    ]


def test_a_line_that_is_not_an_exact_pin_is_refused(tmp_path):
    (tmp_path / "requirements.txt").write_text("six==1.17.0\njinja2>=3\n")
    with pytest.raises(ValueError, match=r"requirements.txt, line 2: 'jinja2>=3'"):
        environment.pinned(tmp_path / "requirements.txt")


def test_the_package_s_version_is_the_report_s():
    """pyproject.toml's version (the package's) is CITATION.cff's (the report's)."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    cited = re.search(
        r'^version: "([^"]+)"', (ROOT / "CITATION.cff").read_text(encoding="utf-8"), re.M
    ).group(1)
    assert project["version"] == cited
