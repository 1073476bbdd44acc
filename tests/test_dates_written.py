"""Dates as volunteers write them: without a time (shown without one), in Indonesian words
("3 Desember 2026", "3 Des 2026"), and the ambiguous 12/03/2026 (an error giving both readings)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest

from kimsite.base.dates import DateError, DateOnly, parse_datetime, zone
from test_written_elsewhere import agree, check, found, workspace

JAKARTA = zone("Asia/Jakarta")
FILE = "content/uji/rapat.md"


def article(date: str, extra: str = "") -> str:
    return f"---\ntitle: Rapat Warga\ndate: {date}\n{extra}---\nIsi rapat.\n"


def built_page(root) -> str:
    return (root / "_site/uji/2026/12/rapat/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("written", ["2026-12-03", "3 Desember 2026", "3 Des 2026", "Kamis, 3 Desember 2026",
                                     "3 desember 2026", "3 Des. 2026", "3 December 2026"])
def test_date_without_time_shows_no_time(make_workspace, written):
    root = workspace(make_workspace, {FILE: article(written)})
    code, problems, _ = agree(root)
    assert (code, problems) == (0, [])
    page = built_page(root)
    assert '<time datetime="2026-12-03T00:00:00+07:00">Kamis, 3 Desember 2026</time>' in page
    assert "00.00" not in page
    # the feeds still carry a full, valid timestamp
    rss = ET.parse(root / "_site/uji/feed.xml").getroot()
    stamp = parsedate_to_datetime(rss.find("channel/item/pubDate").text)
    assert stamp.isoformat() == "2026-12-03T00:00:00+07:00"
    atom = (root / "_site/uji/atom.xml").read_text(encoding="utf-8")
    assert "<published>2026-12-03T00:00:00+07:00</published>" in atom


@pytest.mark.parametrize("written, shown", [
    ("2026-12-03 10:05", "Kamis, 3 Desember 2026 10.05 WIB"),
    ("3 Desember 2026 pukul 10.05 WIB", "Kamis, 3 Desember 2026 10.05 WIB"),
    ("3 Des 2026 00:00", "Kamis, 3 Desember 2026 00.00 WIB"),  # a midnight written is shown
])
def test_date_with_time_shows_it(make_workspace, written, shown):
    root = workspace(make_workspace, {FILE: article(written)})
    assert agree(root)[0] == 0
    assert f">{shown}</time>" in built_page(root)


def test_english_site_shows_date_only_too(make_workspace):
    root = workspace(make_workspace, {FILE: article("3 Desember 2026"), "kimsite.yaml":
                                      "base_url: https://example.github.io/repo/\nlanguage: en\n"
                                      "timezone: Asia/Jakarta\n"})
    assert agree(root)[0] == 0
    assert ">Thursday, 3 December 2026</time>" in built_page(root)


def test_slashed_date_is_an_error_with_both_readings(make_workspace):
    root = workspace(make_workspace, {FILE: article("12/03/2026", "tags: [a]\nbogus: 1\n")})
    code, problems, output = agree(root)
    assert code == 1
    assert ("error", FILE, 3, "date_ambiguous") in found(problems)
    assert ("warning", FILE, 5, "field_unknown") in found(problems)  # the other problems stay
    assert ('date: "12/03/2026" dapat dibaca 12 Maret 2026 atau 3 Desember 2026: tulis 2026-03-12 untuk '
            "12 Maret 2026, atau 2026-12-03 untuk 3 Desember 2026") in output
    _, english = check(root, "en")
    assert "can be read as 12 Maret 2026 or 3 Desember 2026" in english[0]["message"]


def test_slashed_date_with_one_reading(make_workspace):
    root = workspace(make_workspace, {FILE: article("25-12-2026")})
    code, problems, output = agree(root)
    assert code == 1 and found(problems) == {("error", FILE, 3, "date_numeric")}
    assert 'tulis "25-12-2026" (25 Desember 2026) sebagai 2026-12-25' in output


@pytest.mark.parametrize("written", ["31/02/2026", "3 Foo 2026", "32 Desember 2026", "3 Desember", "Desember 2026"])
def test_impossible_written_dates(written):
    with pytest.raises(DateError) as caught:
        parse_datetime(written, JAKARTA)
    assert caught.value.code == "date_invalid"


def test_event_start_without_time_keeps_its_time():
    """Only publication dates are shown without a time: an event's start is a moment."""
    moment = parse_datetime("2026-12-03", JAKARTA)
    assert isinstance(moment, DateOnly)
    from kimsite.base.dates import as_datetime
    assert type(as_datetime(moment)) is not DateOnly and as_datetime(moment) == moment


def test_date_in_another_zone_keeps_its_time(make_workspace):
    """A date written in WITA on a WIB site is 23.00 the day before: shown with that time."""
    root = workspace(make_workspace, {FILE: article("2026-12-04 WITA")})
    assert agree(root)[0] == 0
    assert ">Kamis, 3 Desember 2026 23.00 WIB</time>" in built_page(root)
    assert isinstance(parse_datetime("2026-12-04", JAKARTA).astimezone(zone("Asia/Pontianak")), DateOnly)
