"""iCalendar (.ics) files for agenda events, written with the `icalendar` package.

Times are written in the workspace timezone (DTSTART;TZID=Asia/Jakarta:...) with
its VTIMEZONE definition, or in UTC when the workspace uses UTC. Nothing comes
from the clock: DTSTAMP is the article's own date, and the UID is the event's
permalink, so two builds write the same bytes and a calendar that imported an
event recognizes it again when it changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import Any

from kimsite import __version__
from kimsite.base.dates import zone

PRODID = f"-//kimsite//kimsite {__version__}//ID"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str  # the event's absolute permalink
    summary: str
    start: datetime  # aware
    end: datetime | None  # aware; None for an event with only a start time
    location: str
    url: str
    description: str
    stamp: datetime  # aware: when the event was published or last updated
    categories: tuple[str, ...] = ()


def _in_zone(moment: datetime, tz: tzinfo) -> datetime:
    return moment.astimezone(tz)


def build_calendar(name: str, events: list[CalendarEvent], timezone_name: str,
                   description: str = "") -> bytes:
    """One VCALENDAR holding `events` (in the order given)."""
    from icalendar import Calendar, Event

    tz = zone(timezone_name)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    if tz is not timezone.utc:
        calendar.add("x-wr-timezone", timezone_name)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp.astimezone(timezone.utc))
        event.add("summary", item.summary)
        event.add("dtstart", _in_zone(item.start, tz))
        if item.end is not None:
            event.add("dtend", _in_zone(item.end, tz))
        if item.location:
            event.add("location", item.location)
        event.add("url", item.url)
        if item.description:
            event.add("description", item.description)
        if item.categories:
            event.add("categories", list(item.categories))
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    if tz is not timezone.utc and events:
        _add_missing_timezones(calendar)
    return calendar.to_ical()


# VTIMEZONE components by zone name, made once per process (see _add_missing_timezones).
_TIMEZONES: dict[str, Any] = {}


def _add_missing_timezones(calendar: Any) -> None:
    """What `calendar.add_missing_timezones()` does, with each zone's VTIMEZONE made once per
    process instead of once per calendar: icalendar works one out by asking the zone for its
    offset over 68 years (about 25 ms for Asia/Jakarta), and an agenda item's own .ics, its
    KIM's calendar and the portal's each need the same one."""
    from icalendar import Timezone

    position = len(calendar.timezones)
    for tzid in calendar.get_missing_tzids():
        if tzid not in _TIMEZONES:
            try:
                _TIMEZONES[tzid] = Timezone.from_tzid(tzid, first_date=Timezone.DEFAULT_FIRST_DATE,
                                                      last_date=Timezone.DEFAULT_LAST_DATE)
            except ValueError:  # a zone icalendar does not know is left out, as icalendar does
                _TIMEZONES[tzid] = None
        if _TIMEZONES[tzid] is not None:
            calendar.subcomponents.insert(position, _TIMEZONES[tzid])
            position += 1
