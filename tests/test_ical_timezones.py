"""An agenda's calendars carry the zone's VTIMEZONE: made once per process, byte for byte what
icalendar's own add_missing_timezones() writes, in every calendar that needs it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kimsite.pages import ical
from kimsite.pages.ical import CalendarEvent, build_calendar


def _events(zone: str, count: int = 2) -> list[CalendarEvent]:
    start = datetime(2026, 8, 8, 9, 0, tzinfo=ZoneInfo(zone))
    return [CalendarEvent(uid=f"acara-{n}@contoh", summary=f"Musyawarah {n}", start=start + timedelta(days=n),
                          end=start + timedelta(days=n, hours=2), location="Balai Desa", url=f"https://contoh.id/{n}/",
                          description="", stamp=start) for n in range(count)]


def _with_icalendars_own_method(monkeypatch, zone: str) -> bytes:
    monkeypatch.setattr(ical, "_add_missing_timezones", lambda calendar: calendar.add_missing_timezones())
    return build_calendar("Agenda", _events(zone), zone)


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Europe/Berlin"])
def test_each_calendar_carries_the_same_timezone_icalendar_would_write(monkeypatch, zone: str):
    ical._TIMEZONES.clear()
    first = build_calendar("Agenda", _events(zone), zone)
    second = build_calendar("Agenda", _events(zone), zone)  # from the zone made for the first
    assert list(ical._TIMEZONES) == [zone]
    expected = _with_icalendars_own_method(monkeypatch, zone)
    assert first == second == expected
    assert first.count(b"BEGIN:VTIMEZONE") == 1 and f"TZID:{zone}".encode() in first


def test_utc_and_empty_calendars_need_no_timezone():
    assert b"VTIMEZONE" not in build_calendar("Agenda", _events("UTC"), "UTC")
    assert b"VTIMEZONE" not in build_calendar("Agenda", [], "Asia/Jakarta")
