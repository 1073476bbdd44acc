"""Independent validators over real builds: the W3C Feed Validation Service's code for every
RSS, Atom and OPML file, the Nu HTML Checker for every page (one Java run over all sites).
The demo regency, the real-world fixture (tests/realworld.py) and the basic and kinds fixtures
(every article type) must have zero errors.
With CI set, a validator that cannot run fails these tests (tests/validator_tools.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from realworld import BASE_URL, build_realworld  # noqa: E402
from regen_golden import build_fixture as build_basic  # noqa: E402
from regen_golden_kinds import build_fixture as build_kinds  # noqa: E402
from test_feeds_valid import _demo_base_url, _demo_build  # noqa: E402
from validator_tools import feed_problems, html_problems  # noqa: E402


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    base = tmp_path_factory.mktemp("validators")
    return {"demo": (_demo_build(base / "demo"), _demo_base_url()),
            "realworld": (build_realworld(base / "realworld"), BASE_URL),
            "basic": (build_basic(base / "basic"), "https://kim.example.id/"),
            "kinds": (build_kinds(base / "kinds"), "https://contoh.github.io/kim/")}


@pytest.mark.parametrize("name", ["demo", "realworld", "basic", "kinds"])
def test_feeds_pass_the_w3c_feed_validator(sites, name):
    site, base_url = sites[name]
    errors, report = feed_problems(site, base_url)
    assert errors == [], "\n".join(errors[:40])
    files = int(report.strip().splitlines()[-1].split()[0])
    assert files >= 5, report[-500:]  # the validator really read the feeds


def test_pages_pass_the_nu_html_checker(sites):
    pages = sum(1 for site, _ in sites.values() for _ in site.rglob("*.html"))
    assert pages > 100
    problems = html_problems(*(site for site, _ in sites.values()))
    assert problems == [], "\n".join(problems[:40])


def test_the_checkers_do_find_errors(tmp_path):
    """The same runs report what the issue found in real output (so a silent checker cannot pass)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>x</title></head><body>'
        '<pre lang="java">x</pre><p>Java <source>1.8</p>'
        '<time datetime="2026-12-01T14:14:14.738324+07:00">x</time></body></html>', encoding="utf-8")
    (site / "atom.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>https://x.id/</id>'
        '<title>x</title><updated>2026-12-01T00:00:00Z</updated><link rel="self" href="https://x.id/atom.xml"/>'
        '<entry><id>https://x.id/a</id><title>a</title><updated>2026-12-01T00:00:00Z</updated>'
        '<link href="https://x.id/a"/><summary>s</summary></entry></feed>', encoding="utf-8")
    problems = html_problems(site)
    assert any("“java”" in p for p in problems) and any("source" in p for p in problems)
    assert any("fraction of a second" in p for p in problems)
    errors, _ = feed_problems(site, "https://x.id/")
    assert any("author" in error for error in errors), errors


def test_a_validator_that_cannot_run_fails_in_ci_and_skips_elsewhere(monkeypatch):
    from validator_tools import unavailable

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="validator unavailable in CI: no java"):
        unavailable("no java")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="no java"):
        unavailable("no java")
