"""An incremental build equals a clean one.

For every kind of change a webmaster makes, the same workspace (cache kept) is rebuilt
incrementally and compared byte for byte, file list included, with a clean build of the same
sources in another folder. Also: a no-change rebuild does nothing, an edit rewrites only a few
files and leaves the others alone, and a damaged cache is detected, never trusted.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pytest

from kimsite.workspace import themes
from kimsite.build import BuildOptions, BuildResult, build

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "fixtures" / "basic"
sys.path.insert(0, str(TESTS))
from regen_golden import NOW  # noqa: E402

A = "content/kim-a"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(workspace: Path, target: Path, **options) -> Path:
    """Build a copy of the workspace's sources (no output, no cache) in `target`."""
    shutil.copytree(workspace, target, ignore=shutil.ignore_patterns("_site", ".kimsite", ".*kimsite-*"))
    return build(target, BuildOptions(now=options.pop("now", NOW), **options)).output_dir


def assert_equals_clean(workspace: Path, tmp_path: Path, **options) -> None:
    incremental = snapshot(workspace / "_site")
    clean = snapshot(clean_build(workspace, tmp_path / "clean", **options))
    missing, extra = sorted(clean.keys() - incremental.keys()), sorted(incremental.keys() - clean.keys())
    stale = sorted(path for path in clean.keys() & incremental.keys() if clean[path] != incremental[path])
    assert not (missing or extra or stale), (f"incremental build differs from a clean build:\n"
                                             f"  missing: {missing}\n  left over: {extra}\n  stale: {stale}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- the changes --------------------------------------------------------------------------

def edit_body(ws: Path) -> None:
    edit(ws / A / "2025-01-15-posyandu-balita.md", "lebih dari dua ratus balita", "lebih dari tiga ratus balita")


def edit_title(ws: Path) -> None:
    # The older and newer neighbours show this title in their previous/next links.
    edit(ws / A / "2024-06-05-pelatihan-menulis.md", "title: Pelatihan Menulis Berita untuk Warga",
         "title: Pelatihan Jurnalistik Warga Citamiang")


def add_article(ws: Path) -> None:
    write(ws / A / "2025-10-05-panen-raya.md",
          "---\ntitle: Panen Raya Padi Gadu\ndate: 2025-10-05 08:00\ncategory: Pertanian\n"
          "tags: [pertanian, panen]\n---\n\nPanen raya digelar di hamparan sawah Citamiang.\n")


def delete_article(ws: Path) -> None:
    (ws / A / "2025-08-17-lomba-agustusan.md").unlink()


def rename_file(ws: Path) -> None:
    # Its URL changes; another article links to it by file name (the link now points nowhere).
    (ws / A / "2024-02-10-kerja-bakti-saluran.md").rename(ws / A / "2024-02-10-kerja-bakti-irigasi.md")


def rename_linked_file(ws: Path) -> None:
    # The linking article is updated too: its link must now lead to the new URL.
    rename_file(ws)
    edit(ws / A / "2024-11-20-rincian-apbdes.md", "(2024-02-10-kerja-bakti-saluran.md)",
         "(2024-02-10-kerja-bakti-irigasi.md)")


def change_slug_of_linked_page(ws: Path) -> None:
    # Another article links to halaman/kontak.md; only the target's URL changes.
    edit(ws / A / "halaman" / "kontak.md", "title: Kontak\n", "title: Kontak\nslug: hubungi-kami\n")


def change_category(ws: Path) -> None:
    edit(ws / A / "2025-01-15-posyandu-balita.md", "category: Kesehatan", "category: Pemerintahan")


def edit_static_page(ws: Path) -> None:
    edit(ws / A / "halaman" / "tentang.md", "title: Tentang Kami", "title: Tentang KIM Kami")


def _own_theme(ws: Path) -> Path:
    target = ws / "themes" / "default"
    if not target.exists():
        shutil.copytree(themes.builtin_themes_dir() / "default", target)
    return target


def change_template(ws: Path) -> None:
    theme = _own_theme(ws)
    edit(theme / "templates" / "article.html", "<h1>", '<h1 class="judul-artikel">')


def change_stylesheet(ws: Path) -> None:
    theme = _own_theme(ws)
    with open(theme / "static" / "style.css", "a", encoding="utf-8") as handle:
        handle.write("\n.judul-artikel { color: #123456; }\n")


def change_per_page(ws: Path) -> None:
    edit(ws / "kimsite.yaml", "per_page: 3", "per_page: 2")


def change_site_file(ws: Path) -> None:
    edit(ws / "sites" / "kim-a.yaml", "name: KIM Maju Bersama", "name: KIM Maju Bersama Sejahtera")


def add_media(ws: Path) -> None:
    (ws / A / "media" / "jadwal.pdf").write_bytes(b"%PDF-1.4\n% jadwal posyandu\n")


def remove_media(ws: Path) -> None:
    (ws / A / "media" / "materi.txt").unlink()


def change_media(ws: Path) -> None:
    (ws / A / "media" / "materi.txt").write_text("Materi pelatihan, versi kedua.\n", encoding="utf-8")


def publish_draft(ws: Path) -> None:
    edit(ws / A / "2025-09-01-draf-rapat.md", "draft: true", "draft: false")


def change_date(ws: Path) -> None:
    # The URL moves (year and month), the 2024 archive gains an article, the order changes.
    edit(ws / A / "2025-01-15-posyandu-balita.md", "date: 2025-01-15 08:00", "date: 2024-12-30 08:00")


def change_timezone(ws: Path) -> None:
    edit(ws / "kimsite.yaml", "timezone: Asia/Jakarta", "timezone: Asia/Makassar")


def change_language(ws: Path) -> None:
    edit(ws / "kimsite.yaml", "language: id", "language: en")


def add_kim(ws: Path) -> None:
    write(ws / "sites" / "kim-c.yaml", "name: KIM Baru\nkecamatan: Bojong\n")
    write(ws / "content" / "kim-c" / "2025-11-01-pertama.md",
          "---\ntitle: Artikel Pertama KIM Baru\ndate: 2025-11-01\n---\n\nHalo warga.\n")


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit_body": edit_body,
    "edit_title": edit_title,
    "add_article": add_article,
    "delete_article": delete_article,
    "rename_file": rename_file,
    "rename_linked_file": rename_linked_file,
    "change_slug_of_linked_page": change_slug_of_linked_page,
    "change_category": change_category,
    "edit_static_page": edit_static_page,
    "change_template": change_template,
    "change_stylesheet": change_stylesheet,
    "change_per_page": change_per_page,
    "change_site_file": change_site_file,
    "add_media": add_media,
    "remove_media": remove_media,
    "change_media": change_media,
    "add_kim": add_kim,
    "publish_draft": publish_draft,
    "change_date": change_date,
    "change_timezone": change_timezone,
    "change_language": change_language,
}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(FIXTURE, ws)
    first = build(ws, BuildOptions(now=NOW))
    assert not first.up_to_date and first.written > 50
    return ws


