"""Dependency tokens: the values that decide whether an output must be rendered again.

An output's `deps` (kimsite.outputs.contract.Output) hold tokens covering everything its bytes
depend on besides its renderer and arguments. Its signature hashes them with the global token,
and an incremental build renders exactly the outputs whose signature changed since the last
build (kimsite.plan). A token must change whenever what it covers changes (a missed change
publishes a stale page) and should change for nothing else (a needless change costs a render).
A token is a short hash made by `token()`, or a tuple of plain values and such hashes (cheaper
to make; the signature hashes it all the same).

Made here, from what the stages up to outputs/ hold:

- `token(*parts)`: the one primitive, a short hash of the parts; `digest_token(data)` hashes
  bytes already joined (cheaper than a tuple's repr for thousands of parts).
- `code_fingerprint()`: kimsite's own code (its version, and every module's size and time).
- `global_token(...)`: what every output depends on: the code, the workspace settings, the
  themes, whether one KIM alone is built, and the portal's settings.
- `templates_token(config)`: the folder of compiled templates (the code, and the settings the
  filters read while Jinja compiles).
- `site_token(model, locations)`: what every page of a KIM shows: its settings, its menu and
  the article-type sections it has.
- `file_token(view, doc)`: the KIM files a document shows (by content hash) and the addresses
  of the sources it links; `kim_file_token(view, site, rel)`: one such file.
- `listed_token(view, docs)`: the documents a list page shows, each with its `file_token`.
- `site_plan_key(view, model, cards)`: everything a KIM's own outputs are planned from (a
  remembered plan is reused while it is unchanged).

Made where their data is, from `token()`, because this module may not import later stages:

- media/images.py `SETTINGS`, `PLAIN_SETTINGS`: picture widths, sizes and qualities.
- media/og_card.py `card_token()`: the card drawing code and the fonts found (a tuple).
- pages/kim_pages.py: a KIM's categories, tags and years shown on its home page.
- pages/kind_pages.py `portal_sections_token(view)`: which portal sections (Cek Fakta, Agenda,
  Potensi Desa) exist, found from the documents of each type across the portal; the token of
  a scope (a KIM's site token, or that one for the portal); a product's first photo.
- pages/sitewide.py: the sitemap's list of pages with their dates.
- portal/model.py: the tokens of an entry, a member and the portal's data; portal/pages.py
  `chrome_token`, `stats_token` and the kecamatan list; portal/exports.py the summaries.

Alike but not tokens: `Document.digest` (parse/article.py: a source's bytes, path and parse
settings; it also names the body HTML), the settings' and themes' `fingerprint`s (workspace/),
the no-change key of write/freshness.py (sizes and times of every input, before any parsing)
and `Output.signature`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from kimsite import __version__

if TYPE_CHECKING:  # types only: a no-change build imports this module and should stay quick
    from kimsite.model.model import Document, SiteModel
    from kimsite.outputs.contract import BuildView
    from kimsite.workspace.config import SiteConfig, WorkspaceConfig


def token(*parts: object) -> str:
    return digest_token(repr(parts).encode())


def digest_token(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=10).hexdigest()


_CODE_FINGERPRINT: list[str] = []


def code_fingerprint() -> str:
    """Changes when kimsite's own code changes (an upgrade, or a local edit of the package)."""
    if not _CODE_FINGERPRINT:
        package = str(Path(__file__).resolve().parents[1])  # the kimsite package
        _CODE_FINGERPRINT.append(token(__version__, sorted(files_under(package))))
    return _CODE_FINGERPRINT[0]


def files_under(folder: str, suffixes: tuple[str, ...] = (".py",), prefix: str = "") -> Iterable[tuple[str, int, int]]:
    """(path relative to `folder`, size, time) of every file below it whose name ends in one of
    `suffixes`: the modules of a package (one `stat` each: a no-change build makes this
    fingerprint of kimsite's own)."""
    with os.scandir(folder) as listing:
        for item in listing:
            if item.is_dir(follow_symlinks=False):
                yield from files_under(item.path, suffixes, f"{prefix}{item.name}/")
            elif item.name.endswith(suffixes):
                info = item.stat()
                yield f"{prefix}{item.name}", info.st_size, info.st_mtime_ns


def global_token(config: WorkspaceConfig, theme_fingerprints: dict[str, str], single_site: bool,
                 portal: SiteConfig | None) -> str:
    return token(code_fingerprint(), config.fingerprint, sorted(theme_fingerprints.items()), single_site,
                 portal.fingerprint if portal else None)


def templates_token(config: WorkspaceConfig) -> str:
    """Compiled templates depend on more than their source: kimsite's code (environment options)
    and the settings filters read, since Jinja evaluates filters of constants while compiling
    (`''|url` becomes the base path)."""
    return token(code_fingerprint(), config.language, config.timezone, config.base_path)


def site_token(model: SiteModel, locations: dict[str, str]) -> str:
    """Covers what every page of the KIM shows: its settings, its menu and its sections."""
    menu = tuple((doc.title, locations[doc.source]) for doc in model.pages if doc.in_menu)
    return token(model.config.fingerprint, menu, model.section_types())


def kim_file_token(view: BuildView, site: str, rel: str | None) -> tuple:
    """A file of a KIM (relative to its folder) and its content hash; () for none."""
    return (rel, view.file_hashes.get(site, {}).get(rel)) if rel else ()


def file_token(view: BuildView, doc: Document) -> tuple:
    """Content hashes of the KIM files a document refers to (images, media): pages that show
    them (e.g. with their dimensions) must re-render when they change."""
    photos = doc.field("foto") or ()
    if not doc.refs and not doc.image and not photos:
        return ()
    hashes = view.file_hashes.get(doc.site, {})
    targets = [ref.target for ref in doc.refs if ref.target_type == "file"]
    if doc.image:
        targets.append(doc.image)
    targets.extend(photos)
    # Links to other Markdown sources show those sources' URLs, which move on a rename or slug change.
    md_urls = view.md_urls.get(doc.site, {})
    linked = tuple((ref.target, md_urls.get(ref.target)) for ref in doc.refs if ref.target_type == "md")
    return tuple((target, hashes.get(target)) for target in targets) + linked


def listed_token(view: BuildView, docs: Iterable[Document]) -> tuple:
    """What list pages show of their articles: the text and the thumbnail's picture."""
    return tuple((doc.digest, file_token(view, doc)) for doc in docs)


def site_plan_key(view: BuildView, model: SiteModel, cards: tuple) -> str:
    """Everything a KIM's own outputs (kim_pages.plan_site, feeds.plan_site_feeds, the share
    cards of previews.plan_previews) are planned from: build-wide settings, code and themes
    (global token), where sites are published, the KIM's settings and menu (site token), its
    published documents (a digest covers a source's bytes, path and parse settings; the order
    covers publication), its files, and what its share cards are drawn with (`cards`:
    kimsite.media.og_card.card_token)."""
    urls = view.urls
    # A digest covers its source's path too; joined strings hash faster than tuples' repr.
    return token(view.global_token, urls.places,
                 view.site_tokens[model.slug], " ".join(d.digest for d in model.articles),
                 " ".join(d.digest for d in model.pages), model.media,
                 sorted(view.file_hashes.get(model.slug, {}).items()), cards)
