"""What KIMs publish beyond news: hoax clarifications, agenda events, village products.

The fields of each type are declared in kimsite.schema.fields (TYPE_FIELDS); this module
checks what a field spec cannot (references, prices, phone numbers, photos, time
order) and offers the helpers pages, lists, feeds and calendars use.
"""

from __future__ import annotations

import math
import posixpath
import re
from decimal import Decimal
from datetime import date, datetime, tzinfo
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from kimsite.base.file_rules import PHOTO_SUFFIXES
from kimsite.base.problems import Problem, error
from kimsite.base.urls import SECTION_FOLDERS

LABEL_STYLE = {  # verdict -> CSS modifier (red for false, green for true)
    "HOAKS": "false", "SALAH": "false", "DISINFORMASI": "false",
    "MISINFORMASI": "false", "MENYESATKAN": "warn", "BENAR": "true",
}

# Sections a KIM gets when it publishes articles of a type: type -> (folder, UI text key).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("klarifikasi", SECTION_FOLDERS["klarifikasi"], "cek_fakta"),
    ("agenda", SECTION_FOLDERS["agenda"], "agenda"),
    ("produk", SECTION_FOLDERS["produk"], "potensi_desa"),
)

# Amounts as Indonesians write them: 75000, 75.000, Rp 75.000,- or Rp75.000,00.
_AMOUNT = r"(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3}){1,5}|\d{1,15})(?:,-|,00)?"
_PRICE_RANGE = re.compile(rf"^\s*{_AMOUNT}\s*(?:-|–|—|sampai|s/d|s\.d\.)\s*{_AMOUNT}\s*$", re.I)
_PRICE = re.compile(rf"^\s*{_AMOUNT}\s*$", re.I)
MAX_PRICE = 10 ** 12  # a trillion rupiah: more is a typing slip (the editor allows 12 digits)


def check_type_fields(kind: str, values: dict[str, Any], file: str, lines: dict[str, int],
                      default_line: int) -> tuple[dict[str, Any], list[Problem]]:
    """Validate and normalize the fields only one article type has."""
    problems: list[Problem] = []

    def line(name: str) -> int:
        """Line of a field, whichever of its names the author wrote."""
        for key in _names_of(kind, name):
            if key in lines:
                return lines[key]
        return default_line

    # Free-form fields left empty by a template (harga: "", rujukan: "") are simply absent.
    values = {key: value for key, value in values.items() if not (isinstance(value, str) and not value.strip())}
    clean = dict(values)
    if kind == "klarifikasi" and "rujukan" in values:
        refs, problem = _references(values["rujukan"], file, line("rujukan"))
        if problem:
            problems.append(problem)
            clean.pop("rujukan")
        else:
            clean["rujukan"] = refs
    if kind == "agenda" and "mulai" in values and "selesai" in values and values["selesai"] < values["mulai"]:
        problems.append(error(file, line("selesai"), "agenda_end_before_start"))
        clean.pop("selesai")
    if kind == "produk":
        if "harga" in values:
            price = parse_price(values["harga"])
            if price is None:
                problems.append(error(file, line("harga"), "price_invalid", value=values["harga"]))
                clean.pop("harga")
            else:
                clean["harga"] = price
        if "whatsapp" in values:
            number = whatsapp_number(values["whatsapp"])
            if number is None:
                problems.append(error(file, line("whatsapp"), "whatsapp_invalid", value=values["whatsapp"]))
                clean.pop("whatsapp")
            else:
                clean["whatsapp"] = number
        if "foto" in values:
            photos, problem = _photos(values["foto"], file, line("foto"))
            if problem:
                problems.append(problem)
                clean.pop("foto")
            else:
                clean["foto"] = photos
    return clean, problems


def _names_of(kind: str, name: str) -> tuple[str, ...]:
    from kimsite.schema.fields import TYPE_FIELDS

    for spec in TYPE_FIELDS.get(kind, ()):
        if spec.name == name:
            return (spec.name, *spec.aliases)
    return (name,)


def _photos(value: tuple[str, ...], file: str, line: int) -> tuple[tuple[str, ...], Problem | None]:
    """foto: image files of the KIM (usually in media/), written relative to the article's folder;
    returned relative to the KIM's content folder, like `image`."""
    parts = file.split("/")
    source_dir = "/".join(parts[2:-1]) if len(parts) > 2 and parts[0] == "content" else ""
    result = []
    for item in value:
        if item.lower().startswith(("http://", "https://", "//")):
            return (), error(file, line, "photo_not_local", value=item)
        target = posixpath.normpath(posixpath.join(source_dir, item))
        if item.startswith("/") or target.startswith("../") or target == "..":
            return (), error(file, line, "photo_outside", value=item)
        if not target.lower().endswith(PHOTO_SUFFIXES):
            return (), error(file, line, "photo_not_image", value=item)
        result.append(target)
    return tuple(result), None


def _references(value: Any, file: str, line: int) -> tuple[tuple[tuple[str, str], ...], Problem | None]:
    """rujukan: a list of URLs or of {judul, url}; returns ((title, url), ...)."""
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if isinstance(item, str):
            title, url = item, item
        elif isinstance(item, dict):
            url = str(item.get("url") or item.get("tautan") or "")
            title = str(item.get("judul") or item.get("title") or url)
        else:
            return (), error(file, line, "field_not_list", field="rujukan")
        if not url.lower().startswith(("http://", "https://")):
            return (), error(file, line, "field_bad_url", field="rujukan", value=url)
        result.append((" ".join(title.split()), url.strip()))
    return tuple(result), None


