"""Where the sites are published, as the one digest the keys of each KIM's model and plan hold
(kimsite.base.urls.Urls.places): equal for the same places, different when any part differs."""

from __future__ import annotations

import pytest

from kimsite.base.urls import Urls

PREFIXES = tuple((f"kim-{n:03d}", f"kim-{n:03d}/") for n in range(136))
BASE = ("https://kab.example.id/", "/", PREFIXES, "Asia/Jakarta")


def test_the_same_places_give_the_same_digest():
    assert Urls(*BASE).places == Urls(*BASE).places == Urls(BASE[0], BASE[1], tuple(PREFIXES), BASE[3]).places


@pytest.mark.parametrize("changed", [
    ("https://kab.example.id/portal/", "/portal/", PREFIXES, "Asia/Jakarta"),
    ("https://other.example.id/", "/", PREFIXES, "Asia/Jakarta"),
    ("https://kab.example.id/", "/", PREFIXES[:-1], "Asia/Jakarta"),
    ("https://kab.example.id/", "/", PREFIXES[:70] + (("kim-070", ""),) + PREFIXES[71:], "Asia/Jakarta"),
    ("https://kab.example.id/", "/", PREFIXES[1:] + PREFIXES[:1], "Asia/Jakarta"),
    ("https://kab.example.id/", "/", PREFIXES, "Asia/Makassar"),
], ids=["base path", "host", "a KIM fewer", "one prefix", "order", "timezone"])
def test_any_other_place_gives_another_digest(changed: tuple):
    assert Urls(*changed).places != Urls(*BASE).places


def test_the_digest_is_not_shown_nor_compared():
    urls = Urls(*BASE)
    assert "places" not in repr(urls) and urls == Urls(*BASE)