@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_equals_clean(workspace: Path, tmp_path: Path, change: str):
    before = snapshot(workspace / "_site")
    CHANGES[change](workspace)
    result = build(workspace, BuildOptions(now=NOW))
    assert not result.up_to_date, "a change was not noticed"
    assert snapshot(workspace / "_site") != before, "the change did not reach the output"
    assert_equals_clean(workspace, tmp_path)
    # and once more without changes: nothing left to do
    again = build(workspace, BuildOptions(now=NOW))
    assert again.up_to_date or again.written == 0


def test_several_changes_in_a_row(workspace: Path, tmp_path: Path):
    for number, change in enumerate(("add_article", "edit_title", "rename_linked_file", "change_per_page")):
        CHANGES[change](workspace)
        build(workspace, BuildOptions(now=NOW))
        assert_equals_clean(workspace, tmp_path / str(number))


def test_no_change_rebuild_is_up_to_date(workspace: Path):
    output = workspace / "_site"
    stamps = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in output.rglob("*") if p.is_file()}
    result = build(workspace, BuildOptions(now=NOW))
    assert result.up_to_date
    assert result.written == 0 and result.removed == 0
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in output.rglob("*") if p.is_file()} == stamps


def test_no_change_rebuild_through_the_cli(tmp_path: Path):
    workspace = tmp_path / "cli"
    shutil.copytree(FIXTURE, workspace)
    env = {**os.environ, "KIMSITE_NOW": NOW.isoformat(), "KIMSITE_LANG": "id"}
    runs = [subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(workspace)],
                           capture_output=True, text=True, env=env, timeout=60) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], runs[-1].stderr
    assert "situs, 8 artikel" in runs[0].stdout
    assert "sudah mutakhir" in runs[1].stdout, runs[1].stdout


