"""The regency portal: published at the root of the output when the workspace has a site file
with `kind: portal`. It gathers the news of its member KIMs (built here, or fetched from
their feeds by `kimsite fetch`), lists them by kecamatan, and shows who is active.

    model.py        members and their entries (local articles, stored remote feeds)
    activity.py     figures: active KIMs, articles per month, kecamatan coverage
    pages.py        home, directory, kecamatan pages, "Data & Angka"
    chart.py        the inline SVG bar chart
    exports.py      the figures as CSV and JSON
    syndication.py  the regency's RSS/Atom feeds and kim.opml
    checks.py       problems in the portal's site file (unknown members, unlisted kecamatan)
"""

from __future__ import annotations

from kimsite.outputs.contract import BuildView, Output
from kimsite.portal import exports, pages, syndication
from kimsite.portal.model import portal_data


def plan_portal(view: BuildView) -> list[Output]:
    """Every output of the portal; none without a portal or when one KIM is built alone."""
    data = portal_data(view)
    if data is None:
        return []
    return [*pages.plan_pages(view, data), *exports.plan_exports(view, data),
            *syndication.plan_syndication(view, data)]


__all__ = ["plan_portal"]
