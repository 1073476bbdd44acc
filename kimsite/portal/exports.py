"""The "Data & Angka" figures as files staff open in a spreadsheet (CSV) or a script (JSON).

Column and key names are stable Indonesian identifiers, whatever the site language.
CSV files start with a UTF-8 byte order mark so spreadsheet programs read the
accents correctly, and no text cell can start a formula (see `spreadsheet_cell`).
"""

from __future__ import annotations

import io
import json

from kimsite.base.urls import PORTAL_CSV_KIMS, PORTAL_CSV_MONTHS, PORTAL_JSON_DATA
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.outputs.tokens import token
from kimsite.portal.activity import ACTIVE_DAYS, MemberActivity, RegionActivity, Summary, region_activity, summary_of
from kimsite.portal.model import PortalData, portal_data

KIND_LABELS = {"local": "lokal", "remote": "luar", "feed": "portal"}
KIM_COLUMNS = ("id", "nama", "jenis", "kecamatan", "desa", "jumlah_artikel", f"artikel_{ACTIVE_DAYS}_hari",
               "artikel_terakhir", "aktif", "status_feed")


def plan_exports(view: BuildView, data: PortalData) -> list[Output]:
    deps = (data.token, token(summary_of(view.memo, data)), token(region_activity(data)))
    return [Output(path, "portal_export", data.portal.slug, (path,), deps)
            for path in (PORTAL_CSV_KIMS, PORTAL_CSV_MONTHS, PORTAL_JSON_DATA)]


def kim_record(activity: MemberActivity) -> dict:
    return {
        "id": activity.key, "nama": activity.name, "jenis": KIND_LABELS.get(activity.kind, activity.kind),
        "kecamatan": activity.kecamatan, "desa": activity.desa, "jumlah_artikel": activity.count,
        f"artikel_{ACTIVE_DAYS}_hari": activity.recent,
        "artikel_terakhir": activity.latest.isoformat() if activity.latest else "",
        "aktif": activity.active, "status_feed": "" if activity.kind == "local" else activity.status,
    }


def region_record(region: RegionActivity) -> dict:
    return {"nama": region.name, "situs": region.href, "jumlah_kim": region.kims, "kim_aktif": region.active,
            f"artikel_{ACTIVE_DAYS}_hari": region.recent,
            "artikel_terakhir": region.latest.isoformat() if region.latest else ""}


def as_json(data: PortalData, summary: Summary) -> dict:
    regions = region_activity(data)
    return {
        "portal": data.portal.name,
        "wilayah": data.portal.region,
        "tanggal_data": summary.today.isoformat(),
        "jendela_aktif_hari": ACTIVE_DAYS,
        "jumlah_kim": summary.kims,
        "kim_aktif": summary.active,
        "kim_lokal": summary.local,
        "kim_luar": summary.remote,
        "kim_feed_belum_diambil": summary.not_fetched,
        "jumlah_artikel": summary.articles,
        f"artikel_{ACTIVE_DAYS}_hari": summary.recent_articles,
        "artikel_per_bulan": [{"bulan": f"{year:04d}-{month:02d}", "jumlah": count}
                              for year, month, count in summary.months],
        "kecamatan": {
            "terdaftar": summary.kecamatan_listed,
            "punya_kim": list(summary.covered),
            "belum_punya_kim": list(summary.uncovered),
            "tidak_ada_di_daftar": list(summary.unlisted),
        },
        "kim": [kim_record(a) for a in summary.members],
        **({"wilayah_anggota": [region_record(r) for r in regions]} if regions else {}),
    }


# A cell starting with one of these is read by spreadsheet programs as a formula (OWASP "CSV
# injection"); the full-width forms too, which some programs fold to the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(value: object) -> object:
    """A text cell that cannot start a formula: a leading formula character (after any white
    space) gets a single quote in front, which spreadsheets show as text. Numbers stay numbers."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(rows: list[list]) -> bytes:
    import csv  # (loaded by the builds that write the portal's tables)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@renderer("portal_export")
def render_export(view: BuildView, output: Output) -> bytes:
    data = portal_data(view)
    summary = summary_of(view.memo, data)
    (path,) = output.params
    if path == PORTAL_JSON_DATA:
        return (json.dumps(as_json(data, summary), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if path == PORTAL_CSV_MONTHS:
        return _csv([["bulan", "jumlah_artikel"]]
                    + [[f"{year:04d}-{month:02d}", count] for year, month, count in summary.months])
    rows: list[list] = [list(KIM_COLUMNS)]
    for activity in summary.members:
        record = kim_record(activity)
        record["aktif"] = "ya" if record["aktif"] else "tidak"
        rows.append([record[column] for column in KIM_COLUMNS])
    return _csv(rows)