def test_touching_a_file_without_changing_it_writes_nothing(workspace: Path):
    article = workspace / A / "2025-01-15-posyandu-balita.md"
    os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 5_000_000_000))
    result = build(workspace, BuildOptions(now=NOW))
    assert result.written == 0 and result.removed == 0


def test_an_edit_rewrites_only_a_few_files(workspace: Path, tmp_path: Path):
    output = workspace / "_site"
    untouched = [output / "kim-b" / "index.html", output / "kim-a" / "2024" / "02" / "kerja-bakti-saluran" /
                 "index.html", output / "kim-a" / "profil" / "index.html", output / "sitemap.xml"]
    stamps = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in untouched}
    page = output / "kim-a" / "2025" / "01" / "posyandu-balita" / "index.html"
    old_page = page.read_bytes()
    edit_body(workspace)
    result: BuildResult = build(workspace, BuildOptions(now=NOW))
    assert not result.up_to_date
    # the article page and the feeds that carry its text (KIM + category, RSS + Atom)
    assert 1 <= result.written <= 8, f"{result.written} files written for a one-article edit"
    assert result.written < result.outputs / 5
    assert result.removed == 0
    assert page.read_bytes() != old_page and b"tiga ratus" in page.read_bytes()
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in untouched} == stamps, \
        "files whose bytes did not change were rewritten"
    assert_equals_clean(workspace, tmp_path)


def test_an_edit_plans_only_its_own_kim_again(workspace: Path, tmp_path: Path, monkeypatch):
    """The outputs of KIMs whose documents, files and settings did not change are not planned
    again: their remembered (path, signature) lists are used."""
    from kimsite.media import previews
    from kimsite.pages import kim_pages

    planned: list[str] = []
    original = kim_pages.plan_site

    def counting(view, model):
        planned.append(model.slug)
        return original(view, model)

    monkeypatch.setattr(kim_pages, "plan_site", counting)
    site_cards: dict = {}  # the share cards planned per KIM by the last build
    original_previews = previews.plan_previews

    def spying(view, reused):
        made = original_previews(view, reused)
        site_cards.clear()
        site_cards.update(made[2])
        return made

    monkeypatch.setattr(previews, "plan_previews", spying)
    config = workspace / "kimsite.yaml"  # a card drawn for every article
    config.write_text(config.read_text(encoding="utf-8") + "share_cards: article\n", encoding="utf-8")
    build(workspace, BuildOptions(now=NOW))
    planned.clear()
    edit_body(workspace)  # an article of kim-a
    result = build(workspace, BuildOptions(now=NOW))
    assert planned == ["kim-a"]
    # the share cards drawn per article are part of a KIM's plan too
    assert sorted(site_cards) == ["kim-a"]
    assert any(card.path.startswith("kim-a/2025/") for card in site_cards["kim-a"])
    assert (workspace / "_site" / "kim-b" / "2025" / "05" / "bibit-alpukat" / "og.jpg").is_file()
    # kim-b's share previews are made only if one of its pages is rendered, and then alike
    from kimsite.media.previews import page_context

    edited_view = result.view
    assert edited_view.previews.recorded_sites() == {"kim-a"}
    kim_b = edited_view.sites["kim-b"]
    article = next(doc for doc in kim_b.articles if doc.slug == "bibit-alpukat")
    lazily = page_context(edited_view, kim_b, edited_view.location(article), article.title, article.summary)
    assert edited_view.previews.recorded_sites() == {"kim-a", "kim-b"}
    assert lazily["og"]["image"].endswith("/kim-b/2025/05/bibit-alpukat/og.jpg")
    planned.clear()
    shutil.rmtree(workspace / "_site")
    result = build(workspace, BuildOptions(now=NOW))  # a full build plans every KIM
    assert sorted(planned) == ["kim-a", "kim-b"]
    assert sorted(site_cards) == ["kim-a", "kim-b"]
    assert page_context(result.view, result.view.sites["kim-b"], result.view.location(article), article.title,
                        article.summary) == lazily
    monkeypatch.undo()
    assert_equals_clean(workspace, tmp_path)


def _counting_parses(monkeypatch) -> list[str]:
    from kimsite.parse import parallel

    parsed: list[str] = []
    original = parallel.read_and_parse

    def counting(source, path, settings):
        parsed.append(source.path)
        return original(source, path, settings)

    monkeypatch.setattr(parallel, "read_and_parse", counting)
    return parsed


