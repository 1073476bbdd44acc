"""From parsed documents to site models: what is published, in which order, under which URL.

Also the workspace-wide checks that need every document at once: two sources
claiming one URL, page slugs that clash with kimsite's own addresses, and links
to sources or files that do not exist.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from kimsite.workspace.config import SiteConfig
from kimsite.base.dates import zone
from kimsite.model.model import Document, SiteModel, Term
from kimsite.model.picture_refs import closest_file, is_picture_name, missing_pictures
from kimsite.base.messages import Part
from kimsite.base.problems import Problem, error, warning
from kimsite.base.urls import GENERATED_FOLDERS, Urls, term_slug

RESERVED_PAGE_SLUGS = GENERATED_FOLDERS | {"feed", "atom"}  # and the names of the feeds beside them
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True, slots=True)
class PublishOptions:
    now: datetime
    drafts: bool = False
    future: bool = False


def left_out_as(doc: Document, options: PublishOptions) -> str | None:
    """Why the build leaves `doc` out ("draft", "future"), or None when it publishes it: the one
    publication rule."""
    if doc.draft and not options.drafts:
        return "draft"
    if doc.date is not None and doc.date > options.now and not options.future:
        return "future"
    return None


def is_published(doc: Document, options: PublishOptions) -> bool:
    return left_out_as(doc, options) is None


@dataclass(frozen=True, slots=True)
class PublicationCounts:
    """What the publication rule makes of a list of documents at one moment: the drafts and
    future-dated documents it leaves out, and when time alone next changes that (the earliest
    date after that moment, as a timestamp; infinity when none)."""

    drafts: int
    future: int
    next_due: float


def publication_counts(docs: list[Document], options: PublishOptions) -> PublicationCounts:
    drafts = future = 0
    next_due = math.inf
    now = options.now
    for doc in docs:
        reason = left_out_as(doc, options)
        if reason == "draft":
            drafts += 1
        elif reason == "future":
            future += 1
        if doc.date is not None and doc.date > now:
            next_due = min(next_due, doc.date.timestamp())
    return PublicationCounts(drafts, future, next_due)


def assemble_site(config: SiteConfig, docs: list[Document], files: list[str], options: PublishOptions,
                  tz_name: str) -> SiteModel:
    tz = zone(tz_name)
    published = [doc for doc in docs if left_out_as(doc, options) is None]
    articles = [d for d in published if d.file_role == "article"]
    if all(d.date is not None for d in articles):
        # Document.sort_key (newest first, then by path) in two stable passes of C-level keys
        articles.sort(key=attrgetter("source"))
        articles.sort(key=attrgetter("date"), reverse=True)
    else:
        articles.sort(key=lambda d: d.sort_key)
    # Dates are shown and grouped in the workspace timezone.
    if any((d.date is not None and d.date.tzinfo is not tz) or (d.updated is not None and d.updated.tzinfo is not tz)
           for d in articles):
        articles = [_in_zone(doc, tz) for doc in articles]
    pages = sorted((d for d in published if d.file_role == "page"), key=lambda d: (d.menu_order, d.title, d.source))
    model = SiteModel(config=config, articles=tuple(articles), pages=tuple(pages),
                      media=tuple(sorted(files)))
    model.categories = _terms(articles, lambda d: (d.category,) if d.category else ())
    model.tags = _terms(articles, lambda d: d.tags)
    by_year: dict[int, list[Document]] = defaultdict(list)
    for doc in articles:
        by_year[doc.date.year].append(doc)
    model.years = tuple((year, tuple(by_year[year])) for year in sorted(by_year, reverse=True))
    for index, doc in enumerate(articles):
        newer = articles[index - 1] if index > 0 else None
        older = articles[index + 1] if index + 1 < len(articles) else None
        model.neighbours[doc.source] = (older, newer)
    return model


def _in_zone(doc: Document, tz) -> Document:
    changes = {}
    if doc.date is not None and doc.date.tzinfo is not tz:
        changes["date"] = doc.date.astimezone(tz)
    if doc.updated is not None and doc.updated.tzinfo is not tz:
        changes["updated"] = doc.updated.astimezone(tz)
    return doc._replace(**changes) if changes else doc


def _terms(articles: list[Document], names_of) -> tuple[Term, ...]:
    groups: dict[str, list[Document]] = {}
    spellings: dict[str, set[str]] = {}
    for doc in articles:
        for name in names_of(doc):
            slug = term_slug(name)
            group = groups.get(slug)
            if group is None:
                groups[slug], spellings[slug] = [doc], {name}
                continue
            if group[-1] is not doc:
                group.append(doc)
            spellings[slug].add(name)
    return tuple(Term(min(spellings[slug]), slug, tuple(groups[slug])) for slug in sorted(groups))


def locate(model: SiteModel, urls: Urls) -> dict[str, str]:
    """Location of every document of a site, by source path."""
    located = {}
    for doc in model.articles:
        located[doc.source] = urls.article(model.slug, doc.date, doc.slug)
    for doc in model.pages:
        located[doc.source] = urls.page(model.slug, doc.slug)
    return located


def logo_problems(config: SiteConfig, file_rels: set[str]) -> list[Problem]:
    """A logo named in the site file that is not in the KIM's folder (the icons then show the
    KIM's initials), or is there under another case (it would be missing once published)."""
    logo = config.logo
    if not logo or logo.lower().startswith(("http://", "https://")) or logo in file_rels:
        return []
    same = sorted(rel for rel in file_rels if rel.lower() == logo.lower())
    if same:
        return [warning(config.file, config.logo_line, "logo_wrong_case", target=logo, site=config.slug,
                        found=same[0])]
    return [warning(config.file, config.logo_line, "logo_missing", target=logo, site=config.slug)]


