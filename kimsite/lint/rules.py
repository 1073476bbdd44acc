"""Checks that only `kimsite check` runs, on top of what every build validates.

- summaries required by category (kimsite.yaml: `check: summary_required: [Cek Fakta]`), error;
- titles too long to show whole when shared (more than SHARE_TITLE_LIMIT characters), warning;
- images without alternative text, in the body or as the main image, warning; a caption or
  credit without a main image, warning;

Missing pictures and pictures the build refuses are the build's own checks (kimsite.model.picture_refs,
kimsite.media.images): `check` runs them through the build, so the two always agree.

Each rule is a small function over one published document and returns problems
naming the source file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from kimsite.schema.fields import ARTICLE_FIELDS
from kimsite.base.links import SITE_PREFIX
from kimsite.model.model import Document
from kimsite.base.problems import Problem, error, warning
from kimsite.base.urls import term_slug
from kimsite.base.yamlio import load_mapping

SHARE_TITLE_LIMIT = 110


@dataclass(frozen=True)
class CheckSettings:
    summary_required: frozenset[str] = frozenset()  # category slugs


@dataclass(frozen=True)
class Checked:
    """One published document with what the rules need besides the model."""

    doc: Document
    body_html: str
    text: str  # the source as written (to find lines)
    files: frozenset[str]  # the KIM's non-Markdown files, relative to its folder


def load_settings(root: Path) -> tuple[CheckSettings, list[Problem]]:
    """The `check:` section of kimsite.yaml (optional)."""
    path = root / "kimsite.yaml"
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return CheckSettings(), []
    doc, _ = load_mapping(text, "kimsite.yaml")
    if doc is None or "check" not in doc.data:
        return CheckSettings(), []
    section = doc.data.get("check")
    line = doc.lines.get("check")
    if section is None:
        return CheckSettings(), []
    if not isinstance(section, dict):
        return CheckSettings(), [error("kimsite.yaml", line, "yaml_not_mapping", kind=type(section).__name__)]
    problems: list[Problem] = []
    required = section.get("summary_required") or []
    if isinstance(required, str):
        required = [required]
    if not isinstance(required, list) or not all(isinstance(item, (str, int)) for item in required):
        problems.append(error("kimsite.yaml", line, "check_config_invalid", field="summary_required"))
        required = []
    for key in section:
        if str(key) != "summary_required":
            problems.append(warning("kimsite.yaml", line, "field_unknown", field=f"check.{key}", hint=""))
    return CheckSettings(frozenset(term_slug(str(item)) for item in required)), problems


def _line(doc: Document, *keys: str) -> int:
    for key in keys:
        found = doc.line(key)
        if found:
            return found
    return 1


def _text_line(text: str, needle: str, fallback: int) -> int:
    position = text.find(needle)
    return fallback if position < 0 else text.count("\n", 0, position) + 1


def summary_rule(item: Checked, settings: CheckSettings) -> list[Problem]:
    doc = item.doc
    if doc.file_role != "article" or not doc.category or doc.summary_given:
        return []
    if term_slug(doc.category) not in settings.summary_required:
        return []
    return [error(doc.source, _line(doc, "category", "kategori"), "summary_required", category=doc.category)]


def title_rule(item: Checked, settings: CheckSettings) -> list[Problem]:
    doc = item.doc
    if len(doc.title) <= SHARE_TITLE_LIMIT:
        return []
    return [warning(doc.source, _line(doc, "title", "judul"), "title_too_long_share", length=len(doc.title),
                    limit=SHARE_TITLE_LIMIT)]


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str | None]] = []  # (src, alt)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            values = dict(attrs)
            self.found.append((values.get("src") or "", values.get("alt")))


def alt_rule(item: Checked, settings: CheckSettings) -> list[Problem]:
    doc = item.doc
    problems: list[Problem] = []
    if "<img" in item.body_html:
        parser = _Images()
        parser.feed(item.body_html)
        refs = {ref.target: ref for ref in doc.refs}
        for src, alt in parser.found:
            if alt and alt.strip():
                continue
            written, line = src, 0
            if src.startswith(SITE_PREFIX):
                ref = refs.get(unquote(src[len(SITE_PREFIX):].split("?")[0].split("#")[0]))
                if ref is not None:
                    written, line = ref.written, ref.line
            if not line:
                line = _text_line(item.text, written, 1)
            problems.append(warning(doc.source, line, "image_alt_missing", image=written))
    if doc.image and not (doc.image_alt or "").strip():
        problems.append(warning(doc.source, _line(doc, "image", "gambar"), "image_alt_field_missing"))
    if not doc.image:
        for spec in ARTICLE_FIELDS:
            if spec.name in ("image_caption", "image_credit") and getattr(doc, spec.name):
                problems.append(warning(doc.source, _line(doc, spec.name, *spec.aliases),
                                        "image_caption_without_image", field=spec.name))
    return problems


RULES = (summary_rule, title_rule, alt_rule)


def run_rules(items: list[Checked], settings: CheckSettings) -> list[Problem]:
    problems: list[Problem] = []
    for item in items:
        for rule in RULES:
            problems.extend(rule(item, settings))
    return problems
