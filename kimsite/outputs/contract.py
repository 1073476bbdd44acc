"""What a build produces: one `Output` per file, and the shared view renderers read.

An output names its renderer, its arguments, and `deps`: small tokens
(document digests, page numbers, site tokens; kimsite.outputs.tokens) covering
everything its bytes depend on. The signature of an output is a hash of those; an
incremental build re-renders exactly the outputs whose signature changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from kimsite.workspace.config import SiteConfig, WorkspaceConfig
from kimsite.model.model import Document, SiteModel
from kimsite.base.urls import Urls
from kimsite.outputs.records import NO_PREVIEWS, NOT_READY, ImageIndex, PreviewIndex, ReadyIndex


@dataclass(frozen=True, slots=True)
class Output:
    path: str  # file path relative to the output folder
    renderer: str  # name of the renderer (see RENDERERS)
    site: str  # KIM or portal slug; "" for workspace-wide files
    params: tuple = ()
    deps: tuple = ()
    bodies: tuple[str, ...] = ()  # digests of the body HTML the renderer needs

    def signature(self, global_token: str) -> str:
        text = repr((self.renderer, self.site, self.params, self.deps, global_token))
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@dataclass
class ViewMemo:
    """Values computed once per build when first needed, each by the module named (shared by
    every page that shows them)."""

    site_views: dict = field(default_factory=dict)  # kimsite.pages.layout.site_view
    feed_items: dict = field(default_factory=dict)  # kimsite.pages.feeds, entries with their body
    feed_summaries: dict = field(default_factory=dict)  # kimsite.pages.feeds, entries without
    kind_documents: dict = field(default_factory=dict)  # kimsite.pages.kind_pages.documents_of
    documents_by_type: dict = field(default_factory=dict)  # kimsite.pages.kind_pages
    portal_data: Any = None  # kimsite.portal.model.portal_data (a PortalData)
    portal_summary: Any = None  # kimsite.portal.activity.summary_of (a Summary)
    site_plan_keys: dict = field(default_factory=dict)  # kimsite.plan.plan_outputs: each KIM's site_plan_key
    # kimsite.portal.model: the member made of each local KIM, with its plan key; a session's
    # dict when a process builds again and again (kimsite.build.BuildSession)
    local_members: dict = field(default_factory=dict)


@dataclass
class BuildView:
    """Everything renderers may read; built once per build, shared by worker processes."""

    config: WorkspaceConfig
    urls: Urls
    now: datetime
    sites: dict[str, SiteModel]  # local KIMs being built
    site_configs: dict[str, SiteConfig]  # every site file (local, remote, portal)
    portal: SiteConfig | None
    single_site: str | None
    documents: dict[str, Document]  # published document by source path
    locations: dict[str, str]  # document source -> location
    md_urls: dict[str, dict[str, str]]  # KIM slug -> {source rel -> root-relative URL}
    assets: dict[str, str]  # static file name -> location of the published copy
    global_token: str
    site_tokens: dict[str, str]
    environments: dict[str, Any]  # theme name -> jinja2 Environment
    site_theme: dict[str, str]  # site slug -> theme name
    file_hashes: dict[str, dict[str, str]] = field(default_factory=dict)  # KIM -> {file rel -> content hash}
    bodies: Callable[[str], str] | None = None
    search_enabled: bool = False  # a Pagefind index is made (build --search, `search: true`)
    # Handed on by the planners (kimsite.plan makes a new view with each):
    images: ImageIndex = field(default_factory=ImageIndex)  # the picture planner's pictures
    previews: PreviewIndex = NO_PREVIEWS  # the share-preview planner's share images
    sitemap_pages: tuple[tuple[str, str], ...] = ()  # (path, lastmod) of every HTML page
    # Made after planning (kimsite.pages.ready): what renderers show of each document.
    ready: ReadyIndex = NOT_READY
    memo: ViewMemo = field(default_factory=lambda: ViewMemo())

    def location(self, doc: Document) -> str:
        return self.locations[doc.source]

    def environment(self, site: str):
        return self.environments[self.site_theme.get(site, self.config.theme)]


Renderer = Callable[[BuildView, Output], bytes]
RENDERERS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    def register(function: Renderer) -> Renderer:
        RENDERERS[name] = function
        return function

    return register


def render(view: BuildView, output: Output) -> bytes:
    return RENDERERS[output.renderer](view, output)


def chunked(items: tuple | list, size: int) -> list[tuple]:
    """Pagination: at least one (possibly empty) page."""
    pages = [tuple(items[start:start + size]) for start in range(0, len(items), size)]
    return pages or [()]
