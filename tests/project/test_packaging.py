"""What ships: every package in the wheel's list, resources inside it, one version everywhere."""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import newsdesk
from newsdesk.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
APP_ID = "org.newsdesk.Newsdesk"
METAINFO = ROOT / "packaging" / f"{APP_ID}.metainfo.xml"


def source_packages() -> set[str]:
    package = ROOT / "desktop" / "newsdesk"
    return {
        ".".join(("newsdesk", *init.parent.relative_to(package).parts))
        for init in package.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


def test_every_package_under_desktop_is_in_the_wheel_list():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    missing = source_packages() - listed
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_the_wheel_list_names_only_real_packages():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert "newsdesk.resources" in listed
    assert (ROOT / "resources" / "__init__.py").exists()
    assert listed - {"newsdesk.resources"} <= source_packages()


def changelog_releases() -> list[tuple[str, str]]:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})$", text, flags=re.M)


def metainfo_releases() -> list[tuple[str, str]]:
    releases = ET.parse(METAINFO).getroot().find("releases")
    assert releases is not None
    return [(r.get("version", ""), r.get("date", "")) for r in releases.findall("release")]


def test_one_version_in_pyproject_package_changelog_and_metainfo():
    version = PYPROJECT["project"]["version"]
    assert newsdesk.__version__ == version
    assert changelog_releases(), "CHANGELOG.md has no '## [x.y.z] - YYYY-MM-DD' release"
    assert changelog_releases()[0][0] == version, "the newest CHANGELOG entry is not the version"
    assert metainfo_releases()[0][0] == version, "the metainfo's newest <release> is not it"


def test_changelog_and_metainfo_list_the_same_releases_newest_first():
    releases = changelog_releases()
    assert releases == metainfo_releases()
    assert [date for _v, date in releases] == sorted((d for _v, d in releases), reverse=True)


def test_version_flag_prints_the_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"newsdesk {newsdesk.__version__}"


def test_desktop_entry_metainfo_and_icons_use_one_app_id():
    desktop = (ROOT / "packaging" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert f"Icon={APP_ID}\n" in desktop
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert f'APP_ID = "{APP_ID}"' in (ROOT / "packaging" / "make_icons.py").read_text()
    assert (ROOT / "resources" / "icons" / "newsdesk.svg").is_file()


def test_package_data_takes_every_resource_file():
    # packaging/build.sh builds the real wheel and runs it away from the source tree; this
    # is the quick check that the package-data globs cover what resources/ holds.
    resources = ROOT / "resources"
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["newsdesk.resources"]
    covered = {p for pattern in patterns for p in resources.glob(pattern) if p.is_file()}
    files = {
        p for p in resources.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert files, "resources/ holds no data files"
    assert not files - covered, f"not in package-data: {sorted(files - covered)}"
    assert {"rules.yaml", "newsdesk.svg"} <= {p.name for p in files}
