"""Planning: every output of the build, by path, with its signature.

The planners run in the order written in `plan_outputs`, and each hands what it made to the
next through the build view: a KIM's own pages and feeds; the pictures (their sizes, for
pages and previews); the share previews; search pages, site icons; the article-type sections;
the portal; the editor; redirects at old addresses (last: every other output keeps its path);
then the root files, the KIMs' copied files, the theme's assets and the sitemap. The first
output planned for a path wins.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kimsite.base.problems import KimsiteError, Problem
from kimsite.base.urls import Urls
from kimsite.cms.publish import plan_admin
from kimsite.media import copies, icons, images, previews
from kimsite.media.og_card import card_token
from kimsite.model.model import SiteModel
from kimsite.outputs.contract import BuildView, Output, ViewMemo
from kimsite.outputs.tokens import global_token, site_plan_key, site_token
from kimsite.pages import feeds, kim_pages, kind_pages, search, sitewide
from kimsite.pages.redirects import plan_redirects
from kimsite.portal import plan_portal
from kimsite.workspace import themes
from kimsite.workspace.options import BuildOptions, Workspace

if TYPE_CHECKING:
    from kimsite.workspace.config import SiteConfig


class Plan(NamedTuple):
    view: BuildView  # what renderers read, with what the planners handed on
    outputs: list[Output]  # the outputs planned: the only ones that can need rendering
    signatures: dict[str, str]  # the signature of every output path
    site_plans: dict[str, tuple]  # each KIM's (plan key, [(path, signature, lastmod)]), to remember
    site_wide: dict[str, str]  # the signature of every output no KIM's plan names, to remember


def portal_of(workspace: Workspace, options: BuildOptions) -> SiteConfig | None:
    """The portal's site file, unless the build is of one KIM alone."""
    if options.site:
        return None
    return next((s for s in workspace.sites.values() if s.role == "portal"), None)


def make_view(workspace: Workspace, options: BuildOptions, urls: Urls, now: datetime,
              models: dict[str, SiteModel], locations: dict[str, str], chains: dict, built_sites: dict,
              environments: dict, file_hashes: dict, kept_members: dict | None = None
              ) -> tuple[BuildView, dict[str, Path]]:
    """The view planners and renderers read, and the theme's static files by name. `kept_members`:
    the portal's members a session keeps between builds (see kimsite.portal.model)."""
    config = workspace.config
    theme_tokens = {name: themes.fingerprint(chain) for name, chain in chains.items()}
    documents = {doc.source: doc for model in models.values() for doc in (*model.articles, *model.pages)}
    portal = portal_of(workspace, options)
    assets = {}
    static = themes.static_files(chains[config.theme])
    for name, path in static.items():
        digest = hashlib.blake2b(path.read_bytes(), digest_size=4).hexdigest()
        stem, dot, suffix = name.rpartition(".")
        assets[name] = f"assets/{stem}.{digest}.{suffix}" if dot else f"assets/{name}"
    site_theme = {slug: (s.theme if s.theme in chains else config.theme) for slug, s in built_sites.items()}
    site_theme[""] = config.theme
    view = BuildView(
        config=config, urls=urls, now=now, sites=models, site_configs=workspace.sites, portal=portal,
        single_site=options.site, documents=documents, locations=locations,
        md_urls=MarkdownUrls(models, urls, locations), assets=assets,
        global_token=global_token(config, theme_tokens, bool(options.site), portal),
        site_tokens={slug: site_token(model, locations) for slug, model in models.items()},
        environments=environments, site_theme=site_theme,
        file_hashes={site: {rel: digest for rel, _path, digest in entries} for site, entries in file_hashes.items()},
        search_enabled=bool(options.search or config.search),
        memo=ViewMemo(local_members=kept_members if kept_members is not None else {}),
    )
    return view, static


def file_problems(view: BuildView) -> list[Problem]:
    """The problems of the KIMs' files that planning finds (pictures that cannot be processed,
    SVG refused, misnamed pictures, name collisions): pictures are processed into the cache, as
    a writing build would; nothing is written to the output."""
    try:
        images.plan_images(view, copies.copy_problems(view))
    except KimsiteError as failed:
        return list(failed.problems)
    return []


