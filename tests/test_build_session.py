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

FIXTURE = Path(__file__).parent / "fixtures" / "portal"
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=timezone(timedelta(hours=7)))


def _workspace(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    return target


def _built_with_session(tmp_path: Path) -> tuple[Path, BuildSession, BuildOptions]:
    """A copy of the fixture workspace, built once by a new session."""
    root = _workspace(tmp_path / "ws")
    session, options = BuildSession(), BuildOptions(now=NOW)
    build(root, options, session)
    return root, session, options


def _fresh(root: Path, scratch: Path, now: datetime = NOW) -> dict[str, bytes]:
    """The output a fresh build writes of `root`'s sources (no cache, no session)."""
    copy = scratch / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    # (nor a replaced output that its own process may be deleting meanwhile: ._site.kimsite-trash-*)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("_site", ".kimsite", ".*kimsite-*"))
    return files(build(copy, BuildOptions(now=now, use_cache=False)).output_dir)


def _edit(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_rebuilds_with_a_session_write_what_a_fresh_build_writes(tmp_path: Path):
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
    root, session, options = _built_with_session(tmp_path)
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

    root, session, options = _built_with_session(tmp_path)
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


def _bundle_loads(monkeypatch) -> list[str]:
    """The KIMs whose remembered parse results a build loads from the cache."""
    from kimsite.parse import parsing
    from kimsite.workspace.cache import BuildCache

    loaded: list[str] = []
    original = BuildCache.get_state

    def get_state(self, key):
        if key.startswith(parsing.BUNDLE_PREFIX):
            loaded.append(key[len(parsing.BUNDLE_PREFIX):])
        return original(self, key)

    monkeypatch.setattr(BuildCache, "get_state", get_state)
    return loaded


def test_a_session_keeps_the_parse_results_of_unchanged_kims(tmp_path: Path, monkeypatch):
    root, session, options = _built_with_session(tmp_path)
    loaded = _bundle_loads(monkeypatch)
    _edit(root / "content" / "kim-alpha" / "2026-05-10-alpha-dua.md", "\nParagraf baru.\n")
    session.note_changes(["content/kim-alpha/2026-05-10-alpha-dua.md"])
    build(root, options, session)
    assert loaded == ["kim-alpha"]  # the others are kept
    # A full rescan (content/ itself reported) finds the same files: still kept.
    loaded.clear()
    session.note_changes(["content"])
    assert build(root, options, session).up_to_date
    _edit(root / "content" / "kim-beta" / "2026-01-15-beta-satu.md", "\nLagi.\n")
    session.note_changes(None)
    build(root, options, session)
    assert loaded == ["kim-beta"]
    assert files(root / "_site") == _fresh(root, tmp_path)


def test_kept_parse_results_follow_the_parse_settings(tmp_path: Path):
    root, session, options = _built_with_session(tmp_path)
    _replace(root / "kimsite.yaml", "markdown: default", "markdown: gfm")
    session.note_changes(["kimsite.yaml"])
    build(root, options, session)
    assert files(root / "_site") == _fresh(root, tmp_path)


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_kept_parse_results_are_dropped_with_the_cache_that_holds_their_bodies(tmp_path: Path, how: str):
    """The bodies of kept documents are read from the cache: a cache deleted or replaced
    between rebuilds (by hand, by another tool) must not leave pages without them."""
    from kimsite.workspace import cache as cache_files

    root, session, options = _built_with_session(tmp_path)
    state = root / ".kimsite"
    if how == "deleted":
        cache_files.discard(state)
    else:  # another workspace's cache, valid, holding none of these bodies
        other = _workspace(tmp_path / "other")
        for article in (other / "content").rglob("*.md"):
            _edit(article, "\nLain.\n")
        build(other, BuildOptions(now=NOW))
        cache_files.discard(state)
        shutil.copy(other / ".kimsite" / cache_files.FILE_NAME, state / cache_files.FILE_NAME)
    _edit(root / "content" / "kim-alpha" / "2026-05-10-alpha-dua.md", "\nSetelah cache hilang.\n")
    session.note_changes(["content/kim-alpha/2026-05-10-alpha-dua.md"])
    build(root, options, session)
    assert files(root / "_site") == _fresh(root, tmp_path)


def test_a_build_failing_on_the_machine_drops_the_kept_parse_results(tmp_path: Path, monkeypatch):
    """Parse results are kept only once the cache holding their bodies is committed."""
    from kimsite.workspace.cache import BuildCache

    root, session, options = _built_with_session(tmp_path)
    assert session.parsed
    _edit(root / "content" / "kim-alpha" / "2026-05-10-alpha-dua.md", "\nTidak tersimpan.\n")
    session.note_changes(["content/kim-alpha/2026-05-10-alpha-dua.md"])

    def full_disk(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(BuildCache, "commit", full_disk)
    with pytest.raises(Exception):
        build(root, options, session)
    assert session.parsed == {}
    monkeypatch.undo()
    session.note_changes(["content/kim-alpha/2026-05-10-alpha-dua.md"])
    build(root, options, session)
    assert files(root / "_site") == _fresh(root, tmp_path)


def test_a_kept_model_is_not_reused_when_the_clock_goes_back(tmp_path: Path):
    """A model assembled at a later moment publishes what was due then; at an earlier moment
    (a clock set back, KIMSITE_NOW) that article is in the future again."""
    root = _workspace(tmp_path / "ws")
    (root / "content" / "kim-alpha" / "2026-07-02-alpha-nanti.md").write_text(
        "---\ntitle: Alpha nanti\ndate: 2026-07-02 08:00\n---\n\nTerbit nanti.\n", encoding="utf-8")
    session = BuildSession()
    later = NOW + timedelta(days=3)
    build(root, BuildOptions(now=later), session)
    assert "Alpha nanti" in (root / "_site" / "kim-alpha" / "index.html").read_text(encoding="utf-8")
    session.note_changes([])
    result = build(root, BuildOptions(now=NOW), session)
    assert result.left_out == (0, 1)
    assert "Alpha nanti" not in (root / "_site" / "kim-alpha" / "index.html").read_text(encoding="utf-8")
    assert files(root / "_site") == _fresh(root, tmp_path, NOW)


def test_kept_site_files_follow_their_bytes(tmp_path: Path):
    root, session, options = _built_with_session(tmp_path)
    site_file = root / "sites" / "kim-beta.yaml"
    text = site_file.read_text(encoding="utf-8")
    site_file.write_text(text + "description: Deskripsi yang baru.\n", encoding="utf-8")
    session.note_changes(["sites/kim-beta.yaml"])
    build(root, options, session)
    assert files(root / "_site") == _fresh(root, tmp_path)
    site_file.unlink()  # gone: its KIM is no longer built, nothing kept of it is used
    session.note_changes(["sites/kim-beta.yaml"])
    with pytest.raises(Exception):
        build(root, options, session)  # content/kim-beta has no site file: an error
    site_file.write_text(text, encoding="utf-8")
    session.note_changes(["sites/kim-beta.yaml"])
    build(root, options, session)
    assert files(root / "_site") == _fresh(root, tmp_path)


def test_a_kim_removed_while_others_are_kept_is_forgotten_by_the_cache(tmp_path: Path):
    from kimsite.workspace.cache import BuildCache

    root, session, options = _built_with_session(tmp_path)
    shutil.rmtree(root / "content" / "kim-ekstra")
    (root / "sites" / "kim-ekstra.yaml").unlink()
    session.note_changes(["content", "sites/kim-ekstra.yaml"])
    build(root, options, session)
    assert files(root / "_site") == _fresh(root, tmp_path)
    cache, _ = BuildCache.open(root / ".kimsite")
    try:
        assert not [path for path in cache.source_hashes() if path.startswith("content/kim-ekstra/")]
    finally:
        cache.close()


def test_a_new_article_beside_kept_kims_does_not_read_every_remembered_file(tmp_path: Path, monkeypatch):
    """Only the changed KIM's rows are read: the count of remembered files tells whether any
    is gone, without loading them all."""
    from kimsite.workspace.cache import BuildCache

    root, session, options = _built_with_session(tmp_path)
    everything: list[int] = []
    original = BuildCache.source_hashes

    def source_hashes(self, paths=None):
        if paths is None:
            everything.append(1)
        return original(self, paths)

    monkeypatch.setattr(BuildCache, "source_hashes", source_hashes)
    (root / "content" / "kim-beta" / "2026-06-02-beta-empat.md").write_text(
        "---\ntitle: Beta empat\ndate: 2026-06-02\n---\n\nIsi beta empat.\n", encoding="utf-8")
    session.note_changes(["content/kim-beta/2026-06-02-beta-empat.md"])
    build(root, options, session)
    assert everything == []
    monkeypatch.undo()
    assert files(root / "_site") == _fresh(root, tmp_path)


def test_a_sessions_first_build_primes_it_even_when_nothing_changed(tmp_path: Path, monkeypatch):
    """`kimsite serve` started over an up-to-date preview: its first build still loads what the
    session keeps, so the first save rebuilds as quickly as the later ones."""
    root = _workspace(tmp_path / "ws")
    options = BuildOptions(now=NOW)
    build(root, options)  # the output is up to date before the session starts
    session = BuildSession()
    first = build(root, options, session)
    assert first.written == 0 and first.removed == 0
    assert session.parsed and session.assembled
    loaded = _bundle_loads(monkeypatch)
    _edit(root / "content" / "kim-alpha" / "2026-05-10-alpha-dua.md", "\nSimpan pertama.\n")
    session.note_changes(["content/kim-alpha/2026-05-10-alpha-dua.md"])
    build(root, options, session)
    assert loaded == ["kim-alpha"]
    session.note_changes([])
    assert build(root, options, session).up_to_date  # later builds take the quick way
    assert files(root / "_site") == _fresh(root, tmp_path)


@pytest.mark.parametrize("seed", [20261206, 7, 42])
def test_any_run_of_changes_with_a_session_writes_what_fresh_builds_write(tmp_path: Path, seed: int):
    """A seeded random walk of what volunteers do between saves (new, edited, retitled, redated,
    drafted and deleted articles, links between them, site files and settings edited, the
    clock moving on) in several KIMs; after each step the session's output is a fresh build's."""
    import random

    root = _workspace(tmp_path / "ws")
    session = BuildSession()
    pick = random.Random(seed)
    kims = ["kim-alpha", "kim-beta", "kim-domain", "kim-ekstra"]
    now = NOW
    build(root, BuildOptions(now=now), session)
    made: list[Path] = []

    def article(kim: str, number: int, extra: str = "") -> str:
        day = pick.randint(1, 28)
        month = pick.choice([1, 3, 6, 7])  # July is in the future at NOW
        return (f"---\ntitle: Kabar {kim} {number}\ndate: 2026-{month:02d}-{day:02d} 08:00\n"
                f"tags: [{pick.choice(['warga', 'desa', 'panen'])}]\n{extra}---\n\nIsi kabar {number}.\n")

    for step in range(14):
        kim = pick.choice(kims)
        folder = root / "content" / kim
        existing = sorted(folder.glob("*.md"))
        action = pick.choice(["new", "edit", "retitle", "draft", "link", "delete", "site", "clock", "settings"])
        reported = [f"content/{kim}/x"]
        if action == "new" or not existing:
            target = folder / f"2026-06-{step + 1:02d}-acak-{step}.md"
            target.write_text(article(kim, step), encoding="utf-8")
            made.append(target)
        elif action == "edit":
            _edit(pick.choice(existing), f"\nParagraf langkah {step}.\n")
        elif action == "retitle":
            chosen = pick.choice(existing)
            text = chosen.read_text(encoding="utf-8")
            chosen.write_text(text.replace("title: ", f"title: Baru {step} ", 1), encoding="utf-8")
        elif action == "draft":
            chosen = pick.choice(existing)
            text = chosen.read_text(encoding="utf-8")
            if "draft: true" not in text:
                chosen.write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
        elif action == "link":
            other = pick.choice(existing)
            _edit(pick.choice(existing), f"\nBaca juga [kabar lain]({other.name}).\n")
        elif action == "delete" and len(existing) > 1:
            pick.choice(existing).unlink()
        elif action == "site":
            site_file = root / "sites" / f"{kim}.yaml"
            text = site_file.read_text(encoding="utf-8")
            site_file.write_text(text.replace("\ndesa:", f"\ndesa: Ubah{step}", 1) if "\ndesa:" in text
                                 else text + f"desa: Ubah{step}\n", encoding="utf-8")
            reported = [f"sites/{kim}.yaml"]
        elif action == "clock":
            now = now + timedelta(days=pick.choice([1, 5, 20]))
            reported = []
        elif action == "settings":
            config = root / "kimsite.yaml"
            text = config.read_text(encoding="utf-8")
            config.write_text(text.replace("per_page: 3", "per_page: 4") if "per_page: 3" in text
                              else text.replace("per_page: 4", "per_page: 3"), encoding="utf-8")
            reported = ["kimsite.yaml"]
        session.note_changes(reported)
        build(root, BuildOptions(now=now), session)
        assert files(root / "_site") == _fresh(root, tmp_path, now), f"step {step}: {action} in {kim}"
