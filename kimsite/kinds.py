"""What KIMs publish beyond news: hoax clarifications, agenda events, village products.

The fields of each type are declared in kimsite.fields (TYPE_FIELDS); this module
checks what a field spec cannot (references, prices, phone numbers, time order)
and offers the helpers the templates use.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from kimsite.problems import Problem, error

LABEL_STYLE = {  # verdict -> CSS modifier (red for false, green for true)
    "HOAKS": "false", "SALAH": "false", "DISINFORMASI": "false",
    "MISINFORMASI": "false", "MENYESATKAN": "warn", "BENAR": "true",
}

_PRICE_RANGE = re.compile(r"^\s*(?:rp\.?\s*)?([\d.]+)\s*(?:-|–|sampai|s/d)\s*(?:rp\.?\s*)?([\d.]+)\s*$", re.I)
_PRICE = re.compile(r"^\s*(?:rp\.?\s*)?([\d.]+)\s*$", re.I)


def check_type_fields(kind: str, values: dict[str, Any], file: str, lines: dict[str, int],
                      default_line: int) -> tuple[dict[str, Any], list[Problem]]:
    """Validate and normalize the fields only one article type has."""
    problems: list[Problem] = []
    clean = dict(values)
    if kind == "klarifikasi" and "rujukan" in values:
        refs, problem = _references(values["rujukan"], file, lines.get("rujukan", default_line))
        if problem:
            problems.append(problem)
            clean.pop("rujukan")
        else:
            clean["rujukan"] = refs
    if kind == "agenda" and "mulai" in values and "selesai" in values and values["selesai"] < values["mulai"]:
        problems.append(error(file, lines.get("selesai", default_line), "agenda_end_before_start"))
        clean.pop("selesai")
    if kind == "produk":
        if "harga" in values:
            price = parse_price(values["harga"])
            if price is None:
                problems.append(error(file, lines.get("harga", default_line), "price_invalid",
                                      value=values["harga"]))
                clean.pop("harga")
            else:
                clean["harga"] = price
        if "whatsapp" in values:
            number = whatsapp_number(values["whatsapp"])
            if number is None:
                problems.append(error(file, lines.get("whatsapp", default_line), "whatsapp_invalid",
                                      value=values["whatsapp"]))
                clean.pop("whatsapp")
            else:
                clean["whatsapp"] = number
    return clean, problems


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
    """75000, "Rp 75.000" or "25000-40000" -> (low, high) in rupiah."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value, value) if value >= 0 else None
    if isinstance(value, float) and value >= 0:
        return (int(value), int(value))
    text = str(value)
    match = _PRICE_RANGE.match(text)
    if match:
        low, high = (int(part.replace(".", "")) for part in match.groups())
        return (low, high) if low <= high else None
    match = _PRICE.match(text)
    if match:
        amount = int(match.group(1).replace(".", ""))
        return (amount, amount)
    return None


def format_rupiah(amount: int) -> str:
    """75000 -> "Rp75.000"."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def format_price(price: tuple[int, int]) -> str:
    low, high = price
    return format_rupiah(low) if low == high else f"{format_rupiah(low)} – {format_rupiah(high)}"


def whatsapp_number(value: Any) -> str | None:
    """An Indonesian mobile number as wa.me wants it: 081234567890, +62 812-3456-7890 -> 6281234567890."""
    digits = re.sub(r"[\s().-]", "", str(value))
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        return None
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not digits.startswith("62") or not 10 <= len(digits) <= 15:
        return None
    return digits


def whatsapp_link(number: str, text: str) -> str:
    return f"https://wa.me/{number}?text={quote(text)}"
