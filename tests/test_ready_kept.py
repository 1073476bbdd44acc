"""A workspace too large to hold every body must not hold every ready body either: the render
workers' index of ready documents keeps the most recently used few, and makes again one that
was let go."""

from __future__ import annotations

from types import SimpleNamespace

from kimsite.outputs.records import ReadyIndex


def _doc(source: str, digest: str = "d") -> SimpleNamespace:
    return SimpleNamespace(source=source, digest=digest)


def _index(keep: int | None) -> tuple[ReadyIndex, list[str]]:
    made: list[str] = []

    def make(doc):
        made.append(doc.source)
        return SimpleNamespace(doc=doc)

    return ReadyIndex(make, lambda doc: None, keep), made


def test_the_least_recently_used_is_let_go_first():
    index, made = _index(keep=2)
    a, b, c = _doc("a"), _doc("b"), _doc("c")
    for doc in (a, b, a, c, a, b):  # c pushes out b (a was used after b); b comes back, pushing out c
        index.get(doc)
    assert made == ["a", "b", "c", "b"]
    assert index.made() == 2


def test_without_a_limit_every_document_is_made_once():
    index, made = _index(keep=None)
    for doc in [_doc(name) for name in "abcdefg"] * 3:
        index.get(doc)
    assert made == list("abcdefg") and index.made() == 7


def test_a_changed_document_is_made_again_with_or_without_a_limit():
    for keep in (None, 3):
        index, made = _index(keep)
        index.get(_doc("a", "1"))
        index.get(_doc("a", "2"))
        assert index.get(_doc("a", "2")).doc.digest == "2"
        assert made == ["a", "a"]


def test_a_workspace_too_large_to_hold_its_bodies_builds_the_same_site(tmp_path, monkeypatch):
    """Bodies read back from the cache and ready documents let go after each one (the way of
    more than 20,000 documents, forced on the basic fixture): the same output, byte for byte."""
    from safety import NOW, files, fixture_copy

    from kimsite import build as build_module
    from kimsite.build import BuildOptions, build
    from kimsite.parse import parsing

    held = files(build(fixture_copy(tmp_path / "held"), BuildOptions(now=NOW)).output_dir)
    monkeypatch.setattr(parsing, "KEEP_BODIES_MAX", 0)
    monkeypatch.setattr(build_module, "READY_KEPT", 1)
    root = fixture_copy(tmp_path / "read-back")
    assert files(build(root, BuildOptions(now=NOW)).output_dir) == held
    article = root / "content/kim-a/2025-01-15-posyandu-balita.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    edited = build(root, BuildOptions(now=NOW))
    assert not edited.full and "Tambahan." in next(edited.output_dir.rglob("posyandu-balita/index.html")).read_text(
        encoding="utf-8")