def test_an_edit_parses_only_the_edited_source(workspace: Path, tmp_path: Path, monkeypatch):
    """Unchanged sources come from their KIM's remembered parse results; a KIM whose remembered
    results are gone is parsed again, and only that KIM."""
    parsed = _counting_parses(monkeypatch)
    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW))
    assert parsed == [f"{A}/2025-01-15-posyandu-balita.md"], parsed
    parsed.clear()
    with sqlite3.connect(workspace / ".kimsite" / "cache.sqlite") as db:
        # (and what the last build kept of the KIM: see test_kept_kims.py)
        db.execute("DELETE FROM state WHERE key IN ('parsed-site:kim-b', 'kept-kim:kim-b')")
    edit_title(workspace)
    build(workspace, BuildOptions(now=NOW))
    assert {path.split("/")[1] for path in parsed} == {"kim-a", "kim-b"}
    assert sum(path.startswith("content/kim-a/") for path in parsed) == 1
    monkeypatch.undo()
    assert_equals_clean(workspace, tmp_path)


def _new_times(workspace: Path) -> None:
    """Every source gets a new modification time, its bytes unchanged: what a fresh checkout
    (each CI run restoring .kimsite/ from its cache), a copy or `touch` gives."""
    later = NOW.timestamp() + 86_400
    for path in (workspace / "content").rglob("*"):
        if path.is_file():
            os.utime(path, (later, later))


def test_sources_with_new_times_and_the_same_bytes_are_not_parsed_again(workspace: Path, tmp_path: Path,
                                                                          monkeypatch):
    before = snapshot(workspace / "_site")
    shutil.rmtree(workspace / "_site")  # as in CI: the state restored, no output
    _new_times(workspace)
    parsed = _counting_parses(monkeypatch)
    result = build(workspace, BuildOptions(now=NOW))
    assert parsed == [] and result.articles == 8
    assert snapshot(workspace / "_site") == before
    # their new times are remembered: the next build has nothing to do, and an edit after it
    # reads only the edited source again
    assert build(workspace, BuildOptions(now=NOW)).up_to_date
    from kimsite.parse import parsing

    hashed: list[str] = []
    original_hash = parsing._hash_file
    monkeypatch.setattr(parsing, "_hash_file", lambda path: hashed.append(Path(path).name) or original_hash(path))
    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW))
    assert hashed == ["2025-01-15-posyandu-balita.md"] and parsed == [f"{A}/2025-01-15-posyandu-balita.md"]
    monkeypatch.undo()
    assert_equals_clean(workspace, tmp_path)


def test_a_source_with_a_new_time_and_new_bytes_is_parsed_again(workspace: Path, tmp_path: Path, monkeypatch):
    _new_times(workspace)
    edit_body(workspace)  # one source of the touched ones also has new bytes
    parsed = _counting_parses(monkeypatch)
    build(workspace, BuildOptions(now=NOW))
    assert parsed == [f"{A}/2025-01-15-posyandu-balita.md"], parsed
    monkeypatch.undo()
    assert_equals_clean(workspace, tmp_path)


def test_an_edit_rewrites_only_its_kims_part_of_what_was_published(workspace: Path, tmp_path: Path):
    """What a build published is stored in groups: each KIM's plan (its own pages, feeds and
    cards), and the manifest of the rest by top folder. Together they name every published file
    once, with its signature; an edit of kim-a leaves the stored rows of kim-b as they were."""
    def rows(kind: str) -> dict[str, bytes]:
        with sqlite3.connect(workspace / ".kimsite" / "cache.sqlite") as db:
            found = db.execute("SELECT key, value FROM state WHERE key LIKE ?", (f"{kind}:%",)).fetchall()
        return {key.rsplit("\x1f", 1)[1]: value for key, value in found}

    def named() -> list[str]:
        paths = [path for group in rows("manifest").values() for path in pickle.loads(group)]
        paths += [path for plan in rows("plans").values() for path, _signature, _lastmod in pickle.loads(plan)[1]]
        return paths

    published = sorted(p.relative_to(workspace / "_site").as_posix() for p in (workspace / "_site").rglob("*")
                       if p.is_file() and p.name != ".kimsite-output")
    assert sorted(named()) == published  # each file once
    plans_before, manifest_before = rows("plans"), rows("manifest")
    assert "kim-a" not in manifest_before or not any(
        "/2025/" in path for path in pickle.loads(manifest_before["kim-a"]))  # its articles are in its plan
    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW))
    plans_after = rows("plans")
    assert plans_after["kim-a"] != plans_before["kim-a"]
    assert plans_after["kim-b"] == plans_before["kim-b"]
    assert rows("manifest").get("kim-b") == manifest_before.get("kim-b")
    assert sorted(named()) == published
    assert_equals_clean(workspace, tmp_path)