class MarkdownUrls(dict):
    """KIM slug -> {Markdown source rel -> root-relative URL}, made for a KIM when first asked
    for: an edit build renders the pages of one KIM, and needs not 10,000 URLs."""

    def __init__(self, models: dict[str, SiteModel], urls: Urls, locations: dict[str, str]):
        super().__init__()
        self.models, self.urls, self.locations = models, urls, locations

    def __missing__(self, slug: str) -> dict[str, str]:
        model, url, locations = self.models[slug], self.urls.url, self.locations
        found = self[slug] = {doc.rel: url(locations[doc.source]) for doc in (*model.articles, *model.pages)}
        return found

    def get(self, slug: str, default: dict[str, str] | None = None) -> dict[str, str] | None:  # type: ignore[override]
        return self[slug] if slug in self.models else default

    def __contains__(self, slug: object) -> bool:
        return slug in self.models


def plan_outputs(view: BuildView, static: dict[str, Path], file_hashes: dict, previous_plans: dict) -> Plan:
    """Every output of the build, by path, with its signature.

    A KIM's own pages and feeds depend only on its documents, its files and the build-wide
    settings (see `site_plan_key`). When those are what the previous build planned (its plan,
    stored with what it published: see kimsite.build), its (path, signature) list is reused
    without planning its outputs again: a one-article edit re-plans one KIM, not all of them.
    """
    planned: list[Output] = []
    signatures: dict[str, str] = {}
    pages: list[tuple[str, str]] = []  # (path, lastmod) of every HTML page, for the sitemap
    site_plans: dict[str, tuple] = {}
    build_token = view.global_token

    def add(outputs: list[Output]) -> list[tuple[str, str, str]]:
        entries = []
        for output in outputs:
            if output.path in signatures:  # the first output planned for a path wins
                continue
            signature = output.signature(build_token)
            signatures[output.path] = signature
            planned.append(output)
            lastmod = sitewide.lastmod_of(view, output)
            if lastmod is not None:
                pages.append((output.path, lastmod))
            entries.append((output.path, signature, lastmod))
        return entries

    reused: set[str] = set()
    for slug, model in sorted(view.sites.items()):
        key = view.memo.site_plan_keys[slug] = site_plan_key(view, model, card_token())
        remembered = previous_plans.get(slug)
        if remembered is not None and remembered[0] == key and _unclaimed(remembered[1], signatures):
            for path, signature, lastmod in remembered[1]:
                signatures[path] = signature
                if lastmod is not None:
                    pages.append((path, lastmod))
            site_plans[slug] = remembered
            reused.add(slug)
            continue
        entries = add(kim_pages.plan_site(view, model) + feeds.plan_site_feeds(view, model, view.site_tokens[slug]))
        site_plans[slug] = (key, entries)

    kims_planned = len(signatures)  # the outputs after these are the site-wide ones (cards aside)
    copy_problems = copies.copy_problems(view)
    picture_outputs, pictures = images.plan_images(view, copy_problems)  # before anything showing a picture
    view = replace(view, images=pictures)
    add(picture_outputs)
    card_outputs, shared, site_cards = previews.plan_previews(view, frozenset(reused))
    view = replace(view, previews=shared)
    add(card_outputs)
    add(search.plan_search(view))
    add(icons.plan_icons(view))
    add(kind_pages.plan_kinds(view))  # Cek Fakta, Agenda and Potensi Desa of the KIMs and the portal
    add(plan_portal(view))
    add(plan_admin(view))  # the editor at /admin/ when the workspace has one
    add(plan_redirects(view))  # last of the optional parts: every other output keeps its path
    # Share cards drawn per article belong to their KIM's plan too (only KIMs planned above).
    for slug, cards in site_cards.items():
        site_plans[slug][1].extend((card.path, signatures[card.path], None) for card in cards)
    add(sitewide.plan_root(view, "index.html" in signatures))
    add(copies.plan_copies(view, file_hashes, copy_problems))
    add(sitewide.plan_assets({published: (str(static[name]), published)
                              for name, published in view.assets.items()}))
    view = replace(view, sitemap_pages=tuple(sorted(pages)))
    add([sitewide.sitemap_output(view, view.sitemap_pages)])
    site_wide = dict(islice(signatures.items(), kims_planned, None))
    for cards in site_cards.values():
        for card in cards:
            site_wide.pop(card.path, None)
    return Plan(view, planned, signatures, site_plans, site_wide)


def _unclaimed(entries: list[tuple], signatures: dict[str, str]) -> bool:
    """Whether no output planned so far claims a path of a remembered plan."""
    return not any(path in signatures for path, _signature, _lastmod in entries)
