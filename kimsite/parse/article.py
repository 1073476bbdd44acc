"""Parsing one Markdown source: a pure function of its bytes and the parse settings.

Nothing here reads the file system or the clock, so results can be cached by
content hash and computed in any process.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from kimsite.base import links
from kimsite.schema.aliases import read_aliases
from kimsite.base.dates import zone
from kimsite.schema.fields import ARTICLE_FIELDS, PAGE_FIELDS, TYPE_FIELDS, FieldSpec, read_fields, unfold_editor_forms
from kimsite.base.foreign import template_problems
from kimsite.schema.frontmatter import decode_text, split_front_matter
from kimsite.schema.article_types import check_type_fields
from kimsite.parse.markup import excerpt, render_markdown, word_count
from kimsite.model.model import Document, SourceFile, shared_lines
from kimsite.base.problems import Problem, error, warning
from kimsite.base.slugs import VALID_SLUG, slug_from_filename, slugify
from kimsite.base.yamlio import load_mapping, salvage

PARSER_VERSION = "9"
# A slug written as a path ("../../index", "a/b", "a\\b", "%2e%2e") is a mistake, not a name.
_PATH_LIKE = re.compile(r"[/\\]|\.\.|%(?:2e|2f|5c)", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:/")  # a path on the author's own computer (C:\\Users\\...)
_ALL_TYPE_KEYS = frozenset(key for specs in TYPE_FIELDS.values() for spec in specs
                           for key in (spec.name, *spec.aliases))


@dataclass(frozen=True, slots=True)
class ParseSettings:
    timezone: str
    dialect: str  # "default" or "gfm"
    lang: str
    fingerprint: str = field(init=False)  # read for every source of every build: made once

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", f"{PARSER_VERSION}:{self.timezone}:{self.dialect}:{self.lang}")


@dataclass(frozen=True, slots=True)
class ParsedSource:
    document: Document | None
    body_html: str
    problems: tuple[Problem, ...]

    # Stored in the build cache by the thousand: rebuilt from a plain tuple, faster to load
    # than the dataclass default, which looks up the fields of every object.
    def __reduce__(self) -> tuple:
        return (ParsedSource, (self.document, self.body_html, self.problems))


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def source_digest(raw_hash: str, settings: ParseSettings, path: str) -> str:
    """Key of a parse result: the bytes (by hash), where they live, and how they are read."""
    text = f"{raw_hash}\0{path}\0{settings.fingerprint}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def parse_source(source: SourceFile, raw: bytes, settings: ParseSettings,
                 raw_hash: str | None = None) -> ParsedSource:
    """Parse an article or static page; problems name the source file and line. `raw_hash` is
    content_hash(raw) when the caller has it already."""
    file = source.path
    text, problems = decode_text(raw, file)
    if text is None:
        return ParsedSource(None, "", tuple(problems))
    split, split_problems = split_front_matter(text, file)
    problems.extend(split_problems)
    if split is None:
        return ParsedSource(None, "", tuple(problems))
    doc, yaml_problems = load_mapping(split.front_matter, file, split.front_matter_line)
    problems.extend(yaml_problems)
    yaml_broken = doc is None
    if doc is None:  # read the rest anyway: one YAML error must not hide the file's other problems
        doc = salvage(split.front_matter, file, split.front_matter_line, problems)
        if doc is None:
            problems.extend(template_problems(split.body, split.body_line, file))
            return ParsedSource(None, "", tuple(problems))

    tz = zone(settings.timezone)
    is_page = source.file_role == "page"
    if not is_page:
        problems.extend(unfold_editor_forms(doc, file))
    specs: tuple[FieldSpec, ...] = PAGE_FIELDS if is_page else ARTICLE_FIELDS
    type_name = "halaman"
    type_values: dict[str, Any] = {}
    if not is_page:
        declared = doc.data.get("type", doc.data.get("jenis"))
        type_name = str(declared).strip().lower() if isinstance(declared, str) else "berita"
        if type_name not in TYPE_FIELDS:
            type_name = "berita"  # the bad value itself is reported by read_fields
        specs = specs + TYPE_FIELDS[type_name]
    values, field_problems = read_fields(doc, specs, file, tz, default_line=1,
                                         known_extra=frozenset() if is_page else _ALL_TYPE_KEYS)
    # a required key may be on the line YAML could not read: that line's error says enough
    problems.extend(p for p in field_problems if not (yaml_broken and p.code == "field_required"))
    if not is_page:
        own_keys = {spec.name for spec in TYPE_FIELDS[type_name]}
        type_values = {key: values.pop(key) for key in list(values) if key in own_keys}
        type_values, type_problems = check_type_fields(type_name, type_values, file, doc.lines, 1)
        problems.extend(type_problems)
        for key in doc.data:
            if str(key) in _ALL_TYPE_KEYS and str(key) not in own_keys and not _alias_of(str(key), own_keys):
                problems.append(warning(file, doc.lines.get(str(key)), "field_other_type", field=key,
                                        type=type_name))

    aliases: tuple[str, ...] = ()
    if "aliases" in values:
        aliases, alias_problems = read_aliases(values.pop("aliases"), file,
                                               doc.lines.get("aliases", doc.lines.get("alamat_lama")))
        problems.extend(alias_problems)

    problems.extend(template_problems(split.body, split.body_line, file))
    if any(p.severity == "error" for p in problems):
        return ParsedSource(None, "", tuple(problems))

    stem = posixpath.splitext(posixpath.basename(source.rel))[0]
    slug = _choose_slug(values.get("slug"), stem, file, doc.lines.get("slug", 1), problems)
    if slug is None:
        return ParsedSource(None, "", tuple(problems))

    updated = values.get("updated")
    if updated is not None and values.get("date") is not None and updated < values["date"]:
        problems.append(warning(file, doc.lines.get("updated", doc.lines.get("diperbarui")),
                                "date_updated_before"))
        updated = None

    body_html, body_warning = render_markdown(split.body, settings.dialect, settings.lang)
    if body_warning:
        problems.append(warning(file, split.body_line, body_warning))
    source_dir = posixpath.dirname(source.rel)
    body_html, refs, escaping = links.localize(body_html, source_dir)
    refs = tuple(replace(ref, line=links.line_of(split.body, split.body_line, ref.written)) for ref in refs)
    for link in escaping:
        problems.append(warning(file, links.line_of(split.body, split.body_line, link.written),
                                "link_outside", target=link.written))

    image = values.get("image")
    if image and not image.lower().startswith(("http://", "https://")):
        local = image.replace("\\", "/")  # Windows-style "media\\foto.jpg"
        target = posixpath.normpath(posixpath.join(source_dir, local))
        if target.startswith("../") or target == ".." or target.startswith("/") or _DRIVE.match(local):
            problems.append(warning(file, doc.lines.get("image", doc.lines.get("gambar")), "link_outside",
                                    target=image))
            image = None
        else:
            image = target

    summary = values.get("summary") or ""
    lines = shared_lines(tuple(sorted(doc.lines.items())))
    document = Document(
        file_role=source.file_role, site=source.site, source=file, rel=source.rel, slug=slug,
        title=values["title"], date=values.get("date"), updated=updated,
        summary=summary or excerpt(body_html), summary_given=bool(summary),
        category=_shared(values.get("category")), tags=tuple(map(_shared, values.get("tags", ()))),
        author=_shared(values.get("author")),
        image=image, image_alt=values.get("image_alt"), draft=bool(values.get("draft", False)),
        type=type_name, fields=tuple(sorted(type_values.items())),
        menu_order=values.get("menu_order", 100), in_menu=values.get("menu", True),
        refs=refs, digest=source_digest(raw_hash or content_hash(raw), settings, file), words=word_count(split.body),
        lines=lines, aliases=aliases,
        image_caption=values.get("image_caption"), image_credit=values.get("image_credit"),
    )
    return ParsedSource(document, body_html, tuple(problems))


def _shared(text: Any) -> Any:
    """A category, tag or author name as the one string of its value: a KIM uses a few dozen
    of them across its articles, and the cache's record of the KIM then stores each once."""
    return sys.intern(text) if type(text) is str else text


def _alias_of(key: str, names: set[str]) -> bool:
    return any(key in spec.aliases for specs in TYPE_FIELDS.values() for spec in specs if spec.name in names)


def _choose_slug(given: str | None, stem: str, file: str, line: int, problems: list[Problem]) -> str | None:
    if given is not None:
        slug = slugify(given)
        if not slug or not VALID_SLUG.match(slug) or _PATH_LIKE.search(given):
            problems.append(error(file, line, "slug_invalid", value=given))
            return None
        return slug
    slug = slug_from_filename(stem)
    if not slug:
        problems.append(error(file, 1, "slug_invalid", value=stem))
        return None
    return slug
