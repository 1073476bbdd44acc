"""The editor's configuration (Sveltia CMS, Decap-compatible) made from the workspace.

One collection per KIM and article type (berita, klarifikasi, agenda, produk) plus one for
the KIM's static pages; each writes `content/<kim>/` with kimsite's file names and keys.
"""

from __future__ import annotations

from typing import Any

from kimsite.base.problems import Problem, warning
from kimsite.cms import widgets
from kimsite.cms.inputs import EditorInputs, Kim
from kimsite.cms.labels import label
from kimsite.cms.repository import Repository
from kimsite.workspace.sources import MEDIA_FOLDER, PAGES_FOLDER

ARTICLE_TYPES = ("berita", "klarifikasi", "agenda", "produk")
EXTENSION = "md"  # the editor lists and writes only files ending in exactly ".md"
FILE_NAME = "{{year}}-{{month}}-{{day}}-{{slug}}"  # YYYY-MM-DD-slug.md, the slug from the title
UPLOAD_MAX_BYTES = 20 * 1024 * 1024  # kimsite.media.images.MAX_BYTES
# Photos from phones are made smaller (and lose their location data) before uploading.
TRANSFORMATIONS = {"raster_image": {"format": "webp", "quality": 85, "width": 2048, "height": 2048}}


def collection_name(kim: str, kind: str) -> str:
    return f"{kim}-{kind}"


def editor_config(inputs: EditorInputs, repository: Repository) -> dict[str, Any]:
    lang = inputs.language
    # Token sign-in only: "Sign In with GitHub" needs an OAuth server that GitHub Pages does not
    # have (a workspace with one sets `auth_methods: [oauth, token]` in admin/config.extra.yml).
    backend: dict[str, Any] = {"name": "github", "repo": repository.repo or "OWNER/REPO",
                               "branch": repository.branch, "auth_methods": ["token"]}
    collections: list[dict[str, Any]] = []
    for kim in inputs.kims:
        if collections:
            collections.append({"divider": True})
        collections.extend(kim_collections(kim, inputs, repository.prefix))
    return {
        "backend": backend,
        "app_title": label("app_title", lang, title=inputs.title),
        # Every collection has its own; the editor requires one for its "all pictures" view.
        "media_folder": f"{repository.prefix}content/{inputs.kims[0].slug}/{MEDIA_FOLDER}" if inputs.kims
        else f"{repository.prefix}content/{MEDIA_FOLDER}",
        "public_folder": MEDIA_FOLDER,
        "site_url": inputs.base_url,
        "media_library": {"name": "default", "config": {"max_file_size": UPLOAD_MAX_BYTES, "slugify_filename": True,
                                                        "transformations": TRANSFORMATIONS}},
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-", "lowercase": True,
                 "trim": True, "maxlength": 60},
        "output": {"omit_empty_optional_fields": True},
        "collections": collections,
    }


def kim_collections(kim: Kim, inputs: EditorInputs, prefix: str) -> list[dict[str, Any]]:
    folder = f"{prefix}content/{kim.slug}"
    return [*(_article_collection(kim, kind, inputs, folder) for kind in ARTICLE_TYPES),
            _pages_collection(kim, inputs, folder)]


def _common(kim: Kim, kind: str, inputs: EditorInputs, folder: str, public_folder: str) -> dict[str, Any]:
    """What every collection of a KIM has: where its entries and their pictures go."""
    lang = inputs.language
    return {
        "name": collection_name(kim.slug, kind),
        "label": label("collection_label", lang, what=label(kind, lang), kim=kim.name),
        "label_singular": label(f"{kind}_one", lang),
        "description": label("collection_description", lang, kim=kim.name, kecamatan=kim.kecamatan,
                             folder=folder + "/"),
        "folder": folder,
        "create": True,
        "extension": EXTENSION,
        "format": "frontmatter",
        # Relative to the entry's folder, so that the editor writes "media/x.webp" (kimsite reads
        # pictures relative to the article); from the repository's root it would write "/media/x.webp".
        "media_folder": public_folder,
        "public_folder": public_folder,
        "identifier_field": "title",
    }


def _article_collection(kim: Kim, kind: str, inputs: EditorInputs, folder: str) -> dict[str, Any]:
    lang, tz = inputs.language, inputs.timezone
    collection = _common(kim, kind, inputs, folder, MEDIA_FOLDER)
    collection.update(
        slug=FILE_NAME,
        filter={"field": "type", "value": [None, "berita"] if kind == "berita" else kind},
        sortable_fields=["date", "title"],
    )
    fields = [widgets.hidden_type(kind), widgets.title(lang),
              widgets.publication_date(lang, tz, inputs.zone_name)]
    if kind == "klarifikasi":
        fields += [widgets.longtext("klaim", lang, required=True), widgets.verdict(lang),
                   widgets.text("sumber_klaim", lang, hint=label("sumber_klaim_hint", lang)),
                   widgets.moment("tanggal_klaim", lang, tz, required=False), widgets.references(lang)]
    elif kind == "agenda":
        fields += [widgets.moment("mulai", lang, tz, required=True),
                   widgets.moment("selesai", lang, tz, required=False, hint=label("selesai_hint", lang)),
                   widgets.text("tempat", lang, required=True, maxlength=300),
                   widgets.text("penyelenggara", lang, maxlength=300)]
    elif kind == "produk":
        fields += [widgets.text("produsen", lang, required=True, maxlength=300),
                   widgets.patterned("harga", lang, widgets.PRICE_PATTERN),
                   widgets.text("desa", lang, maxlength=120),
                   widgets.patterned("whatsapp", lang, widgets.WHATSAPP_PATTERN),
                   widgets.image("foto", lang, multiple=True)]
    fields += [*widgets.category(lang, kim.categories), widgets.tags(lang),
               widgets.summary(lang, inputs.summary_required), widgets.picture(lang),
               widgets.text("author", lang, maxlength=widgets.AUTHOR_MAX_LENGTH),
               widgets.draft(lang), widgets.body(lang)]
    collection["fields"] = fields
    return collection


def _pages_collection(kim: Kim, inputs: EditorInputs, folder: str) -> dict[str, Any]:
    lang = inputs.language
    collection = _common(kim, "halaman", inputs, f"{folder}/{PAGES_FOLDER}", f"../{MEDIA_FOLDER}")
    collection.update(slug="{{slug}}", sortable_fields=["title"])
    collection["fields"] = [
        widgets.page_title(lang), widgets.publication_date(lang, inputs.timezone, inputs.zone_name, required=False),
        widgets.summary(lang, False), widgets.menu_order(lang), widgets.in_menu(lang), widgets.draft(lang),
        widgets.body(lang),
    ]
    return collection


def hidden_from_editor(sources: list[str]) -> list[Problem]:
    """A warning for each article or page the editor will not list: its collections find files
    by one extension, in that case (`Rapat.markdown` and `Rapat.MD` are built, but not shown)."""
    return [warning(source, None, "editor_hidden_extension", name=source.rpartition("/")[2],
                    suggestion=source.rpartition("/")[2].rpartition(".")[0] + "." + EXTENSION)
            for source in sources if not source.endswith("." + EXTENSION)]
