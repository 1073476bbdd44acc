"""Addresses have one home (kimsite.base.urls): every folder it puts under a KIM is reserved
against static pages, and the article-type sections use its folders."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from kimsite.base.urls import GENERATED_FOLDERS, SECTION_FOLDERS, Urls
from kimsite.model.assemble import RESERVED_PAGE_SLUGS
from kimsite.schema.article_types import SECTIONS

URLS = Urls("https://contoh.github.io/kim/", "/kim/", (("kim-a", "kim-a/"),), "Asia/Jakarta")
WHEN = datetime(2025, 3, 9, 8, 0, tzinfo=timezone.utc)


def _first_folder(location: str) -> str:
    return location.removeprefix("kim-a/").split("/")[0]


def test_every_folder_the_addresses_use_is_reserved_for_static_pages():
    locations = [URLS.home("kim-a", 2), URLS.category("kim-a", "x"), URLS.tag("kim-a", "x", 3), URLS.archive("kim-a", 2025),
                 URLS.profile("kim-a"), URLS.media("kim-a", "media/a.jpg"), URLS.search("kim-a"),
                 URLS.calendar("kim-a"), URLS.event_calendar("kim-a", WHEN, "rapat"),
                 *(URLS.section("kim-a", folder, 2) for folder in SECTION_FOLDERS.values()),
                 *(URLS.section_feed("kim-a", folder, "atom") for folder in SECTION_FOLDERS.values())]
    for location in locations:
        folder = _first_folder(location)
        if "/" not in location.removeprefix("kim-a/"):  # a file beside the KIM's pages: agenda.ics
            continue
        assert folder in RESERVED_PAGE_SLUGS, location
    assert GENERATED_FOLDERS <= RESERVED_PAGE_SLUGS
    assert re.fullmatch(r"\d{4}", _first_folder(URLS.article("kim-a", WHEN, "rapat")))  # years: refused as slugs


def test_the_sections_are_the_addresses_folders():
    assert {kind: folder for kind, folder, _key in SECTIONS} == SECTION_FOLDERS


def test_the_portal_sections_sit_at_the_published_root():
    assert URLS.section("", SECTION_FOLDERS["agenda"]) == "agenda/"
    assert URLS.calendar("") == "agenda.ics" and URLS.search(None) == "cari/"
    assert URLS.event_calendar("kim-a", WHEN, "rapat") == "kim-a/agenda/2025-03-rapat.ics"
