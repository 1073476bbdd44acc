"""A process that builds the same workspace again and again (`kimsite serve`) keeps, between
builds, the scan of the sources (walking again only the KIM folders its watcher reported), what
it saw of the output it wrote, the KIMs' parse results and the portal's members of unchanged
KIMs. None of that may change a byte of the output: after any run of rebuilds, the output is
the one a fresh build of the same sources writes."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from safety import files

from kimsite.build import BuildOptions, BuildSession, build
from kimsite.parse.parsing import BUNDLE_PREFIX
from kimsite.workspace.cache import keep_states_loaded

FIXTURE = Path(__file__).parent / "fixtures" / "portal"
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=timezone(timedelta(hours=7)))


@pytest.fixture
def kept_states():
    keep_states_loaded((BUNDLE_PREFIX,))
    yield
    keep_states_loaded(())


def _workspace(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    return target


def _fresh(root: Path, scratch: Path, now: datetime = NOW) -> dict[str, bytes]:
    """The output a fresh build writes of `root`'s sources (no cache, no session)."""
    copy = scratch / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("_site", ".kimsite"))
    return files(build(copy, BuildOptions(now=now, use_cache=False)).output_dir)


def _edit(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_rebuilds_with_a_session_write_what_a_fresh_build_writes(tmp_path: Path, kept_states):
    root = _workspace(tmp_path / "ws")
    session = BuildSession()
    options = BuildOptions(now=NOW)
    session.note_changes(None)
    assert build(root, options, session).full
    alpha, beta = root / "content" / "kim-alpha", root / "content" / "kim-beta"
    steps = [
        ("an edit", lambda: _edit(alpha / "2026-05-10-alpha-dua.md", "\nParagraf baru.\n"),
         ["content/kim-alpha/2026-05-10-alpha-dua.md"]),
        ("a new article in another KIM", lambda: (beta / "2026-06-01-beta-tiga.md").write_text(
            "---\ntitle: Beta tiga\ndate: 2026-06-01\ntags: [baru]\n---\n\nIsi beta tiga.\n", encoding="utf-8"),
         ["content/kim-beta/2026-06-01-beta-tiga.md"]),
        ("a deleted article", lambda: (alpha / "2025-12-01-alpha-tiga.md").unlink(),
         ["content/kim-alpha/2025-12-01-alpha-tiga.md"]),
        ("a renamed title and a site file", lambda: (
            _edit(beta / "2026-01-15-beta-satu.md", "\nLagi.\n"),
            _replace(root / "sites" / "kim-alpha.yaml", "KIM Desa Satu.", "Deskripsi baru KIM Alpha.")),
         ["content/kim-beta/2026-01-15-beta-satu.md", "sites/kim-alpha.yaml"]),
        ("the same file edited twice", lambda: _edit(beta / "2026-06-01-beta-tiga.md", "\nDua kali.\n"),
         ["content/kim-beta/2026-06-01-beta-tiga.md"]),
    ]
    for what, change, reported in steps:
        change()
        session.note_changes(reported)
        result = build(root, options, session)
        assert not result.full, what
        assert files(root / "_site") == _fresh(root, tmp_path), what
    # nothing changed: up to date, from what the session saw
    session.note_changes([])
    assert build(root, options, session).up_to_date


def test_a_session_walks_again_the_kims_reported_and_everything_when_unknown(tmp_path: Path):
    root = _workspace(tmp_path / "ws")
    session = BuildSession()
    options = BuildOptions(now=NOW)
    build(root, options, session)
    article = root / "content" / "kim-beta" / "2026-01-15-beta-satu.md"
    _edit(article, "\nPenanda-tak-dilaporkan.\n")
    # Reported elsewhere only: kim-beta's folder is not walked again (what makes a rebuild quick)
    session.note_changes(["content/kim-alpha/2026-05-10-alpha-dua.md"])
    assert build(root, options, session).up_to_date
    # Reported: seen.
    session.note_changes([article.relative_to(root).as_posix()])
    build(root, options, session)
    assert "Penanda-tak-dilaporkan" in "".join(p.read_text(encoding="utf-8") for p in
                                               (root / "_site" / "kim-beta").rglob("index.html"))
    # content/ itself reported (a folder appeared or went): every KIM folder is walked again
    _edit(article, "\nPenanda-kedua.\n")
    session.note_changes(["content"])
    assert not build(root, options, session).up_to_date
    # and so is every folder when what changed is not known
    _edit(article, "\nPenanda-ketiga.\n")
    session.note_changes(None)
    assert not build(root, options, session).up_to_date


def test_a_failed_build_leaves_the_session_knowing_nothing_of_the_output(tmp_path: Path, monkeypatch):
    from kimsite.write import parallel

    root = _workspace(tmp_path / "ws")
    session = BuildSession()
    options = BuildOptions(now=NOW)
    build(root, options, session)
    assert session.output is not None
    _edit(root / "content" / "kim-alpha" / "2026-05-10-alpha-dua.md", "\nTambahan.\n")
    session.note_changes(["content/kim-alpha/2026-05-10-alpha-dua.md"])

    def failing(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(parallel, "run_parallel", failing)
    with pytest.raises(Exception):
        build(root, options, session)
    assert session.output is None
    monkeypatch.undo()
    # The next build looks at every entry of the output again, and finishes the edit.
    page = next((root / "_site" / "kim-beta").rglob("index.html"))
    page.write_text("diubah dari luar", encoding="utf-8")
    build(root, options, session)
    assert files(root / "_site") == _fresh(root, tmp_path)


def test_kept_states_are_loaded_again_when_their_bytes_change(tmp_path: Path, kept_states):
    from kimsite.workspace.cache import BuildCache

    cache, _ = BuildCache.open(tmp_path / "state")
    try:
        cache.set_state(BUNDLE_PREFIX + "kim-a", {"a": (1, 2)})
        first = cache.get_state(BUNDLE_PREFIX + "kim-a")
        assert cache.get_state(BUNDLE_PREFIX + "kim-a") is first  # the same bytes: the same object
        cache.set_state(BUNDLE_PREFIX + "kim-a", {"a": (1, 3)})
        assert cache.get_state(BUNDLE_PREFIX + "kim-a") == {"a": (1, 3)}
        cache.set_state("other", [1])
        assert cache.get_state("other") is not cache.get_state("other")  # not kept: another prefix
    finally:
        cache.close()


def test_an_article_coming_due_between_rebuilds_is_published(tmp_path: Path):
    """Nothing changed on disk, but the clock moved past a future-dated article's date: the
    KIM's kept model must not be reused."""
    root = _workspace(tmp_path / "ws")
    (root / "content" / "kim-alpha" / "2026-07-02-alpha-nanti.md").write_text(
        "---\ntitle: Alpha nanti\ndate: 2026-07-02 08:00\n---\n\nTerbit nanti.\n", encoding="utf-8")
    session = BuildSession()
    build(root, BuildOptions(now=NOW), session)
    assert "Alpha nanti" not in (root / "_site" / "kim-alpha" / "index.html").read_text(encoding="utf-8")
    later = NOW + timedelta(days=3)
    session.note_changes([])
    assert not build(root, BuildOptions(now=later), session).up_to_date
    assert "Alpha nanti" in (root / "_site" / "kim-alpha" / "index.html").read_text(encoding="utf-8")
    assert files(root / "_site") == _fresh(root, tmp_path, later)
