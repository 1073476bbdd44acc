"""The Jinja2 environment: theme chain, autoescape, and the filters templates use."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from pathlib import Path

import jinja2

from kimsite.base import dates
from kimsite.base.i18n import ui
from kimsite.base.urls import quote_path
from kimsite.outputs.head import head_tags
from kimsite.schema.article_types import (LABEL_STYLE, badged_title, document_heading, format_price, map_link,
                                          verdict_badge, whatsapp_link, whatsapp_number)
from kimsite.workspace.cache import CacheCorrupt
from kimsite.workspace.themes import BUILTIN, template_folders


class TemplateFailure(Exception):
    """A template that could not be rendered: its file (absolute path, or the template name
    when Jinja knows no file), the line in it, and what went wrong."""

    def __init__(self, template: str, line: int | None, detail: str):
        super().__init__(f"{template}:{line}: {detail}")
        self.template = template
        self.line = line
        self.detail = detail


def make_environment(chain: list[Path], lang: str, timezone_name: str, base_path: str,
                     compiled_dir: Path | None = None) -> jinja2.Environment:
    """`compiled_dir` keeps compiled templates between builds (keyed by their source)."""
    folders = template_folders(chain)
    builtin = jinja2.FileSystemLoader(str(folders[-1]))
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({BUILTIN: builtin}),
        jinja2.FileSystemLoader([str(folder) for folder in folders]),
    ])
    compiled = None
    if compiled_dir is not None:
        try:
            compiled_dir.mkdir(parents=True, exist_ok=True)
            compiled = _CompiledTemplates(str(compiled_dir))
        except OSError:
            compiled = None  # a read-only state folder only costs time
    interface_text = partial(ui, lang=lang)
    env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined, auto_reload=False, cache_size=-1,
                             bytecode_cache=compiled)
    env.filters.update(
        date=lambda value, weekday=True: dates.format_date(value, lang, weekday) if value else "",
        datetime=lambda value: dates.format_datetime(value, lang, timezone_name) if value else "",
        month=lambda pair, short=False: dates.format_month(pair[0], pair[1], lang, short),
        isodate=_isodate,
        url=lambda location: base_path + quote_path(location),
        price=format_price,
        label_style=lambda label: LABEL_STYLE.get(label, "warn"),
        urlencode=_urlencode,
        # `{{ 'key'|t }}`: a text of the interface, looked up once, when the template is compiled
        # (compiled templates are kept per language); `t('key', n=...)` for one with values.
        t=interface_text,
    )
    env.globals.update(t=interface_text, lang=lang, whatsapp_link=whatsapp_link, map_link=map_link,
                       whatsapp_number=whatsapp_number, cached=_fragment_cache(), verdict_badge=verdict_badge,
                       badged_title=badged_title, document_heading=document_heading, head_tags=head_tags)
    return env


def pages_may_use(env: jinja2.Environment, name: str) -> bool:
    """Whether rendering can reach the template `name` of `env`'s list. The built-in theme's
    templates are listed twice, by name and as `default/NAME`, the second form being for a
    workspace theme that extends or includes a built-in template it replaces; when the chain
    is the built-in theme alone, nothing names that form (its own templates use plain names)."""
    if not name.startswith(f"{BUILTIN}/"):
        return True
    loader = env.loader
    searched = loader.loaders[1].searchpath if isinstance(loader, jinja2.ChoiceLoader) else None
    return searched is None or len(searched) > 1


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk; Jinja checks each against its template's source, and a
    damaged file is ignored (the template is compiled again), never trusted."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - whatever a damaged file raises, compile afresh
            bucket.reset()


def _fragment_cache():
    """`{% call cached(key...) %}…{% endcall %}`: the block is rendered once per key and build
    (an environment lives for one build). The key must name everything the block shows; the
    default theme uses it for the masthead and footer, the same on every page of a KIM."""
    fragments: dict[tuple, str] = {}

    def cached(*key, caller):
        found = fragments.get(key)
        if found is None:
            found = fragments[key] = caller()
        return found

    return cached


def _isodate(value) -> str:
    """A `datetime=` value HTML accepts: whole seconds (remote items dated at the moment they were
    first seen carry microseconds, and HTML allows at most three fractional digits)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat() if isinstance(value, date) else ""


def _urlencode(value):
    """Jinja's `urlencode` (UTF-8 percent-encoding keeping "/"), quick for ASCII text: share
    links encode a title and a URL on every article."""
    if isinstance(value, str) and value.isascii():
        return quote_path(value)
    return jinja2.filters.do_urlencode(value)



def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """`name` rendered with `context`; any failure (a syntax error, a missing template, an
    undefined value, an exception raised by the template's own code such as `{{ 1/0 }}`, a
    recursion without end) is a TemplateFailure naming the template file and line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateFailure(exc.filename or exc.name or name, exc.lineno, _detail(exc)) from None
    except CacheCorrupt:
        raise  # not the template's fault: the build starts again with a fresh cache
    except Exception as exc:  # noqa: BLE001 - whatever a theme's template raises is reported, not a traceback
        template, line = _failing_template(exc, _template_file(env, name))
        raise TemplateFailure(template, line, _detail(exc)) from None


def _template_file(env: jinja2.Environment, name: str) -> str:
    """The file the template `name` is read from (the first folder that has it), or `name`."""
    loaders = getattr(env.loader, "loaders", [env.loader])
    for loader in loaders:
        for folder in getattr(loader, "searchpath", ()):
            candidate = Path(folder) / name
            if candidate.is_file():
                return str(candidate)
    return name


def _detail(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template not found: {exc.name}"
    if isinstance(exc, jinja2.TemplateError):
        text = str(exc.message if exc.message is not None else exc)
    elif isinstance(exc, RecursionError):
        text = "RecursionError: a macro, include or extends that leads back to itself without end"
    else:
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return " ".join(text.split())[:300]


def _failing_template(exc: BaseException, name: str) -> tuple[str, int | None]:
    """The innermost template frame of the traceback (Jinja gives template code the template's
    file name and line): where the failure happened, even inside an included template."""
    found: tuple[str, int | None] = (name, None)
    traceback = exc.__traceback__
    while traceback is not None:
        file = traceback.tb_frame.f_code.co_filename
        if not file.endswith(".py") and not file.startswith("<"):
            found = (file, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found
