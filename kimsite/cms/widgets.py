"""Editor fields made from kimsite's content model, each able to produce only what kimsite accepts.

Lengths, choices and patterns come from kimsite.schema.fields, kimsite.schema.article_types and kimsite.lint.rules;
the patterns are JavaScript-compatible (no inline flags) and tested to accept nothing the
build refuses (tests/test_cms_widgets.py).
"""

from __future__ import annotations

from typing import Any

from kimsite.model.assemble import RESERVED_PAGE_SLUGS
from kimsite.lint.rules import SHARE_TITLE_LIMIT
from kimsite.cms.labels import label
from kimsite.schema.fields import HOAX_LABELS, MAX_LIST_ITEMS, MAX_TEXT

# One amount as kimsite.schema.article_types.parse_price reads it, above zero and below kinds.MAX_PRICE: 25000, 25.000, Rp 25.000,-, Rp. 1.500.000
PRICE_PATTERN = r"^(?:[Rr][Pp]\.? ?)?(?:[1-9]\d{0,2}(?:\.\d{3}){1,3}|[1-9]\d{0,11})(?:,-|,00)?$"
# An Indonesian mobile number as kimsite.schema.article_types.whatsapp_number reads it (11 to 15 digits with 62)
WHATSAPP_PATTERN = r"^(?:\+62|62|0)[ -]?8(?:[ -]?\d){8,12}$"
URL_PATTERN = r"^https?://[^\s]+$"
NOT_BLANK_PATTERN = r"\S"
# A title makes the file name and URL (kimsite.base.slugs.slugify keeps ASCII letters and digits)
TITLE_PATTERN = r"[A-Za-z0-9]"
TAG_MAX_LENGTH = 120  # kimsite.schema.fields: each list item
CATEGORY_MAX_LENGTH = 80
AUTHOR_MAX_LENGTH = 120
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"  # what kimsite resizes (kimsite.base.file_rules.RESPONSIVE_FORMATS)


def text(name: str, lang: str, *, required: bool = False, maxlength: int = MAX_TEXT, hint: str = "",
         title: str | None = None) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "label": title or label(name, lang), "widget": "string",
                             "required": required, "maxlength": maxlength}
    if required:
        field["pattern"] = [NOT_BLANK_PATTERN, label("text_pattern", lang)]
    if hint:
        field["hint"] = hint
    return field


def longtext(name: str, lang: str, *, required: bool = False, hint: str = "") -> dict[str, Any]:
    field = text(name, lang, required=required, maxlength=MAX_TEXT, hint=hint)
    field["widget"] = "text"
    return field


def moment(name: str, lang: str, timezone: str, *, required: bool, hint: str = "",
           now_by_default: bool = False) -> dict[str, Any]:
    """A date and time in the workspace's zone, stored with its offset (2025-07-01T09:30:00+07:00)."""
    field: dict[str, Any] = {"name": name, "label": label(name, lang), "widget": "datetime", "required": required,
                             "input_timezone": "utc" if timezone.upper() == "UTC" else timezone}
    if now_by_default:
        field["default"] = "{{now}}"
    if hint:
        field["hint"] = hint
    return field


def title(lang: str) -> dict[str, Any]:
    field = text("title", lang, required=True, maxlength=SHARE_TITLE_LIMIT,
                 hint=label("title_hint", lang, limit=SHARE_TITLE_LIMIT))
    field["pattern"] = [TITLE_PATTERN, label("title_pattern", lang)]
    return field


def _slug_is(words: list[str]) -> str:
    """A pattern for texts whose slug (kimsite.base.slugs.slugify) is one of `words`."""
    def one(word: str) -> str:
        return "".join(f"[{c}{c.upper()}]" if c.isalpha() else ("[^A-Za-z0-9]+" if c == "-" else c) for c in word)
    return r"^[^A-Za-z0-9]*(?:" + "|".join(map(one, words)) + r"|\d{4})[^A-Za-z0-9]*$"


# Static pages live at <kim>/<slug>/: a title whose slug kimsite uses for its own pages
# (Profil, Arsip, Cek Fakta, a year) would be refused by the build.
PAGE_TITLE_PATTERN = r"^(?!" + _slug_is(sorted(RESERVED_PAGE_SLUGS))[1:] + r")[\s\S]*[A-Za-z0-9]"


def page_title(lang: str) -> dict[str, Any]:
    field = title(lang)
    field["pattern"] = [PAGE_TITLE_PATTERN, label("page_title_pattern", lang)]
    return field