def check_site(model: SiteModel, all_docs: list[Document], urls: Urls, file_rels: set[str],
               located: dict[str, str]) -> list[Problem]:
    """Reserved page slugs, URL collisions (also by case or Unicode form), broken local links and
    a missing logo.
    `located` is what locate() returned for the model."""
    problems: list[Problem] = []
    claimed: dict[str, Document] = {}
    for doc in (*model.pages, *model.articles):
        if doc.file_role == "page" and (doc.slug in RESERVED_PAGE_SLUGS or _YEAR.match(doc.slug)):
            problems.append(error(doc.source, doc.line("slug") or 1, "slug_reserved", value=doc.slug))
            continue
        location = located[doc.source]
        # NFKC leaves ASCII alone, and casefold() of ASCII is lower()
        key = location.lower() if location.isascii() else unicodedata.normalize("NFKC", location).casefold()
        other = claimed.get(key)
        if other is not None:
            url = urls.url(location)
            problems.append(error(doc.source, doc.line("slug") or 1, "url_conflict", url=url, other=other.source))
            problems.append(error(other.source, other.line("slug") or 1, "url_conflict", url=url,
                                  other=doc.source))
        else:
            claimed[key] = doc

    problems.extend(file_conflicts(model.slug, file_rels, {doc.slug for doc in model.pages}))
    problems.extend(logo_problems(model.config, file_rels))
    published = {doc.rel for doc in (*model.articles, *model.pages)}
    existing = {doc.rel for doc in all_docs}
    for doc in (*model.articles, *model.pages):
        problems.extend(missing_pictures(doc, file_rels))
        for ref in doc.refs:
            line = ref.line or None
            if ref.target_type == "md":
                if ref.target not in existing:
                    meant = closest_file(ref.target, existing, lambda rel: True)
                    hint = Part("hint_did_you_mean", (("suggestion", meant),)) if meant else ""
                    problems.append(warning(doc.source, line, "link_missing_article", target=ref.written, hint=hint))
                elif ref.target not in published:
                    problems.append(warning(doc.source, line, "link_draft", target=ref.written))
            elif ref.target not in file_rels and ref.target not in published and not is_picture_name(ref.target):
                problems.append(warning(doc.source, line, "link_missing", target=ref.written))
    return problems


GENERATED_FILES = frozenset({"index.html", "feed.xml", "atom.xml", "agenda.ics", "icon-32.png", "icon-192.png"})
GENERATED_FOLDERS = frozenset({"kategori", "tag", "arsip", "profil", "cek-fakta", "agenda", "potensi-desa"})


def file_conflicts(site: str, files: set[str], page_slugs: set[str]) -> list[Problem]:
    """Files of a KIM that would land on an address kimsite generates (and so are never published)."""
    problems: list[Problem] = []
    for rel in sorted(files):
        first, name = rel.split("/", 1)[0], rel.rsplit("/", 1)[-1]
        generated_folder = first in GENERATED_FOLDERS or first in page_slugs or first == "halaman" \
            or (len(first) == 4 and first.isdigit())
        clash = rel in GENERATED_FILES or ("/" in rel and generated_folder and name in GENERATED_FILES)
        if clash:
            problems.append(warning(f"content/{site}/{rel}", None, "file_url_conflict", url=f"{site}/{rel}"))
    return problems


@dataclass
class AssembledKim:
    model: SiteModel
    located: dict[str, str]  # where each of its documents is published
    problems: list[Problem]
    counts: PublicationCounts  # what the publication rule left out, and when that changes


def assemble_kim(site: SiteConfig, docs: list[Document], files: list[str], publish: PublishOptions, urls: Urls,
                 kept: dict[str, tuple] | None) -> AssembledKim:
    """One KIM's model, its documents' locations and its problems. `kept` (a session's, or the
    records of the cache) holds them while everything they are made from is the same and the
    clock has not passed any of its documents' dates since (nor gone back before the moment they
    were assembled for)."""
    key = None
    moment = publish.now.timestamp()
    if kept is not None:
        # its settings, its documents (a digest covers a source's bytes, path and parse
        # settings), its files, the publication options and where sites are published
        key = (site.fingerprint, " ".join(doc.digest for doc in docs), tuple(files), publish.drafts,
               publish.future, urls.places)
        found = kept.get(site.slug)
        if found is not None and found[0] == key and found[1] <= moment < found[2].counts.next_due:
            assembled = found[2]
            if assembled.model.config is not site:  # (read from the cache: the same settings, by fingerprint)
                assembled.model.config = site
            return assembled
    model = assemble_site(site, docs, files, publish, urls.timezone)
    located = locate(model, urls)
    assembled = AssembledKim(model, located, check_site(model, docs, urls, set(files), located),
                             publication_counts(docs, publish))
    if kept is not None:
        kept[site.slug] = (key, moment, assembled)
    return assembled
