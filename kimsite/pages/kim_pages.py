"""The pages of one KIM site: home with pagination, articles, categories, tags,
yearly archives, profile and static pages.
"""

from __future__ import annotations

from kimsite.base.i18n import ui
from kimsite.model.model import Document, SiteModel
from kimsite.outputs.contract import BuildView, Output, chunked, renderer
from kimsite.outputs.tokens import file_token, listed_token, token
from kimsite.pages.layout import base_context, lead_first, numbered_pager, page_html
from kimsite.base.urls import Urls, term_slug


def plan_site(view: BuildView, model: SiteModel) -> list[Output]:
    urls: Urls = view.urls
    slug = model.slug
    site_tok = view.site_tokens[slug]
    per_page = view.config.per_page
    outputs: list[Output] = []
    path = Urls.output_path

    browse = token(tuple((t.slug, t.name, len(t.articles)) for t in model.categories),
                   tuple((year, len(docs)) for year, docs in model.years))
    pages = chunked(model.articles, per_page)
    for number, chunk in enumerate(pages, start=1):
        outputs.append(Output(path(urls.home(slug, number)), "kim_home", slug, (number, len(pages)),
                              (site_tok, browse, listed_token(view, chunk))))

    category_names = {term.slug: term.name for term in model.categories}
    tag_names = {term.slug: term.name for term in model.tags}
    for doc in model.articles:
        older, newer = model.neighbours[doc.source]
        names = (category_names.get(term_slug(doc.category)) if doc.category else None,
                 tuple(tag_names[term_slug(tag)] for tag in doc.tags))
        outputs.append(Output(
            path(view.location(doc)), "kim_article", slug, (doc.source,),
            (site_tok, doc.digest, older.digest if older else None, newer.digest if newer else None, names,
             file_token(view, doc)),
            (doc.digest,)))

    for kind, terms, locate in (("category", model.categories, urls.category), ("tag", model.tags, urls.tag)):
        for term in terms:
            term_pages = chunked(term.articles, per_page)
            for number, chunk in enumerate(term_pages, start=1):
                outputs.append(Output(path(locate(slug, term.slug, number)), "kim_term", slug,
                                      (kind, term.slug, number, len(term_pages)),
                                      (site_tok, term.name, listed_token(view, chunk))))

    year_list = tuple(year for year, _ in model.years)
    for year, docs in model.years:
        outputs.append(Output(path(urls.archive(slug, year)), "kim_archive", slug, (year,),
                              (site_tok, year_list, listed_token(view, docs))))

    latest = model.articles[0].digest if model.articles else None
    outputs.append(Output(path(urls.profile(slug)), "kim_profile", slug, (),
                          (site_tok, len(model.articles), latest)))

    for doc in model.pages:
        outputs.append(Output(path(view.location(doc)), "kim_page", slug, (doc.source,),
                              (site_tok, doc.digest, file_token(view, doc)), (doc.digest,)))
    return outputs


# --- rendering -------------------------------------------------------------------


@renderer("kim_home")
def render_home(view: BuildView, output: Output) -> bytes:
    model = view.sites[output.site]
    number, total = output.params
    chunk = chunked(model.articles, view.config.per_page)[number - 1]
    lang = view.config.language
    title = model.config.name if number == 1 else f"{model.config.name} – {ui('page_n', lang, n=number)}"
    context = base_context(view, model, view.urls.home(model.slug, number), title, model.config.description)
    if number == 1:
        chunk = lead_first(list(chunk), lambda doc: doc.type != "klarifikasi" and view.ready.picture(doc))
    context.update(
        articles=chunk, number=number, total=total,
        pager=numbered_pager(view, number, total, lambda n: view.urls.home(model.slug, n)),
        categories=model.categories, years=model.years,
        category_location=lambda term: view.urls.category(model.slug, term.slug),
        archive_location=lambda year: view.urls.archive(model.slug, year),
    )
    return page_html(view, model.slug, "home.html", context)


