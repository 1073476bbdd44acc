"""What the editor's configuration is made from: the workspace's settings, its KIMs and the
categories their articles already use, read with kimsite's own parser."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kimsite.parse.article import ParseSettings, parse_source
from kimsite.workspace.options import BuildOptions, load_workspace
from kimsite.lint.rules import load_settings
from kimsite.base.dates import zone, zone_label
from kimsite.model.model import SourceFile
from kimsite.workspace.sources import read
from kimsite.base.urls import term_slug


@dataclass(frozen=True)
class Kim:
    slug: str
    name: str
    kecamatan: str
    categories: tuple[str, ...]  # the spellings in use, most used first


@dataclass(frozen=True)
class EditorInputs:
    language: str  # "id" or "en"
    title: str
    timezone: str  # IANA name
    zone_name: str  # WIB, WITA, WIT or the zone's own label
    base_url: str
    summary_required: bool  # kimsite.yaml `check: summary_required` names categories
    kims: tuple[Kim, ...]


def read_inputs(root: Path) -> EditorInputs:
    """Raises KimsiteError when the workspace cannot be read at all (no kimsite.yaml, bad YAML)."""
    workspace = load_workspace(root, BuildOptions())
    config = workspace.config
    settings = ParseSettings(config.timezone, config.markdown, config.language)
    kims = []
    for slug, site in sorted(workspace.sites.items()):
        if not site.is_local_kim:
            continue
        used: Counter[str] = Counter()
        for entry in workspace.scan.content.get(slug, []):
            if entry.file_role != "article":
                continue
            parsed = parse_source(SourceFile(slug, entry.path, entry.rel, entry.file_role), read(root, entry), settings)
            if parsed.document is not None and parsed.document.category:
                used[parsed.document.category] += 1
        kims.append(Kim(slug, site.name, site.kecamatan, _one_spelling_each(used)))
    check, _ = load_settings(root)
    moment = datetime(2025, 1, 1, 12, tzinfo=zone(config.timezone))
    return EditorInputs(config.language, config.title, config.timezone, zone_label(moment, config.timezone),
                        config.base_url, bool(check.summary_required), tuple(kims))


def _one_spelling_each(used: Counter[str]) -> tuple[str, ...]:
    """Categories by use; spellings of one category ("Pertanian", "pertanian") count as one,
    shown as its most used spelling."""
    by_slug: dict[str, Counter[str]] = {}
    for name, count in used.items():
        by_slug.setdefault(term_slug(name), Counter())[name] += count
    ranked = sorted(by_slug.values(), key=lambda spellings: (-sum(spellings.values()), spellings.most_common(1)[0][0]))
    return tuple(spellings.most_common(1)[0][0] for spellings in ranked)
