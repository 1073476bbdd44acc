"""HTML nested thousands deep (a hostile article or remote feed) made the sanitizer's parser walk
its stack for every new block: 100,000 nested <div>s took about two minutes. Such markup is
never a page: it is shown as plain text with a warning, and a remote item keeps its text only."""

from __future__ import annotations

from pathlib import Path

import pytest

from kimsite.fetch.feed_clean import clean_html, html_to_text
from kimsite.parse.markup import render_markdown
from kimsite.parse.sanitize import MAX_NESTING, NestedTooDeep, nested_too_deep, sanitize_html
from test_written_elsewhere import agree, workspace

FILE = "content/uji/2026-12-03-bertumpuk.md"
DEEP = "<div>" * 100_000 + "isi tersembunyi" + "</div>" * 100_000


def test_nesting_up_to_the_limit_is_a_page():
    assert not nested_too_deep("<div>" * MAX_NESTING + "x" + "</div>" * MAX_NESTING)
    assert nested_too_deep("<div>" * (MAX_NESTING + 1) + "x")
    # closed siblings, void elements and elements a sibling closes add no depth
    assert not nested_too_deep("<div>x</div>" * 5000 + "<br>" * 5000 + "<p>x" * 5000 + "<li>x" * 5000)
    assert not nested_too_deep("<img src=a.jpg/>" * 5000)


def test_sanitizer_refuses_deep_markup_quickly():
    with pytest.raises(NestedTooDeep):
        sanitize_html(DEEP)
    assert sanitize_html("<div><div><p>halo</p></div></div>") == "<div><div><p>halo</p></div></div>"


@pytest.mark.parametrize("dialect", ["default", "gfm"])
def test_deep_article_body_is_plain_text_with_a_warning(dialect):
    html, warning = render_markdown("Pembuka.\n\n" + DEEP + "\n", dialect)
    assert warning == "html_nested_too_deep"
    assert "<div>" not in html and "&lt;div&gt;" in html and "isi tersembunyi" in html
    assert render_markdown("Pembuka.\n\n<div>isi</div>\n", dialect)[1] == ""


def test_deep_remote_item_keeps_its_text_only():
    assert clean_html(DEEP, "https://kim.example/") == ""
    assert html_to_text(DEEP, 200) == "isi tersembunyi"
    # a run of "<" with no ">" stays linear in the text fallback too
    assert "a" in html_to_text("<div>" * 1000 + "<a" * 100_000, 50)


def test_build_and_check_warn_on_the_body_line(make_workspace):
    front = "---\ntitle: Bertumpuk\ndate: 2026-12-03\n---\n"
    root = workspace(make_workspace, {FILE: front + "Pembuka.\n\n" + DEEP + "\n"})
    status, problems, output = agree(root)
    assert status == 0
    assert ("warning", FILE, 5, "html_nested_too_deep") in {
        (p["severity"], p["file"], p["line"], p["code"]) for p in problems}
    assert "bersarang lebih dari 500 tingkat" in output
    page = next(Path(root, "_site").rglob("bertumpuk/index.html")).read_text(encoding="utf-8")
    assert "&lt;div&gt;" in page and "<div><div><div>" not in page
