"""`kimsite import`: an export (or a full-content feed) becomes a KIM's content folder.

Steps: read the source safely -> recognise Blogger, WordPress or a feed -> decide each entry's
file (never overwriting a file the importer did not write) -> clean the HTML -> bring the
pictures home -> write Markdown files -> report what was imported, skipped and why.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from kimsite.schema.aliases import is_valid_alias
from kimsite.model.assemble import RESERVED_PAGE_SLUGS
from kimsite.workspace.config import WorkspaceConfig, load_workspace_config
from kimsite.base.dates import zone
from kimsite.fetch.fetch_http import FetchError, download
from kimsite.schema.frontmatter import MAX_SOURCE_BYTES
from kimsite.importer import blogger, feed, wordpress
from kimsite.importer.entries import Entry, Export
from kimsite.importer.existing import ImportedIndex, scan_folder
from kimsite.importer.html_to_md import Body, prepare
from kimsite.importer.pictures import PictureResults, PictureSettings, bring_home, is_old_blog_picture
from kimsite.importer.shortcodes import expand
from kimsite.importer.sitefile import ensure_site_file
from kimsite.importer.writer import document, write_file
from kimsite.importer.xmlread import MAX_EXPORT_BYTES, ExportRefused, parse_xml
from kimsite.base.messages import Part
from kimsite.base.problems import KimsiteError, error
from kimsite.base.slugs import VALID_SLUG, slugify

# Problems that mean the command line was wrong (exit code 2), not the workspace or the export.
USAGE_PROBLEMS = frozenset({"import_bad_kim", "import_needs_kecamatan"})
NO_CATEGORY = {"uncategorized", "uncategorised", "tak berkategori", "tidak berkategori", "tanpa kategori"}
MAX_FEED_PAGES = 200  # 100,000 posts at Blogspot's 500 a page
MAX_CATEGORY, MAX_TAG, MAX_TAGS, MAX_TITLE, MAX_SUMMARY = 80, 120, 30, 300, 2000
_TAG = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_UNTITLED_SLUG = re.compile(r"blog-post(?:_\d+)?")  # Blogger's address for a post without a title


@dataclass(frozen=True)
class ImportOptions:
    source: str  # a file path or an http(s) address of a full-content feed
    kim: str
    kecamatan: str = ""  # for a KIM that has no sites/<kim>.yaml yet
    name: str = ""
    images: bool = True
    update: bool = False
    dry_run: bool = False
    category_map: tuple[tuple[str, str], ...] = ()  # old label -> kimsite category
    image_hosts: tuple[str, ...] = ()  # more hosts whose pictures come home
    jobs: int = 4
    max_bytes: int = MAX_EXPORT_BYTES


@dataclass
class Written:
    path: str  # workspace-relative
    entry: Entry
    action: str  # "new" or "replaced"
    new_location: str  # the article's location under the KIM ("2019/05/slug/")


@dataclass
class ImportResult:
    export: Export
    written: list[Written] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> count (the export's own included)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)  # (file, reason) for existing files
    pictures: PictureResults = field(default_factory=PictureResults)
    pictures_wanted: int = 0
    kept_shortcodes: list[tuple[str, str]] = field(default_factory=list)  # (file, shortcode name)
    site_created: str = ""


@dataclass
class _Planned:
    entry: Entry
    path: Path  # where the file goes
    action: str  # "new" or "replaced"
    slug: str
    date: datetime | None
    body: Body | None = None
    kept: list[str] = field(default_factory=list)  # shortcodes left as text


def run_import(root: Path, options: ImportOptions) -> ImportResult:
    """Import `options.source` into content/<kim>/ of the workspace at `root`. Raises KimsiteError
    when the workspace, the KIM or the export cannot be used."""
    root = root.resolve()
    config = _workspace(root)
    if not VALID_SLUG.match(options.kim):
        raise KimsiteError([error("", None, "import_bad_kim", value=options.kim)])
    export = _read_export(root, options, config)
    result = ImportResult(export, skipped=Counter(export.skipped))
    site_file = ensure_site_file(root, options.kim, export, options, write=not options.dry_run)
    result.site_created = site_file
    folder = root / "content" / options.kim
    _refuse_links_outside(root, folder)
    index = scan_folder(folder)
    tz = zone(config.timezone)

    planned: list[_Planned] = []
    for entry in export.entries:
        plan = _plan_entry(entry, folder, index, options, tz, result)
        if plan is None:
            continue
        html = entry.html
        if export.format == "wordpress":
            html, plan.kept = expand(html, entry.source_id, export.attachments)
        plan.body = prepare(html, entry.old_url or export.url, autop=export.format == "wordpress")
        planned.append(plan)

    wanted = [url for plan in planned for url in plan.body.pictures()
              if is_old_blog_picture(url, options.image_hosts)]
    result.pictures_wanted = len(set(wanted))
    if options.images and wanted and not options.dry_run:
        result.pictures = bring_home(wanted, PictureSettings(folder / "media", config.fetch_timeout,
                                                             config.allow_hosts, options.jobs))
    new_files = {_comparable(plan.entry.old_url): plan for plan in planned if plan.entry.old_url}
    for plan in planned:
        text = _document(plan, result.pictures, new_files, folder, options)
        rel = plan.path.relative_to(root).as_posix()
        if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
            result.skipped["too_large"] += 1
            result.skipped_files.append((rel, "too_large"))
            continue
        if not options.dry_run:
            write_file(plan.path, text.encode("utf-8"))
        location = f"{plan.date:%Y/%m}/{plan.slug}/" if plan.entry.kind == "article" and plan.date else \
            f"{plan.slug}/"
        result.written.append(Written(rel, plan.entry, plan.action, location))
        result.kept_shortcodes.extend((rel, name) for name in plan.kept)
    return result


def _refuse_links_outside(root: Path, folder: Path) -> None:
    """Never write through a symbolic link that leaves the workspace (content/<kim>, its
    halaman/ or media/ pointing elsewhere)."""
    for place in (root / "content", folder, folder / "halaman", folder / "media"):
        if place.exists() and not place.resolve().is_relative_to(root):
            raise KimsiteError([error(place.relative_to(root).as_posix(), None, "symlink_outside",
                                      target=str(place.resolve()))])


def _workspace(root: Path) -> WorkspaceConfig:
    config, problems = load_workspace_config(root)
    if config is None:
        raise KimsiteError(problems)
    return config


def _read_export(root: Path, options: ImportOptions, config: WorkspaceConfig) -> Export:
    source = options.source
    shown = source
    try:
        if source.lower().startswith(("http://", "https://")):
            return _read_feed_pages(source, options, config)
        path = Path(source)
        shown = path.as_posix()
        if not path.is_file():
            raise ExportRefused("import_no_file")
        size = path.stat().st_size
        if size > options.max_bytes:
            raise ExportRefused("import_too_large", size=f"{size / 1048576:.0f}",
                                limit=f"{options.max_bytes / 1048576:.0f}")
        return _export_from(path.read_bytes(), options.max_bytes)
    except ExportRefused as exc:
        raise KimsiteError([error(shown, exc.details.get("row") or None, exc.code, **exc.details)]) from None
    except OSError as exc:
        raise KimsiteError([error(shown, None, "file_unreadable", reason=exc.strerror or str(exc))]) from None


def _export_from(data: bytes, max_bytes: int) -> Export:
    """The export in `data`, by what its XML is: Blogger, WordPress, or an RSS/Atom feed."""
    xml = parse_xml(data, max_bytes)
    if blogger.is_blogger(xml):
        return blogger.read_blogger(xml)
    namespace = wordpress.wxr_namespace(xml)
    if namespace:
        return wordpress.read_wordpress(xml, namespace)
    if feed.is_feed(xml):
        return feed.read_feed(xml)
    raise ExportRefused("import_unknown_format", root=xml.tag.rsplit("}", 1)[-1])


def _read_feed_pages(url: str, options: ImportOptions, config: WorkspaceConfig) -> Export:
    """A full-content feed, following its "next" links (Blogspot: 500 posts a page)."""
    seen = {url}
    export = _export_from(_download(url, options, config), options.max_bytes)
    page = export
    while page.next_page and page.next_page not in seen and len(seen) < MAX_FEED_PAGES:
        seen.add(page.next_page)
        page = _export_from(_download(page.next_page, options, config), options.max_bytes)
        if page.format != export.format or not page.entries:
            break
        export.entries.extend(page.entries)
        export.skipped.update(page.skipped)
    return export


def _download(url: str, options: ImportOptions, config: WorkspaceConfig) -> bytes:
    try:
        return download(url, timeout=max(config.fetch_timeout, 60.0), max_bytes=options.max_bytes,
                        allow_hosts=config.allow_hosts).body
    except FetchError as exc:
        raise ExportRefused("import_download_failed",
                            reason=Part("fetch_why_" + exc.reason, tuple(sorted(exc.details.items())))) from None


def _plan_entry(entry: Entry, folder: Path, index: ImportedIndex, options: ImportOptions, tz,
                result: ImportResult) -> _Planned | None:
    date = entry.date if entry.date is None or entry.date.tzinfo else entry.date.replace(tzinfo=tz)
    if date is not None and date.utcoffset() == timedelta(0):
        date = date.astimezone(tz)  # a feed's GMT time: shown as the KIM's own local time
    if entry.kind == "article" and date is None:
        result.skipped["no_date"] += 1
        return None
    if not entry.html.strip() and not entry.title:
        result.skipped["empty"] += 1
        return None
    earlier = index.by_identity.get(entry.identity) or (index.by_identity.get(entry.old_url) if entry.old_url
                                                         else None)
    if earlier is not None:
        rel = earlier.relative_to(folder.parent.parent).as_posix()
        if not options.update:
            result.skipped["already_imported"] += 1
            result.skipped_files.append((rel, "already_imported"))
            return None
        return _Planned(entry, earlier, "replaced", _slug_of(earlier, entry), date)
    hint = "" if _UNTITLED_SLUG.fullmatch(entry.slug_hint) else entry.slug_hint
    base = slugify(hint) or slugify(entry.title or _title_from(entry)) or "tulisan"
    if entry.kind == "page":
        if base in RESERVED_PAGE_SLUGS or re.fullmatch(r"\d{4}", base):
            base = f"{base}-halaman"
        slug = _free(base, lambda s: (folder / "halaman" / f"{s}.md").exists() or s in index.page_slugs)
        index.page_slugs.add(slug)
        return _Planned(entry, folder / "halaman" / f"{slug}.md", "new", slug, date)
    month = f"{date:%Y/%m}"
    slug = _free(base, lambda s: (month, s) in index.article_slots
                 or (folder / f"{date:%Y-%m-%d}-{s}.md").exists())
    index.article_slots.add((month, slug))
    return _Planned(entry, folder / f"{date:%Y-%m-%d}-{slug}.md", "new", slug, date)


def _slug_of(path: Path, entry: Entry) -> str:
    stem = path.stem
    return stem[11:] if entry.kind == "article" and re.match(r"\d{4}-\d{2}-\d{2}-", stem) else stem


def _free(base: str, taken) -> str:
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base[:70]}-{number}"
    return slug


def _comparable(url: str) -> str:
    """An old address without scheme, "www.", query or trailing slash, for matching links to it."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def _document(plan: _Planned, pictures: PictureResults, new_files: dict[str, _Planned], folder: Path,
              options: ImportOptions) -> str:
    entry = plan.entry
    here = plan.path.parent

    def relative(target: Path) -> str:
        return posixpath.relpath(target.as_posix(), here.as_posix())

    def picture(url: str) -> str:
        name = pictures.local.get(url)
        return relative(folder / "media" / name) if name else url

    def link(url: str) -> str:
        name = pictures.local.get(url)
        if name:
            return relative(folder / "media" / name)
        target = new_files.get(_comparable(url)) if url.startswith(("http://", "https://")) else None
        return relative(target.path) if target is not None and "#" not in url else url

    assert plan.body is not None
    body = plan.body.markdown(picture, link)
    first = plan.body.first_picture()
    title = entry.title or _title_from(entry)
    fields: list[tuple[str, object]] = [("title", title[:MAX_TITLE])]
    if entry.kind == "article":
        category, tags = _terms(entry, options.category_map)
        fields += [("date", plan.date), ("updated", entry.updated), ("author", entry.author),
                   ("category", category), ("tags", tags)]
    elif plan.date is not None:
        fields += [("date", plan.date), ("updated", entry.updated)]
    fields.append(("summary", _plain(entry.excerpt)[:MAX_SUMMARY]))
    if entry.kind == "article" and first:
        fields += [("image", picture(first[0])), ("image_alt", first[1])]
    fields += [("draft", True if entry.draft else None), ("aliases", _aliases(entry))]
    return document(fields, body)