@renderer("kim_article")
def render_article(view: BuildView, output: Output) -> bytes:
    model = view.sites[output.site]
    doc = view.documents[output.params[0]]
    older, newer = model.neighbours[doc.source]
    urls = view.urls
    category = next((t for t in model.categories if doc.category and t.slug == term_slug(doc.category)), None)
    tag_slugs = {term_slug(name) for name in doc.tags}
    tags = [t for t in model.tags if t.slug in tag_slugs]
    ready = view.ready.get(doc)
    context = base_context(view, model, view.location(doc), ready.title, ready.description, preview=ready.preview)
    context.update(
        doc=doc, body=ready.body, older=older, newer=newer, category=category, tags=tags,
        category_location=(urls.category(model.slug, category.slug) if category else None),
        tag_location=lambda term: urls.tag(model.slug, term.slug),
        calendar=urls.event_calendar(doc.site, doc.date, doc.slug) if doc.type == "agenda" and doc.date else "",
        minutes=max(1, round(doc.words / 200)),
    )
    return page_html(view, model.slug, _article_template(doc), context)


def _article_template(doc: Document) -> str:
    return {"klarifikasi": "klarifikasi.html", "agenda": "agenda_item.html",
            "produk": "produk.html"}.get(doc.type, "article.html")


@renderer("kim_term")
def render_term(view: BuildView, output: Output) -> bytes:
    model = view.sites[output.site]
    kind, slug, number, total = output.params
    terms = model.categories if kind == "category" else model.tags
    term = next(t for t in terms if t.slug == slug)
    locate = view.urls.category if kind == "category" else view.urls.tag
    lang = view.config.language
    heading = ui("articles_in_category" if kind == "category" else "articles_with_tag", lang, name=term.name)
    title = heading if number == 1 else f"{heading} – {ui('page_n', lang, n=number)}"
    feeds = None
    if kind == "category":
        feeds = (("application/rss+xml", f"{model.config.name}: {term.name} (RSS)",
                  view.urls.feed(model.slug, "rss", term.slug)),
                 ("application/atom+xml", f"{model.config.name}: {term.name} (Atom)",
                  view.urls.feed(model.slug, "atom", term.slug)))
    context = base_context(view, model, locate(model.slug, term.slug, number), title, feeds=feeds)
    context.update(term=term, kind=kind, heading=heading,
                   articles=chunked(term.articles, view.config.per_page)[number - 1],
                   number=number, total=total,
                   pager=numbered_pager(view, number, total, lambda n: locate(model.slug, term.slug, n)))
    return page_html(view, model.slug, "term.html", context)


@renderer("kim_archive")
def render_archive(view: BuildView, output: Output) -> bytes:
    model = view.sites[output.site]
    (year,) = output.params
    docs = dict(model.years)[year]
    months: dict[int, list[Document]] = {}
    for doc in docs:
        months.setdefault(doc.date.month, []).append(doc)
    lang = view.config.language
    context = base_context(view, model, view.urls.archive(model.slug, year),
                           f"{ui('archive_year', lang, year=year)} – {model.config.name}")
    context.update(year=year, months=sorted(months.items(), reverse=True),
                   years=[(y, view.urls.archive(model.slug, y)) for y, _ in model.years])
    return page_html(view, model.slug, "archive.html", context)


@renderer("kim_profile")
def render_profile(view: BuildView, output: Output) -> bytes:
    model = view.sites[output.site]
    lang = view.config.language
    context = base_context(view, model, view.urls.profile(model.slug),
                           f"{ui('profile', lang)} {model.config.name}", model.config.description)
    context.update(config=model.config, count=len(model.articles),
                   latest=model.articles[0] if model.articles else None)
    return page_html(view, model.slug, "profile.html", context)


@renderer("kim_page")
def render_page(view: BuildView, output: Output) -> bytes:
    model = view.sites[output.site]
    doc = view.documents[output.params[0]]
    ready = view.ready.get(doc)
    context = base_context(view, model, view.location(doc), ready.title, ready.description, preview=ready.preview)
    context.update(doc=doc, body=ready.body)
    return page_html(view, model.slug, "page.html", context)