def test_the_collector_is_back_to_normal_after_a_build(workspace: Path):
    import gc

    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        build(workspace, BuildOptions(now=NOW))
        assert not gc.isenabled()  # a caller's own setting is kept
    finally:
        gc.enable()


def test_markdown_urls_are_made_per_kim_when_asked_for(workspace: Path):
    edit_body(workspace)
    view = build(workspace, BuildOptions(now=NOW)).view
    urls = view.md_urls.get("kim-a")
    assert urls["2025-01-15-posyandu-balita.md"] == "/kim-a/2025/01/posyandu-balita/"
    assert view.md_urls.get("kim-zz") is None and view.md_urls.get("kim-zz", {}) == {}
    assert "kim-b" in view.md_urls and "kim-zz" not in view.md_urls


def test_date_names_come_from_the_cache_after_the_first_build(workspace: Path, monkeypatch):
    """Babel's locale data is read once per babel version; later builds (and their workers)
    take the weekday and month names from the build cache."""
    from kimsite.base import dates
    from kimsite.workspace.cache import BuildCache

    cache, _ = BuildCache.open(workspace / ".kimsite")
    key = dates.names_cache_key("id")
    days, months = cache.get_state(key)
    assert days[1] == "Selasa" and months[11] == "Desember"
    cache.set_state(key, (days, [name.upper() for name in months]))  # recognizable, still valid
    cache.commit()
    cache.close()
    monkeypatch.setattr(dates, "_NAMES", {})
    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW))
    page = workspace / "_site" / "kim-a" / "2025" / "01" / "posyandu-balita" / "index.html"
    assert "JANUARI 2025" in page.read_text(encoding="utf-8")


def test_deleting_an_article_removes_its_page(workspace: Path):
    page = workspace / "_site" / "kim-a" / "2025" / "08" / "lomba-agustusan" / "index.html"
    assert page.is_file()
    delete_article(workspace)
    result = build(workspace, BuildOptions(now=NOW))
    assert result.removed >= 1
    assert not page.exists() and not page.parent.exists()


