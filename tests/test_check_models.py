"""`kimsite check` checks what its build assembled: the workspace is loaded once and no source
is parsed a second time; the rules still see every published document with its body."""

from __future__ import annotations

import shutil
from pathlib import Path

from kimsite.commands import check
from kimsite.parse import parallel
from kimsite.workspace import sources

FIXTURES = Path(__file__).parent / "fixtures" / "check"


def _counting(monkeypatch, module, name: str) -> list:
    calls: list = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_check_loads_and_parses_the_workspace_once(tmp_path: Path, monkeypatch):
    root = shutil.copytree(FIXTURES / "alt_missing", tmp_path / "ws")
    scans = _counting(monkeypatch, sources, "scan")  # what loading the workspace does first
    parses = _counting(monkeypatch, parallel, "parse_source")
    again = _counting(monkeypatch, check, "parse_source")
    problems = check.collect(root)
    codes = {(p.code, p.line) for p in problems}
    # the rules saw the body (alt text missing in it) and the source text (its line)
    assert ("image_alt_missing", 11) in codes and ("image_alt_field_missing", 6) in codes
    assert len(scans) == 1
    parsed = sorted(call[0].path for call in parses)
    assert parsed == sorted(set(parsed)) and parsed, "a source was parsed twice"
    assert again == []


def test_check_reads_bodies_from_the_cache_when_the_build_parsed_nothing(tmp_path: Path, monkeypatch):
    root = shutil.copytree(FIXTURES / "alt_missing", tmp_path / "ws")
    first = check.collect(root)  # fills the cache
    parses = _counting(monkeypatch, parallel, "parse_source")
    again = _counting(monkeypatch, check, "parse_source")
    assert check.collect(root) == first
    assert parses == [] and again == []


def test_check_parses_again_only_when_the_cache_is_gone(tmp_path: Path, monkeypatch):
    root = shutil.copytree(FIXTURES / "alt_missing", tmp_path / "ws")
    first = check.collect(root)
    monkeypatch.setattr(check, "_cached_bodies", lambda root, digests: {})
    parses = _counting(monkeypatch, check, "parse_source")
    assert check.collect(root) == first
    assert parses, "without bodies from the build or the cache the sources are parsed again"
