"""Problems in a portal's site file that need the whole workspace to see: members that
name no KIM, and member KIMs whose kecamatan is missing from the portal's list (often a typo).
"""

from __future__ import annotations

from pathlib import Path

from kimsite.workspace.config import SiteConfig
from kimsite.base.urls import is_feed_url
from kimsite.base.problems import Problem, error, warning
from kimsite.base.slugs import slugify


def _line_of(root: Path, file: str, needle: str, default: int | None = 1) -> int | None:
    try:
        lines = (root / file).read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return default
    for number, line in enumerate(lines, start=1):
        if needle in line:
            return number
    return default


def check_portal(root: Path, portal: SiteConfig, sites: dict[str, SiteConfig]) -> list[Problem]:
    problems: list[Problem] = []
    if portal.members_opml:
        from kimsite.workspace.opml import member_lists  # (only for a portal with OPML lists)

        problems.extend(member_lists(root, portal.file, portal.members_opml)[1])
    for value in portal.members:
        if value == "all" or is_feed_url(value):
            continue
        site = sites.get(value)
        if site is None or site.role != "kim":
            problems.append(error(portal.file, _line_of(root, portal.file, value), "portal_member_unknown",
                                  value=value))
    listed = {slugify(name) for name in portal.kecamatan_list}
    if not listed:
        return problems
    everyone = "all" in portal.members
    for slug, site in sorted(sites.items()):
        if site.role != "kim" or not (everyone or slug in portal.members):
            continue
        if site.kecamatan and slugify(site.kecamatan) not in listed:
            problems.append(warning(site.file, _line_of(root, site.file, "kecamatan:"), "portal_kecamatan_unlisted",
                                    value=site.kecamatan, portal=portal.file))
    return problems