def test_time_passing_publishes_future_article(workspace: Path, tmp_path: Path):
    later = datetime(2026, 1, 10, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    result = build(workspace, BuildOptions(now=later))
    assert not result.up_to_date, "a future article came due but the build said nothing changed"
    assert (workspace / "_site" / "kim-a" / "2026" / "01" / "rencana-lomba-desa" / "index.html").is_file()
    assert_equals_clean(workspace, tmp_path, now=later)


@pytest.mark.parametrize("options", [{"drafts": True}, {"base_url": "https://example.github.io/repo/"}],
                         ids=["drafts", "base_url"])
def test_changed_options_equal_clean(workspace: Path, tmp_path: Path, options: dict):
    build(workspace, BuildOptions(now=NOW, **options))
    assert_equals_clean(workspace, tmp_path / "with", **options)
    build(workspace, BuildOptions(now=NOW))  # and back
    assert_equals_clean(workspace, tmp_path / "without")


def test_output_deleted_by_hand_is_rebuilt(workspace: Path, tmp_path: Path):
    shutil.rmtree(workspace / "_site")
    result = build(workspace, BuildOptions(now=NOW))
    assert not result.up_to_date
    assert_equals_clean(workspace, tmp_path)


# --- a damaged cache -------------------------------------------------------------------------

def test_corrupt_cache_file_is_not_trusted(workspace: Path, tmp_path: Path):
    cache = workspace / ".kimsite" / "cache.sqlite"
    assert cache.is_file()
    cache.write_bytes(b"this is not a database \x00\xff" * 200)
    edit_title(workspace)
    build(workspace, BuildOptions(now=NOW))
    assert_equals_clean(workspace, tmp_path)
    again = build(workspace, BuildOptions(now=NOW))
    assert again.up_to_date and not again.problems, "the rebuilt cache works again"


def test_corrupt_cache_without_other_changes_is_not_trusted(workspace: Path, tmp_path: Path):
    """Junk in the cache must not be mistaken for "nothing changed"."""
    (workspace / ".kimsite" / "cache.sqlite").write_bytes(b"\x00junk" * 1000)
    build(workspace, BuildOptions(now=NOW))
    assert_equals_clean(workspace, tmp_path)


def test_corrupt_cache_file_is_reported(workspace: Path):
    (workspace / ".kimsite" / "cache.sqlite").write_bytes(b"this is not a database \x00\xff" * 200)
    result = build(workspace, BuildOptions(now=NOW))
    assert any(p.code == "cache_invalid" and p.severity == "warning" for p in result.problems), result.problems


def test_tampered_cache_rows_are_detected(workspace: Path, tmp_path: Path):
    """A readable database whose stored values (parse results, manifest, plans) were damaged:
    their checksums no longer match."""
    with sqlite3.connect(workspace / ".kimsite" / "cache.sqlite") as db:
        assert db.execute("SELECT count(*) FROM state WHERE key LIKE 'parsed-site:%'").fetchone()[0] > 0
        db.execute("UPDATE state SET value = CAST('garbage' AS BLOB)")
    edit_title(workspace)
    result = build(workspace, BuildOptions(now=NOW))
    assert any(p.code == "cache_invalid" for p in result.problems)
    assert_equals_clean(workspace, tmp_path)


def test_cache_from_another_version_is_discarded(workspace: Path, tmp_path: Path):
    with sqlite3.connect(workspace / ".kimsite" / "cache.sqlite") as db:
        db.execute("UPDATE meta SET value = 'kimsite-cache-0:0.0.1' WHERE key = 'schema'")
    edit_body(workspace)
    build(workspace, BuildOptions(now=NOW))
    assert_equals_clean(workspace, tmp_path)


def test_no_cache_build_equals_clean(workspace: Path, tmp_path: Path):
    edit_title(workspace)
    env = {**os.environ, "KIMSITE_NOW": NOW.isoformat(), "KIMSITE_LANG": "id"}
    result = subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(workspace), "--no-cache"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert_equals_clean(workspace, tmp_path)


def test_outputs_rendered_again_with_the_same_bytes_are_left_alone(workspace: Path, tmp_path: Path):
    """An incremental build compares each output it renders again with the published file
    itself: the ones whose bytes did not change keep their file (the same inode and time), and
    only the others are written."""
    output = workspace / "_site"
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in output.rglob("*") if p.is_file()}
    article = workspace / A / "2025-01-15-posyandu-balita.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nSatu paragraf tambahan di akhir.\n",
                       encoding="utf-8")
    result = build(workspace, BuildOptions(now=NOW))
    after = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in output.rglob("*") if p.is_file()}
    rewritten = sorted(p.relative_to(output).as_posix() for p in after if before.get(p) != after[p])
    assert result.rendered > result.written  # some were rendered again and found the same
    assert len(rewritten) == result.written and "kim-a/2025/01/posyandu-balita/index.html" in rewritten
    assert_equals_clean(workspace, tmp_path)


def test_the_same_as_published_check(tmp_path: Path):
    from kimsite.write.writer import same_as_published

    folder = tmp_path / "out"
    (folder / "kim-a").mkdir(parents=True)
    (folder / "kim-a" / "index.html").write_bytes(b"<p>sama</p>")
    published = str(folder)
    assert same_as_published(published, "kim-a/index.html", b"<p>sama</p>")
    assert not same_as_published(published, "kim-a/index.html", b"<p>beda</p>")  # same size, other bytes
    assert not same_as_published(published, "kim-a/index.html", b"<p>sama</p>\n")  # longer
    assert not same_as_published(published, "kim-a/index.html", b"<p>sam")  # shorter
    assert not same_as_published(published, "kim-a/baru.html", b"<p>sama</p>")  # not there
    assert not same_as_published(published, "kim-a", b"")  # a folder
    (folder / "tautan.html").symlink_to(folder / "kim-a" / "index.html")
    assert not same_as_published(published, "tautan.html", b"<p>sama</p>")  # a link is not followed
    (folder / "kosong.html").write_bytes(b"")
    assert same_as_published(published, "kosong.html", b"")
    os.mkfifo(folder / "pipa.html")  # opened without waiting for a writer, and not the same
    assert not same_as_published(published, "pipa.html", b"")
