"""Which templates a build compiles before its worker processes start (kimsite.write.parallel.
compile_templates): those pages can reach, and no second copy of the built-in theme when no
workspace theme can name it."""

from __future__ import annotations

from pathlib import Path

from kimsite.build import build
from kimsite.outputs.environment import make_environment, pages_may_use
from kimsite.workspace import themes
from kimsite.workspace.options import BuildOptions
from kimsite.write.parallel import compile_templates

PREFIX = f"{themes.BUILTIN}/"
ARTICLE = """\
---
title: Kerja bakti
date: 2025-11-30
---
Warga membersihkan selokan.
"""


def _compiled(environment) -> set[str]:
    """The names of the templates the environment holds compiled (its cache has no limit)."""
    return {key[1] for key in environment.cache.keys()}


def _builtin_names() -> set[str]:
    folder = themes.builtin_themes_dir() / themes.BUILTIN / "templates"
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*.html")}


def test_the_builtin_theme_alone_is_compiled_once(tmp_path: Path):
    environment = make_environment(themes.theme_chain(tmp_path, themes.BUILTIN), "id", "Asia/Jakarta", "/")
    compile_templates({themes.BUILTIN: environment})
    compiled = _compiled(environment)
    assert compiled == _builtin_names()  # every template a page names, by its plain name
    assert not any(name.startswith(PREFIX) for name in compiled)
    assert not pages_may_use(environment, f"{PREFIX}article.html")


def test_a_workspace_theme_gets_the_builtin_templates_it_may_extend(tmp_path: Path):
    templates = tmp_path / "themes" / "mine" / "templates"
    templates.mkdir(parents=True)
    (templates / "article.html").write_text('{% extends "default/article.html" %}', encoding="utf-8")
    environment = make_environment(themes.theme_chain(tmp_path, "mine"), "id", "Asia/Jakarta", "/")
    compile_templates({"mine": environment})
    compiled = _compiled(environment)
    assert {f"{PREFIX}{name}" for name in _builtin_names()} <= compiled
    assert _builtin_names() <= compiled


def test_builtin_templates_name_no_second_copy():
    """The built-in templates include and extend each other by plain name: were one to name the
    `default/` form, the build would compile it in every worker process instead of once."""
    folder = themes.builtin_themes_dir() / themes.BUILTIN / "templates"
    for path in folder.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert f'"{PREFIX}' not in text and f"'{PREFIX}" not in text, path.name


def test_a_theme_extending_the_builtin_one_still_builds(make_workspace):
    workspace = make_workspace({
        "kimsite.yaml": "base_url: https://example.github.io/repo/\nlanguage: id\ntimezone: Asia/Jakarta\n"
                        "theme: mine\noutput: _site\nmarkdown: default\n",
        "sites/kim-a.yaml": "name: KIM A\nkecamatan: Maniis\ndesa: Citamiang\n",
        "content/kim-a/2025-11-30-kerja-bakti.md": ARTICLE,
        "themes/mine/templates/article.html": '{% extends "default/article.html" %}'
                                              "{% block after_body %}<p>Tema sendiri</p>{% endblock %}",
    })
    result = build(workspace, BuildOptions(use_cache=False))
    page = (result.output_dir / "kim-a" / "2025" / "11" / "kerja-bakti" / "index.html").read_text(encoding="utf-8")
    assert "<p>Tema sendiri</p>" in page and "Warga membersihkan selokan." in page
