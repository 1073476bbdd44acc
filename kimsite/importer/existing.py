"""What a KIM's folder already holds: files an earlier import wrote (recognised by their old
addresses in `aliases:`) and the article URLs and page slugs already taken."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kimsite.base.foreign import is_markdown
from kimsite.schema.frontmatter import decode_text, split_front_matter
from kimsite.base.slugs import date_prefix, slug_from_filename
from kimsite.base.yamlio import load_mapping

_DATE = re.compile(r"^(\d{4})-(\d{2})-")


@dataclass
class ImportedIndex:
    by_identity: dict[str, Path] = field(default_factory=dict)  # old address -> file that records it
    article_slots: set[tuple[str, str]] = field(default_factory=set)  # ("2019/05", slug) taken
    page_slugs: set[str] = field(default_factory=set)


def scan_folder(folder: Path) -> ImportedIndex:
    index = ImportedIndex()
    if not folder.is_dir():
        return index
    for path in sorted(found for found in folder.rglob("*") if is_markdown(found.name) and found.is_file()):
        rel = path.relative_to(folder)
        if rel.parts[0] == "media" or any(part.startswith(".") for part in rel.parts) or path.is_symlink():
            continue
        if len(rel.parts) == 2 and rel.parts[0] == "halaman":
            index.page_slugs.add(path.stem)
        else:
            month = _DATE.match(path.stem) if date_prefix(path.stem) else None
            if month:
                index.article_slots.add((f"{month.group(1)}/{month.group(2)}", slug_from_filename(path.stem)))
        for alias in _aliases(path):
            index.by_identity.setdefault(alias, path)
    return index


def _aliases(path: Path) -> list[str]:
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    if b"aliases" not in raw:
        return []
    text, _ = decode_text(raw, path.name)
    if text is None:
        return []
    split, _ = split_front_matter(text, path.name)
    if split is None:
        return []
    doc, _ = load_mapping(split.front_matter, path.name, split.front_matter_line)
    value = doc.data.get("aliases") if doc is not None else None
    if isinstance(value, str):
        value = [value]
    return [str(item).strip() for item in value or () if isinstance(item, str)]
