"""Activity figures for Diskominfo: who is active, articles per month, kecamatan coverage.

Everything here depends on the build *date* only (never the time of day), so
outputs that show these figures list `data.today` in their deps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kimsite.outputs.contract import ViewMemo
from kimsite.portal.model import Member, PortalData
from kimsite.base.slugs import slugify

ACTIVE_DAYS = 90
MONTHS = 24


@dataclass(frozen=True, slots=True)
class MemberActivity:
    key: str
    name: str
    kind: str
    kecamatan: str
    desa: str
    status: str
    count: int  # every article the portal knows of
    recent: int  # articles in the last ACTIVE_DAYS days
    latest: date | None  # date of the newest article
    active: bool  # an article in the last ACTIVE_DAYS days


@dataclass(frozen=True, slots=True)
class Summary:
    today: date
    since: date  # first day of the activity window
    kims: int
    active: int
    local: int
    remote: int
    not_fetched: int
    articles: int  # of every member (KIMs and other portals)
    recent_articles: int
    months: tuple[tuple[int, int, int], ...]  # (year, month, articles), oldest first
    kecamatan_listed: int  # size of the portal's kecamatan list
    covered: tuple[str, ...]  # listed kecamatan with at least one KIM
    uncovered: tuple[str, ...]  # listed kecamatan with no KIM yet
    unlisted: tuple[str, ...]  # kecamatan of member KIMs missing from the list
    members: tuple[MemberActivity, ...]  # KIMs first (directory order), then other feeds


def window_start(today: date) -> date:
    return today - timedelta(days=ACTIVE_DAYS)


def member_activity(member: Member, today: date) -> MemberActivity:
    since = window_start(today)
    latest = member.entries[0].date.date() if member.entries else None
    recent = 0
    for entry in member.entries:  # newest first: stop at the first older one
        if entry.date.date() < since:
            break
        recent += 1
    return MemberActivity(member.key, member.name, member.kind, member.kecamatan, member.desa, member.status,
                          len(member.entries), recent, latest, latest is not None and latest >= since)


def month_window(today: date, count: int = MONTHS) -> list[tuple[int, int]]:
    """The last `count` calendar months ending with today's month, oldest first."""
    index = today.year * 12 + today.month - 1
    return [((i // 12), (i % 12) + 1) for i in range(index - count + 1, index + 1)]


def summarize(data: PortalData) -> Summary:
    today = data.today
    activities = tuple(member_activity(m, today) for m in data.members)
    kims = [a for a in activities if a.kind != "feed"]
    window = month_window(today)
    counts = dict.fromkeys(window, 0)
    for entry in data.entries:
        key = (entry.date.year, entry.date.month)
        if key in counts:
            counts[key] += 1

    listed = {slugify(name): name for name in data.portal.kecamatan_list if slugify(name)}
    with_kim: dict[str, str] = {}
    for member in data.members:
        if member.is_kim and member.kecamatan_slug:
            with_kim.setdefault(member.kecamatan_slug, member.kecamatan)
    return Summary(
        today=today, since=window_start(today), kims=len(kims), active=sum(a.active for a in kims),
        local=sum(a.kind == "local" for a in kims), remote=sum(a.kind == "remote" for a in kims),
        not_fetched=sum(a.status == "missing" for a in kims),
        articles=sum(a.count for a in activities), recent_articles=sum(a.recent for a in activities),
        months=tuple((year, month, counts[(year, month)]) for year, month in window),
        kecamatan_listed=len(listed),
        covered=tuple(name for slug, name in listed.items() if slug in with_kim),
        uncovered=tuple(name for slug, name in listed.items() if slug not in with_kim),
        unlisted=tuple(sorted((name for slug, name in with_kim.items() if listed and slug not in listed),
                              key=str.casefold)),
        members=activities,
    )


def summary_of(memo: ViewMemo, data: PortalData) -> Summary:
    """`summarize` once per build (kept beside the portal data)."""
    if memo.portal_summary is None:
        memo.portal_summary = summarize(data)
    return memo.portal_summary


@dataclass(frozen=True, slots=True)
class KecamatanGroup:
    slug: str
    name: str  # as spelled in the portal's list when it is there
    members: tuple[Member, ...]


_last_groups: list[tuple[PortalData, tuple[KecamatanGroup, ...]]] = []


def kecamatan_groups(data: PortalData) -> tuple[KecamatanGroup, ...]:
    """Member KIMs grouped by kecamatan (matched by slug, so case and spacing do not split a group),
    in the order of names. Once per build (per worker): every portal page shows them, and a
    province's hundreds of kecamatan pages each grouping its thousands of KIMs took minutes."""
    if _last_groups and _last_groups[0][0] is data:
        return _last_groups[0][1]
    groups = _kecamatan_groups(data)
    _last_groups[:] = [(data, groups)]
    return groups


def _kecamatan_groups(data: PortalData) -> tuple[KecamatanGroup, ...]:
    spelled = {slugify(name): name for name in data.portal.kecamatan_list}
    groups: dict[str, list[Member]] = {}
    names: dict[str, str] = {}
    for member in data.members:
        if not member.is_kim or not member.kecamatan_slug:
            continue
        groups.setdefault(member.kecamatan_slug, []).append(member)
        names.setdefault(member.kecamatan_slug, spelled.get(member.kecamatan_slug, member.kecamatan_label))
    return tuple(KecamatanGroup(slug, names[slug], tuple(groups[slug]))
                 for slug in sorted(groups, key=lambda s: (names[s].casefold(), s)))


@dataclass(frozen=True, slots=True)
class RegionActivity:
    """A region of a portal of portals: the member KIMs of one regency from an OPML list and/or
    that regency's own portal feed, whose items name their KIM first among their categories."""

    name: str
    href: str  # the region's own portal, "" when it is known only through its KIMs
    kims: int  # KIMs known in it: member KIMs and KIMs named in its portal's feed
    active: int  # of those, KIMs with an article in the last ACTIVE_DAYS days
    recent: int  # articles in the last ACTIVE_DAYS days
    latest: date | None


def region_activity(data: PortalData) -> tuple[RegionActivity, ...]:
    """One row per region, by name; () for a portal without regions (a regency's own)."""
    since = window_start(data.today)
    regions: dict[str, dict] = {}
    for member in data.members:
        if not member.region:
            continue
        row = regions.setdefault(member.region.casefold(), {"name": member.region, "href": "", "kims": set(),
                                                             "active": set(), "recent": 0, "latest": None})
        activity = member_activity(member, data.today)
        row["recent"] += activity.recent
        if activity.latest and (row["latest"] is None or activity.latest > row["latest"]):
            row["latest"] = activity.latest
        if member.is_portal:
            row["href"] = row["href"] or member.site_href
            for entry in member.entries:
                if entry.kim:
                    row["kims"].add(entry.kim.casefold())
                    if entry.date.date() >= since:
                        row["active"].add(entry.kim.casefold())
        else:
            row["kims"].add(member.name.casefold())
            if activity.active:
                row["active"].add(member.name.casefold())
    return tuple(RegionActivity(row["name"], row["href"], len(row["kims"]), len(row["active"]), row["recent"],
                                row["latest"])
                 for _key, row in sorted(regions.items()))