def _aliases(entry: Entry) -> tuple[str, ...]:
    values = [entry.old_url] if entry.old_url else []
    if entry.identity != entry.old_url and entry.identity.startswith(("http://", "https://")):
        values.append(entry.identity)
    return tuple(value for value in values if is_valid_alias(value))


def _terms(entry: Entry, category_map: tuple[tuple[str, str], ...]) -> tuple[str, tuple[str, ...]]:
    mapping = {old.lower(): new for old, new in category_map}
    labels = [label for label in entry.categories if label.lower() not in NO_CATEGORY]
    chosen = next((label for label in labels if label.lower() in mapping), labels[0] if labels else "")
    category = mapping.get(chosen.lower(), chosen)
    others = [label for label in labels if label not in (chosen, category)] + list(entry.tags)
    tags = tuple(dict.fromkeys(tag[:MAX_TAG].strip() for tag in others if tag.strip()))[:MAX_TAGS]
    return category[:MAX_CATEGORY].strip(), tags


def _plain(html: str) -> str:
    import html as html_module

    html = _HIDDEN.sub(" ", html)
    return " ".join(html_module.unescape(_TAG.sub(" ", html)).split())


def _title_from(entry: Entry) -> str:
    """A title for a post that had none: its first words, or "Tanpa judul" and its date."""
    words = _plain(entry.html).split()
    if words:
        return " ".join(words[:8]) + ("…" if len(words) > 8 else "")
    return f"Tanpa judul {entry.date:%Y-%m-%d}" if entry.date else "Tanpa judul"
