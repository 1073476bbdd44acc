"""Parsing front-matter dates and writing them the way Indonesian readers expect.

Month and day names come from Babel's locale data, read once; formatting is then
plain string work (fast enough for tens of thousands of pages).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MIN_YEAR, MAX_YEAR = 1945, 2100

_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|WIB|WITA|WIT)?$",
    re.IGNORECASE,
)
_ZONE_WORDS = {"WIB": 7, "WITA": 8, "WIT": 9}
_INDONESIAN_ZONES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
                     "Asia/Jayapura": "WIT"}


# "3 Desember 2026", "Kamis, 3 Des 2026 pukul 10.05 WIB" (also English month names).
_WRITTEN_DATE = re.compile(
    r"^(?:[A-Za-z']+,?\s+)?(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})"
    r"(?:,?\s+(?:pukul|jam|pkl\.?|at)?\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|WIB|WITA|WIT)?$",
    re.IGNORECASE,
)
# 12/03/2026, 12-03-2026, 12.03.2026: day first or month first cannot be told apart.
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s.*)?$")
_MONTHS = {name: number for number, names in enumerate((
    ("januari", "january", "jan"), ("februari", "february", "feb", "pebruari"), ("maret", "march", "mar"),
    ("april", "apr"), ("mei", "may"), ("juni", "june", "jun"), ("juli", "july", "jul"),
    ("agustus", "august", "agu", "agt", "ags", "aug"), ("september", "sep", "sept"),
    ("oktober", "october", "okt", "oct"), ("november", "nov", "nop", "nopember"),
    ("desember", "december", "des", "dec")), start=1) for name in names}


class DateOnly(datetime):
    """A date written without a time of day: midnight in its zone, shown without a time."""

    __slots__ = ()

    def astimezone(self, tz: tzinfo | None = None) -> datetime:
        """Still a date in a zone of the same offset; elsewhere a moment (3 Desember WITA is
        2 Desember 23.00 WIB, shown with its time)."""
        moved = super().astimezone(tz)
        return moved if moved.utcoffset() == self.utcoffset() else as_datetime(moved)


class DateError(ValueError):
    """A date value that cannot be used; `code` is a message key."""

    def __init__(self, code: str, **args: object):
        super().__init__(code)
        self.code = code
        self.args_for_message = args


@lru_cache(maxsize=32)
def zone(name: str) -> tzinfo:
    """The tzinfo for an IANA name; raises ZoneInfoNotFoundError when unknown."""
    if name.upper() == "UTC":
        return timezone.utc
    return ZoneInfo(name)


def is_known_zone(name: str) -> bool:
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def parse_datetime(value: object, tz: tzinfo) -> datetime:
    """A front-matter date as an aware datetime; naive values are in `tz`.

    Accepts 2021-12-21, 2021-12-21 10:05, 2021-12-21T10:05:00+07:00, 21 Desember 2021
    (21 Des 2021, Selasa, 21 Desember 2021 pukul 10.05) and a trailing WIB/WITA/WIT; a
    date without a time is a DateOnly. Raises DateError with a message key otherwise.
    """
    if isinstance(value, datetime):
        result = value if value.tzinfo else value.replace(tzinfo=tz)
    elif isinstance(value, date):
        result = DateOnly(value.year, value.month, value.day, tzinfo=tz)
    elif isinstance(value, str):
        result = _parse_text(value.strip(), tz)
    else:
        raise DateError("date_invalid", value=str(value))
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise DateError("date_out_of_range", year=result.year)
    return result


def _parse_text(text: str, tz: tzinfo) -> datetime:
    match = _DATE.match(text)
    if match:
        year, month, day, hour, minute, second, offset = match.groups()
    else:
        match = _WRITTEN_DATE.match(text)
        if not match or match.group(2).lower() not in _MONTHS:
            raise _numeric_date_error(text) or DateError("date_invalid", value=text)
        day, month_name, year, hour, minute, second, offset = match.groups()
        month = str(_MONTHS[month_name.lower()])
    kind = datetime if hour else DateOnly
    try:
        naive = kind(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        raise DateError("date_invalid", value=text) from None
    if not offset:
        return naive.replace(tzinfo=tz)
    word = offset.upper()
    if word in _ZONE_WORDS:
        return naive.replace(tzinfo=timezone(timedelta(hours=_ZONE_WORDS[word]), word))
    if word == "Z":
        return naive.replace(tzinfo=timezone.utc)
    sign = 1 if offset[0] == "+" else -1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        raise DateError("date_invalid", value=text)
    return naive.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))


def _numeric_date_error(text: str) -> DateError | None:
    """The error for 12/03/2026: each reading that is a real date, written the way kimsite reads it."""
    match = _NUMERIC_DATE.match(text)
    if not match:
        return None
    first, second, year = (int(part) for part in match.groups())
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            moment = date(year, month, day)
        except ValueError:
            continue
        if moment not in readings:
            readings.append(moment)
    if not readings:
        return None
    written = [(f"{moment.day} {date_names('id')[1][moment.month - 1]} {moment.year}", moment.isoformat())
               for moment in readings]
    if len(written) == 1:
        return DateError("date_numeric", value=text, reading=written[0][0], iso=written[0][1])
    return DateError("date_ambiguous", value=text, first=written[0][0], first_iso=written[0][1],
                     second=written[1][0], second_iso=written[1][1])


def as_datetime(moment: datetime) -> datetime:
    """`moment` as a plain datetime (a DateOnly shown with its time, midnight)."""
    if type(moment) is datetime:
        return moment
    return datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                    moment.microsecond, tzinfo=moment.tzinfo, fold=moment.fold)


_NAMES: dict[str, tuple[list[str], list[str]]] = {}


def date_names(lang: str) -> tuple[list[str], list[str]]:
    """(weekday names Monday first, month names January first) for a language, from babel's
    locale data (or as a previous build read them, see remember_date_names)."""
    names = _NAMES.get(lang)
    if names is None:
        from babel import Locale

        locale = Locale.parse("en" if lang == "en" else "id")
        days = locale.days["format"]["wide"]
        months = locale.months["format"]["wide"]
        names = _NAMES[lang] = ([days[i] for i in range(7)], [months[i] for i in range(1, 13)])
    return names


def names_cache_key(lang: str) -> str:
    """Names the babel data `date_names` comes from (the build cache keeps them under it)."""
    import babel

    return f"date-names:{babel.__version__}:{lang}"


def remember_date_names(lang: str, names: tuple[list[str], list[str]]) -> None:
    """Use names a previous build read from babel: loading babel's locale data costs about
    75 ms, in the build process and again in every worker that formats a date."""
    _NAMES[lang] = names


def zone_label(moment: datetime, workspace_zone: str) -> str:
    """WIB / WITA / WIT for Indonesian zones, else the zone's own abbreviation or UTC offset."""
    tzname = moment.tzname() or ""
    if tzname in _ZONE_WORDS:
        return tzname
    name = getattr(moment.tzinfo, "key", None)
    if name in _INDONESIAN_ZONES:
        return _INDONESIAN_ZONES[name]
    offset = moment.utcoffset() or timedelta(0)
    for word, hours in _ZONE_WORDS.items():
        if offset == timedelta(hours=hours) and workspace_zone in _INDONESIAN_ZONES:
            return word
    if tzname and not tzname.startswith(("+", "-")):
        return tzname
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def format_date(moment: date, lang: str, weekday: bool = True) -> str:
    """"Selasa, 21 Desember 2021" (or without the weekday)."""
    days, months = date_names(lang)
    text = f"{moment.day} {months[moment.month - 1]} {moment.year}"
    return f"{days[moment.weekday()]}, {text}" if weekday else text


def format_time(moment: datetime, lang: str, workspace_zone: str) -> str:
    """"10.05 WIB" in Indonesian, "10:05 WIB" in English."""
    separator = ":" if lang == "en" else "."
    return f"{moment.hour:02d}{separator}{moment.minute:02d} {zone_label(moment, workspace_zone)}"


def format_datetime(moment: datetime, lang: str, workspace_zone: str) -> str:
    """"Selasa, 21 Desember 2021 10.05 WIB", or only the date when no time was written."""
    if isinstance(moment, DateOnly):
        return format_date(moment, lang)
    return f"{format_date(moment, lang)} {format_time(moment, lang, workspace_zone)}"


def format_month(year: int, month: int, lang: str, short: bool = False) -> str:
    """"Desember 2021", or "Des 2021" when short."""
    name = date_names(lang)[1][month - 1]
    return f"{name[:3]} {year}" if short else f"{name} {year}"


def month_name(month: int, lang: str) -> str:
    return date_names(lang)[1][month - 1]