def parse_price(value: Any) -> tuple[int, int] | None:
    """75000, "Rp 75.000", "Rp15.000,-" or "25000-40000" -> (low, high) in whole rupiah.

    Front matter hands over the text as written (`harga: 1.001` is 1001). A number from
    elsewhere is read the same way: Indonesians write the dot as the thousands separator,
    so 75.0 (YAML's reading of 75.000) is 75000. Zero, negative and absurd amounts are refused.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return _amount(value, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        thousands = Decimal(repr(value)) * 1000
        return _amount(int(thousands), int(thousands)) if thousands == thousands.to_integral_value() else None
    text = str(value)
    match = _PRICE_RANGE.match(text)
    if match:
        low, high = (int(part.replace(".", "")) for part in match.groups())
        return _amount(low, high)
    match = _PRICE.match(text)
    if match:
        amount = int(match.group(1).replace(".", ""))
        return _amount(amount, amount)
    return None


def _amount(low: int, high: int) -> tuple[int, int] | None:
    return (low, high) if 0 < low <= high < MAX_PRICE else None


def format_rupiah(amount: int) -> str:
    """75000 -> "Rp75.000"."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def format_price(price: tuple[int, int]) -> str:
    low, high = price
    return format_rupiah(low) if low == high else f"{format_rupiah(low)} – {format_rupiah(high)}"


def whatsapp_number(value: Any) -> str | None:
    """An Indonesian mobile number as wa.me wants it: 081234567890, +62 812-3456-7890,
    62812... or 0812... -> 6281234567890; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    digits = re.sub(r"[\s().\-/]", "", str(value))
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        return None
    if digits.startswith("620"):  # +62 (0)812...
        digits = "62" + digits[3:]
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not digits.startswith("628") or not 11 <= len(digits) <= 15:
        return None
    return digits


def whatsapp_link(number: str, text: str) -> str:
    """https://wa.me/<number>?text=<message>: opens WhatsApp with the message ready to send."""
    return f"https://wa.me/{number}?text={quote(text, safe='')}"


def map_link(place: str, area: str = "") -> str:
    """An OpenStreetMap search for an event's place (a link: nothing is loaded by the page)."""
    query = f"{place}, {area}" if area and area.lower() not in place.lower() else place
    return f"https://www.openstreetmap.org/search?query={quote(query, safe='')}"


def verdict_title(title: str, label: str | None) -> str:
    """"[HOAKS] Pesan berantai ...": the verdict in front of the title, as fact-checkers write it
    (not doubled when the author already wrote it)."""
    if not label:
        return title
    prefix = f"[{label}]"
    return title if title.upper().startswith(prefix) else f"{prefix} {title}"


def without_verdict(title: str, label: str | None) -> str:
    """The title with a leading "[LABEL]" the author may have written removed."""
    prefix = f"[{label}]" if label else ""
    return title[len(prefix):].lstrip() if prefix and title.upper().startswith(prefix) else title


def verdict_of(doc: Any) -> str:
    """The verdict of a clarification ("HOAKS"), "" for any other document."""
    if getattr(doc, "type", None) != "klarifikasi":
        return ""
    return str(doc.field("label") or "")


def display_title(doc: Any) -> str:
    """The title every text field shows for a document (<title>, share previews, feeds, JSON-LD):
    a clarification carries its verdict first, so a shared debunk never reads as the hoax."""
    return verdict_title(doc.title, verdict_of(doc))


def display_description(doc: Any, text: str) -> str:
    """A description or summary as previews show it: a clarification's starts with its verdict
    (summaries often repeat the claim)."""
    label = verdict_of(doc)
    if not label or not text or text.upper().startswith((label, f"[{label}]")):
        return text
    return f"[{label}] {text}"


def verdict_badge(label: str) -> Markup:
    """The verdict as lists show it: a coloured "[HOAKS]", written as titles, previews and feeds
    write it (so it reads the same without colour, in a text browser or a screen reader)."""
    if not label:
        return Markup("")
    style = LABEL_STYLE.get(label, "warn")
    return Markup('<span class="verdict verdict-{}">[{}]</span>').format(style, label)


def document_heading(doc: Any) -> Markup:
    """A document's title where a page links to it (cards, archive, neighbours): badged when it
    is a clarification, so no list shows the hoax's claim on its own."""
    return badged_title(doc.title, verdict_of(doc))


def badged_title(title: str, label: str | None) -> Markup:
    """A title in a page: the verdict badge, then the title (without a "[LABEL]" the author wrote)."""
    if not label:
        return escape(title)
    return verdict_badge(label) + Markup(" ") + escape(without_verdict(title, label))


def event_end(doc: Any) -> datetime:
    """When an agenda event ends (its start when no end is given)."""
    return doc.field("selesai") or doc.field("mulai")


def is_upcoming(doc: Any, today: date, tz: tzinfo) -> bool:
    """An event is upcoming until the end of the day it ends, in the workspace timezone."""
    return event_end(doc).astimezone(tz).date() >= today
