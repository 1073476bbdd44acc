"""The page `kimsite serve` shows instead of the site while the last build failed."""

from __future__ import annotations

from html import escape

from kimsite.base.messages import message
from kimsite.base.problems import Problem

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#fff7f5;color:#222}
main{max-width:46rem;margin:0 auto;padding:1.25rem}
h1{color:#a1260d;font-size:1.4rem}
ol{padding-left:1.2rem}
li{background:#fff;border:1px solid #f0c8bf;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}
code{font-size:.95rem;background:#fbe9e5;padding:.1rem .3rem;border-radius:3px;word-break:break-all}
.hint{color:#555}
"""


_BANNER_STYLE = ("position:relative;z-index:2147483647;margin:0;padding:.5rem .9rem;background:#fff4d6;"
                 "color:#3d2f00;border-bottom:2px solid #e0b000;font:14px/1.45 system-ui,sans-serif")


def warning_banner(problems: list[Problem], lang: str) -> str:
    """The last build's warnings, shown at the top of every served page (never published)."""
    items = "".join(f"<li><code>{escape(problem.location())}</code> {escape(problem.text(lang))}</li>"
                    for problem in problems)
    title = message("serve_warnings_title", lang, count=len(problems))
    opened = " open" if len(problems) <= 3 else ""
    return (f'<details id="kimsite-warnings"{opened} style="{_BANNER_STYLE}"><summary style="cursor:pointer">'
            f"{escape(title)}</summary><ul style=\"margin:.4rem 0;padding-left:1.2rem\">{items}</ul></details>")


def error_page(problems: list[Problem], lang: str) -> str:
    """A self-contained HTML page listing each problem with its file and line."""
    items = []
    for problem in problems:
        where = problem.location() if problem.file else "kimsite"
        items.append(f"<li><code>{escape(where)}</code><br>{escape(problem.text(lang))}</li>")
    title = message("serve_error_title", lang)
    return (
        f'<!doctype html>\n<html lang="{"en" if lang == "en" else "id"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p>{escape(message("serve_error_intro", lang, count=len(problems)))}</p>\n'
        f'<ol class="problems">\n{"".join(items)}\n</ol>\n'
        f'<p class="hint">{escape(message("serve_error_hint", lang))}</p>\n'
        "</main>\n</body>\n</html>\n"
    )