def publication_date(lang: str, timezone: str, zone_name: str, *, required: bool = True) -> dict[str, Any]:
    return moment("date", lang, timezone, required=required, now_by_default=required,
                  hint=label("date_hint", lang, zone=zone_name))


def summary(lang: str, required: bool) -> dict[str, Any]:
    hint = label("summary_required_hint" if required else "summary_hint", lang, limit=MAX_TEXT)
    return longtext("summary", lang, required=required, hint=hint)


def category(lang: str, existing: tuple[str, ...]) -> list[dict[str, Any]]:
    """A choice among the KIM's categories, and a text for a new one (kimsite reads
    `kategori_baru:` as the category; the editor has no select that takes new values)."""
    if not existing:
        return [text("category", lang, maxlength=CATEGORY_MAX_LENGTH, hint=label("category_hint_none", lang))]
    choice = {"name": "category", "label": label("category", lang), "widget": "select", "required": False,
              "options": list(existing), "hint": label("category_hint", lang)}
    new = text("kategori_baru", lang, maxlength=CATEGORY_MAX_LENGTH, hint=label("kategori_baru_hint", lang))
    return [choice, new]


def tags(lang: str) -> dict[str, Any]:
    return {"name": "tags", "label": label("tags", lang), "widget": "list", "required": False,
            "max": MAX_LIST_ITEMS, "hint": label("tags_hint", lang, limit=MAX_LIST_ITEMS),
            "field": {"name": "tag", "label": label("tag", lang), "widget": "string",
                      "maxlength": TAG_MAX_LENGTH, "pattern": [NOT_BLANK_PATTERN, label("text_pattern", lang)]}}


def image(name: str, lang: str, *, multiple: bool = False) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "label": label(name, lang), "widget": "image", "required": False,
                             "accept": IMAGE_ACCEPT, "choose_url": False, "hint": label("image_hint", lang)}
    if multiple:
        field.update(multiple=True, max=MAX_LIST_ITEMS)
    return field


def picture(lang: str) -> dict[str, Any]:
    """The main photo as an optional group: added, it needs both the file and its description
    (kimsite reads `image: {src, alt, caption, credit}` as image:, image_alt:, image_caption: and
    image_credit:); left out, none is asked (a caption without a photo would be warned about)."""
    source = image("src", lang)
    source["required"] = True
    alt = text("alt", lang, required=True, hint=label("image_alt_hint", lang))
    # kimsite.schema.fields: image_caption 400 and image_credit 160 characters
    caption, credit = text("caption", lang, maxlength=400), text("credit", lang, maxlength=160)
    return {"name": "image", "label": label("image", lang), "widget": "object", "required": False,
            "hint": label("image_add_hint", lang), "fields": [source, alt, caption, credit]}


def draft(lang: str) -> dict[str, Any]:
    return {"name": "draft", "label": label("draft", lang), "widget": "boolean", "required": False,
            "default": False}


def body(lang: str) -> dict[str, Any]:
    return {"name": "body", "label": label("body", lang), "widget": "markdown", "required": False,
            "hint": label("body_hint", lang)}


def hidden_type(kind: str) -> dict[str, Any]:
    return {"name": "type", "widget": "hidden", "default": kind}


def verdict(lang: str) -> dict[str, Any]:
    return {"name": "label", "label": label("label", lang), "widget": "select", "required": True,
            "options": list(HOAX_LABELS), "dropdown_threshold": len(HOAX_LABELS)}


def references(lang: str) -> dict[str, Any]:
    return {"name": "rujukan", "label": label("rujukan", lang), "label_singular": label("rujukan_one", lang),
            "widget": "list", "required": False, "max": MAX_LIST_ITEMS, "fields": [
                text("judul", lang, title=label("rujukan_judul", lang), maxlength=300),
                {"name": "url", "label": label("rujukan_url", lang), "widget": "string", "type": "url",
                 "required": True, "pattern": [URL_PATTERN, label("url_pattern", lang)]}]}


def patterned(name: str, lang: str, pattern: str, *, maxlength: int = 40) -> dict[str, Any]:
    field = text(name, lang, maxlength=maxlength, hint=label(f"{name}_hint", lang))
    field["pattern"] = [pattern, label(f"{name}_pattern", lang)]
    return field


def menu_order(lang: str) -> dict[str, Any]:
    return {"name": "menu_order", "label": label("menu_order", lang), "widget": "number", "value_type": "int",
            "required": False, "min": 0, "max": 1000}


def in_menu(lang: str) -> dict[str, Any]:
    return {"name": "menu", "label": label("menu", lang), "widget": "boolean", "required": False,
            "default": True}
