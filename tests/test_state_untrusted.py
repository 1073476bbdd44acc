"""State is untrusted input: `.kimsite/` can be restored from a CI cache, added by a pull request
or damaged by hand. A forged journal is discarded unread (warning `journal_invalid`) and the
build proceeds as a clean one; an odd cache is discarded (warning `cache_invalid`); a
`.kimsite` that is not a folder is moved aside to `.kimsite.bak-N` with a warning (never
deleted or followed) and the build proceeds as a clean one. Nothing outside the
output is ever moved or deleted, and the output equals a clean build afterwards."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from safety import NOW, files, fixture_copy, inputs, invoke, leftovers, tree

from kimsite.write import writer
from kimsite.build import BuildOptions, build
from kimsite.workspace.cache import BuildCache
from kimsite.workspace.cache_peek import ENTRIES_PREFIX
from kimsite.base.problems import KimsiteError


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> dict[str, bytes]:
    root = fixture_copy(tmp_path_factory.mktemp("clean") / "ws")
    return files(build(root, BuildOptions(now=NOW, use_cache=False)).output_dir)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = fixture_copy(tmp_path / "ws")
    build(root, BuildOptions(now=NOW))
    return root


def _victims(tmp_path: Path) -> Path:
    """Files outside the output a forged journal aims at."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("keep me", encoding="utf-8")
    return outside


def _codes(problems) -> list[str]:
    return [p.code for p in problems]


def _write_journal(root: Path, journal: object, raw: str | None = None) -> None:
    (root / ".kimsite" / writer.JOURNAL).write_text(raw if raw is not None else json.dumps(journal), encoding="utf-8")


def _forged_journals(root: Path, outside: Path) -> list[object]:
    output, stage = str(root / "_site"), str(root / "._site.kimsite-stage")
    return [
        {"output": output, "moves": [], "removals": ["../../content/kim-a/2024-02-10-kerja-bakti-saluran.md"]},
        {"output": output, "moves": [], "removals": [str(outside / "secret.txt")]},
        {"output": output, "moves": ["../outside/secret.txt"], "removals": []},
        {"output": str(outside), "moves": [], "removals": ["secret.txt"]},  # not a folder kimsite made
        {"output": str(root), "moves": [], "removals": ["kimsite.yaml"]},
        {"output": str(root / "content"), "staging": str(root / ".content.kimsite-stage"), "moves": [],
         "removals": ["kim-a/2024-02-10-kerja-bakti-saluran.md"]},
        {"output": output, "staging": str(outside), "moves": ["secret.txt"], "removals": []},
        {"output": output, "moves": "index.html", "removals": []},
        {"output": output, "moves": [1, 2], "removals": []},
        {"output": output, "moves": [], "removals": [""]},
        {"output": output, "moves": [], "removals": ["kim-a/./index.html"]},
        {"output": output, "moves": [], "removals": ["kim-a\\..\\..\\kimsite.yaml"]},
        {"output": "_site", "moves": [], "removals": ["index.html"]},  # relative
        {"output": output, "moves": [], "removals": [], "run": "rm -rf /"},  # unknown key
        {"version": 99, "output": output, "moves": [], "removals": []},
        [output, stage],
        "journal",
        None,
    ]


def test_forged_journals_are_discarded_and_nothing_outside_is_touched(built: Path, tmp_path: Path,
                                                                    clean_site: dict[str, bytes]):
    outside = _victims(tmp_path)
    (built / "._site.kimsite-stage").mkdir()
    for journal in _forged_journals(built, outside):
        sources = inputs(built)
        _write_journal(built, journal)
        result = build(built, BuildOptions(now=NOW))
        assert "journal_invalid" in _codes(result.problems), journal
        assert inputs(built) == sources and tree(outside) == {"secret.txt": b"keep me"}, journal
        assert files(result.output_dir) == clean_site, journal
        assert not (built / ".kimsite" / writer.JOURNAL).exists()
        assert leftovers(built) == []
        (built / "._site.kimsite-stage").mkdir()


@pytest.mark.parametrize("raw", ["{not json", "", "\x00\x01", "[" * 100000 + "]" * 100000, '{"output": "' + "a" * 10000],
                         ids=["broken", "empty", "binary", "deeply-nested", "unterminated"])
def test_unreadable_journal_is_discarded(built: Path, raw: str, clean_site: dict[str, bytes]):
    _write_journal(built, None, raw=raw)
    result = invoke("build", "-C", str(built))
    assert result.exit_code == 0, result.output
    assert "the build journal in .kimsite/ was not valid" in result.stderr
    assert "Traceback" not in result.output
    assert files(built / "_site") == clean_site


def test_journal_that_is_a_link_or_a_folder_is_discarded(built: Path, tmp_path: Path):
    outside = _victims(tmp_path)
    valid = {"output": str(built / "_site"), "moves": [], "removals": ["index.html"]}
    (outside / "journal.json").write_text(json.dumps(valid), encoding="utf-8")
    (built / ".kimsite" / writer.JOURNAL).symlink_to(outside / "journal.json")
    result = build(built, BuildOptions(now=NOW))
    assert "journal_invalid" in _codes(result.problems)
    assert (outside / "journal.json").is_file() and (built / "_site" / "index.html").is_file()
    (built / ".kimsite" / writer.JOURNAL).mkdir()
    result = build(built, BuildOptions(now=NOW))
    assert "journal_invalid" in _codes(result.problems)


def test_valid_journal_with_links_in_its_folders_moves_nothing_through_them(built: Path, tmp_path: Path):
    """A journal that passes the checks still never follows a link: not in the staging folder, not
    in the output."""
    outside = _victims(tmp_path)
    (built / "._site.kimsite-stage").symlink_to(outside)
    _write_journal(built, {"output": str(built / "_site"), "moves": ["secret.txt"], "removals": []})
    build(built, BuildOptions(now=NOW))
    assert tree(outside) == {"secret.txt": b"keep me"}
    assert not (built / "_site" / "secret.txt").exists() and leftovers(built) == []
    os.rename(built / "_site" / "kim-b", tmp_path / "kim-b-moved")
    (built / "_site" / "kim-b").symlink_to(outside)
    _write_journal(built, {"output": str(built / "_site"), "moves": [], "removals": ["kim-b/secret.txt"]})
    build(built, BuildOptions(now=NOW))
    assert tree(outside) == {"secret.txt": b"keep me"}


@pytest.mark.parametrize("kind", ["file", "link"])
def test_state_folder_that_is_not_a_folder_is_moved_aside_and_kept(tmp_path: Path, kind: str,
                                                                  clean_site: dict[str, bytes]):
    root = fixture_copy(tmp_path / "ws")
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "cache.sqlite").write_text("someone's file", encoding="utf-8")
    for number, command in enumerate((["check"], ["build", "--no-cache"], ["build"]), start=1):
        if kind == "file":
            (root / ".kimsite").write_text(f"my notes {number}", encoding="utf-8")
        else:
            (root / ".kimsite").symlink_to(target)
        result = invoke(*command, "-C", str(root))
        assert result.exit_code == 0, result.output
        was = "a file" if kind == "file" else f"a link (symlink) to {target}"
        assert (f".kimsite: warning: .kimsite was {was}, not the folder where kimsite keeps its cache and lock: "
                f"moved (not deleted) to .kimsite.bak-{number}") in result.stderr + result.stdout, result.output
        assert "Traceback" not in result.output
        aside = root / f".kimsite.bak-{number}"
        if kind == "file":
            assert aside.read_text(encoding="utf-8") == f"my notes {number}"
        else:
            assert aside.is_symlink() and os.readlink(aside) == str(target)
        assert (root / ".kimsite").is_dir() and not (root / ".kimsite").is_symlink()
        shutil.rmtree(root / ".kimsite")
    assert tree(target) == {"cache.sqlite": b"someone's file"}
    assert files(root / "_site") == clean_site


def _odd_cache(state: Path, kind: str, outside: Path) -> None:
    cache = state / "cache.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(cache) + suffix).unlink(missing_ok=True)
    if kind == "folder":
        cache.mkdir()
        (cache / "x").write_text("x", encoding="utf-8")
    elif kind == "link":
        cache.symlink_to(outside / "secret.txt")
    elif kind == "wal-link":
        with sqlite3.connect(cache) as db:
            db.execute("CREATE TABLE t (x)")
        Path(str(cache) + "-wal").symlink_to(outside / "secret.txt")
    elif kind == "garbage":
        cache.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))
    elif kind == "wrong-schema":
        with sqlite3.connect(cache) as db:
            db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
            db.execute("INSERT INTO meta VALUES ('schema', 'something-else')")
    elif kind == "no-tables":
        with sqlite3.connect(cache) as db:
            db.execute("CREATE TABLE other (x)")


@pytest.mark.parametrize("kind", ["folder", "link", "wal-link", "garbage", "wrong-schema", "no-tables"])
def test_odd_cache_is_discarded_with_a_warning(built: Path, tmp_path: Path, kind: str,
                                               clean_site: dict[str, bytes]):
    outside = _victims(tmp_path)
    _odd_cache(built / ".kimsite", kind, outside)
    result = invoke("build", "-C", str(built))
    assert result.exit_code == 0, result.output
    assert "the cache in .kimsite/ was damaged or stale and is rebuilt" in result.stderr
    assert tree(outside) == {"secret.txt": b"keep me"}
    assert (built / ".kimsite" / "cache.sqlite").is_file() and not (built / ".kimsite" / "cache.sqlite").is_symlink()
    assert files(built / "_site") == clean_site
    again = invoke("build", "-C", str(built))
    assert "up to date" in again.stdout and "damaged" not in again.stderr


def test_remembered_states_of_the_wrong_shape_mean_a_clean_build(built: Path, clean_site: dict[str, bytes],
                                                                 tmp_path: Path):
    outside = _victims(tmp_path)
    cache, _ = BuildCache.open(built / ".kimsite")
    output = built / "_site"
    keys = cache.state_keys(f"manifest:{output}")
    assert keys
    cache.set_state(f"build:{output}", "not a dict")
    cache.set_state(keys[0], {f"../../{outside.name}/secret.txt": ("a", "b"), "/etc/passwd": ("a", "b")})
    cache.commit()
    cache.close()
    (built / "content/kim-a/2024-02-10-kerja-bakti-saluran.md").touch()
    result = build(built, BuildOptions(now=NOW))
    assert not result.up_to_date
    assert tree(outside) == {"secret.txt": b"keep me"} and Path("/etc/passwd").exists()
    assert files(result.output_dir) == clean_site
    cache, _ = BuildCache.open(built / ".kimsite")
    cache.set_state(keys[0], ["not", "a", "group"])
    cache.commit()
    cache.close()
    os.utime(built / "content/kim-a/2024-02-10-kerja-bakti-saluran.md", ns=(1, 1))
    result = build(built, BuildOptions(now=NOW))
    assert "cache_invalid" in _codes(result.problems)
    assert files(result.output_dir) == clean_site


@pytest.mark.parametrize("forged", [
    42, ("key",), ("key", "not a list"), ("key", [("kim-a/index.html", "sig")]),
    ("key", [("../../outside/secret.txt", "sig", None)]), ("key", [(("not", "a path"), "sig", None)])])
def test_a_kims_remembered_plan_of_the_wrong_shape_means_a_clean_build(built: Path, clean_site: dict[str, bytes],
                                                                       tmp_path: Path, forged: object):
    """A KIM's stored plan names files the last build published (the manifest names the rest):
    one of another shape is reported and the build starts afresh; one naming a file outside
    the output removes nothing there."""
    outside = _victims(tmp_path)
    cache, _ = BuildCache.open(built / ".kimsite")
    output = built / "_site"
    keys = cache.state_keys(f"plans:{output}")
    assert len(keys) == 2  # kim-a, kim-b
    cache.set_state(keys[0], forged)
    cache.commit()
    cache.close()
    (built / "content/kim-a/2024-02-10-kerja-bakti-saluran.md").touch()
    result = build(built, BuildOptions(now=NOW))
    assert not result.up_to_date
    assert tree(outside) == {"secret.txt": b"keep me"}
    if forged == ("key", [("../../outside/secret.txt", "sig", None)]):  # the shape of a plan: its file is
        assert "cache_invalid" not in _codes(result.problems)  # not published, and not removed outside
    else:
        assert "cache_invalid" in _codes(result.problems)
    assert files(result.output_dir) == clean_site


@pytest.mark.parametrize("entries", [
    None, 42, ["index.html"], "../../outside/secret.txt", "/etc/passwd", "kim-a/../../kimsite.yaml", "index.html\0",
    "\0".join(["kim-a"] * 3), "tidak-ada/index.html"])
def test_a_forged_list_of_output_entries_means_a_full_build_that_reads_nothing_outside(
        built: Path, clean_site: dict[str, bytes], tmp_path: Path, entries: object):
    """The no-change check looks again at the entries the last build listed: a forged list
    (outside the output, not a list, entries that are not there, repeated) never makes an
    altered output "up to date", and nothing outside the output is touched."""
    outside = _victims(tmp_path)
    output = built / "_site"
    (output / "index.html").write_text("<p>diubah</p>", encoding="utf-8")  # an altered output
    cache, _ = BuildCache.open(built / ".kimsite")
    kept = cache.kept_entries(output)
    assert isinstance(kept, str) and "index.html" in kept.split("\0")
    if isinstance(entries, str):  # with the checksum that fits, as anyone can make it
        cache.keep_entries_hint(output, entries)
    else:  # gone, or a value of another type stored in its row
        cache.db.execute("DELETE FROM state WHERE key = ?", (f"{ENTRIES_PREFIX}{output}",))
        if entries is not None:
            cache.db.execute("INSERT INTO state VALUES (?, ?, ?)", (f"{ENTRIES_PREFIX}{output}", repr(entries), "0"))
    cache.commit()
    cache.close()
    result = build(built, BuildOptions(now=NOW))
    assert not result.up_to_date
    assert files(result.output_dir) == clean_site
    assert tree(outside) == {"secret.txt": b"keep me"}
    assert build(built, BuildOptions(now=NOW)).up_to_date  # and the list is whole again


def test_a_list_of_output_entries_with_a_checksum_not_its_own_is_not_used(built: Path, clean_site: dict[str, bytes]):
    """A damaged list (its bytes no longer those its checksum was made of) is not used: the
    build takes the output as unknown and builds it whole, putting the altered page right."""
    output = built / "_site"
    (output / "index.html").write_text("<p>diubah</p>", encoding="utf-8")
    cache, _ = BuildCache.open(built / ".kimsite")
    key = f"{ENTRIES_PREFIX}{output}"
    kept = cache.kept_entries(output)
    cache.db.execute("UPDATE state SET value = ? WHERE key = ?", (kept.replace("index.html", "indeks.html").encode(), key))
    cache.commit()
    assert cache.kept_entries(output) is None
    cache.close()
    result = build(built, BuildOptions(now=NOW))
    assert not result.up_to_date
    assert files(result.output_dir) == clean_site
    assert build(built, BuildOptions(now=NOW)).up_to_date


def test_a_list_of_output_entries_whose_checksum_alone_was_damaged_is_kept_whole_again(
        built: Path, clean_site: dict[str, bytes]):
    """The list's bytes are right but its checksum is not: the build does not use it, and the
    list it keeps afterwards (the very same bytes) carries its checksum again."""
    output = built / "_site"
    cache, _ = BuildCache.open(built / ".kimsite")
    cache.db.execute("UPDATE state SET checksum = ? WHERE key = ?", ("0" * 16, f"{ENTRIES_PREFIX}{output}"))
    cache.commit()
    assert cache.kept_entries(output) is None
    cache.close()
    (built / "content/kim-a/2024-02-10-kerja-bakti-saluran.md").touch()
    result = build(built, BuildOptions(now=NOW))
    assert files(result.output_dir) == clean_site
    cache, _ = BuildCache.open(built / ".kimsite")
    assert cache.kept_entries(output) is not None
    cache.close()


def _interrupt_commit(root: Path, monkeypatch, moves_before_kill: int) -> None:
    """An incremental build stopped between the commit point and the end of its moves."""
    real_move, done = writer._move, []

    def dying_move(*args):
        if len(done) == moves_before_kill:
            raise KeyboardInterrupt  # as abrupt as a kill for everything after this point
        done.append(args)
        real_move(*args)

    monkeypatch.setattr(writer, "_move", dying_move)
    with pytest.raises(KeyboardInterrupt):
        build(root, BuildOptions(now=NOW))
    monkeypatch.setattr(writer, "_move", real_move)


def test_check_finishes_an_interrupted_commit(built: Path, tmp_path: Path, monkeypatch):
    article = built / "content/kim-a/2025-01-15-posyandu-balita.md"
    article.write_text(article.read_text(encoding="utf-8").replace("dua ratus", "tiga ratus"), encoding="utf-8")
    clean = fixture_copy(tmp_path / "clean")
    (clean / "content/kim-a/2025-01-15-posyandu-balita.md").write_bytes(article.read_bytes())
    want = files(build(clean, BuildOptions(now=NOW)).output_dir)
    _interrupt_commit(built, monkeypatch, moves_before_kill=3)
    assert (built / ".kimsite" / writer.JOURNAL).is_file()
    assert files(built / "_site") != want  # half moved
    result = invoke("check", "-C", str(built), "--format", "json")
    report = json.loads(result.stdout)
    assert "interrupted_recovered" in [p["code"] for p in report["problems"]]
    assert not (built / ".kimsite" / writer.JOURNAL).exists() and leftovers(built) == []
    assert files(built / "_site") == want  # finished by check, as a build would
    build(built, BuildOptions(now=NOW))
    assert files(built / "_site") == want


def test_check_refuses_a_forged_journal_like_build(built: Path, tmp_path: Path):
    outside = _victims(tmp_path)
    _write_journal(built, {"output": str(outside), "moves": [], "removals": ["secret.txt"]})
    result = invoke("check", "-C", str(built), "--format", "json")
    report = json.loads(result.stdout)
    assert "journal_invalid" in [p["code"] for p in report["problems"]]
    assert tree(outside) == {"secret.txt": b"keep me"}


def test_build_errors_after_a_discarded_state_still_leave_the_output(built: Path):
    before = files(built / "_site")
    _write_journal(built, {"output": "/", "moves": [], "removals": ["etc/passwd"]})
    (built / "content/kim-a/2025-11-30-rusak.md").write_text("---\ntitle: X\ndate: 2021-13-45\n---\n", encoding="utf-8")
    with pytest.raises(KimsiteError) as failure:
        build(built, BuildOptions(now=NOW))
    assert "journal_invalid" in _codes(failure.value.problems)
    assert files(built / "_site") == before


@pytest.mark.parametrize("name", ["images", "cards", "icons", "templates", "lock", "serve-state"])
def test_links_inside_the_state_folder_are_removed_not_followed(built: Path, tmp_path: Path, name: str,
                                                                clean_site: dict[str, bytes]):
    """Other parts of kimsite write into .kimsite/images, cards and templates and prune old
    pictures there: a link in their place would lead those writes and deletions anywhere."""
    outside = _victims(tmp_path)
    target = built / ".kimsite" / name
    writer.remove_tree(target)
    target.symlink_to(outside if name != "lock" else outside / "secret.txt")
    (built / "content/kim-a/2024-02-10-kerja-bakti-saluran.md").touch()
    result = invoke("build", "-C", str(built))
    assert result.exit_code == 0, result.output
    assert f".kimsite/{name}: warning: .kimsite/{name} was not the folder or file kimsite keeps there" in result.stderr
    assert tree(outside) == {"secret.txt": b"keep me"}
    assert not target.is_symlink()
    assert files(built / "_site") == clean_site


@pytest.mark.parametrize("role", ["new", "stage", "old", "undo"])
def test_working_folders_beside_the_output_that_are_links_are_not_followed(built: Path, tmp_path: Path, role: str,
                                                                          clean_site: dict[str, bytes]):
    outside = _victims(tmp_path)
    (built / f"._site.kimsite-{role}").symlink_to(outside)
    result = build(built, BuildOptions(now=NOW, use_cache=role != "stage"))
    assert tree(outside) == {"secret.txt": b"keep me"}
    assert leftovers(built) == [] and files(result.output_dir) == clean_site


def test_no_cache_build_finishes_a_pending_journal_instead_of_leaving_it_for_later(built: Path, tmp_path: Path,
                                                                                  monkeypatch):
    """A journal left by a killed build used to be skipped by --no-cache and replayed by a later
    build over the newer output, moving stale files into it."""
    article = built / "content/kim-a/2025-01-15-posyandu-balita.md"
    article.write_text(article.read_text(encoding="utf-8").replace("dua ratus", "tiga ratus"), encoding="utf-8")
    _interrupt_commit(built, monkeypatch, moves_before_kill=2)
    assert (built / ".kimsite" / writer.JOURNAL).is_file()
    article.write_text(article.read_text(encoding="utf-8").replace("tiga ratus", "empat ratus"), encoding="utf-8")
    result = build(built, BuildOptions(now=NOW, use_cache=False))
    assert "interrupted_recovered" in _codes(result.problems)
    assert not (built / ".kimsite" / writer.JOURNAL).exists()
    build(built, BuildOptions(now=NOW))
    clean = fixture_copy(tmp_path / "clean")
    (clean / "content/kim-a/2025-01-15-posyandu-balita.md").write_bytes(article.read_bytes())
    assert files(built / "_site") == files(build(clean, BuildOptions(now=NOW)).output_dir)


class _RunsCode:
    def __init__(self, call: tuple):
        self.call = call

    def __reduce__(self):
        return self.call


@pytest.mark.parametrize("call", [(os.system, ("touch PWNED",)), (writer.remove_tree, ("content",)),
                                  (getattr, (Path, "cwd")), (__import__, ("kimsite.__main__",))],
                         ids=["os.system", "kimsite-function", "getattr", "import"])
def test_a_cache_that_would_run_code_is_discarded(built: Path, call: tuple, clean_site: dict[str, bytes]):
    """Pickled states could name any function to call while loading; only kimsite's record types
    and a few standard ones are accepted, so a planted cache runs nothing."""
    import pickle

    from kimsite.workspace.cache import _checksum

    try:
        blob = pickle.dumps(_RunsCode(call))
    except (TypeError, pickle.PicklingError):
        pytest.skip("not picklable on this Python")
    cache, _ = BuildCache.open(built / ".kimsite")
    cache.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?, ?)",
                     (f"build:{built / '_site'}", blob, _checksum(blob)))
    cache.commit()
    cache.close()
    sources = inputs(built)
    result = build(built, BuildOptions(now=NOW))
    assert "cache_invalid" in _codes(result.problems)
    assert not (built / "PWNED").exists() and inputs(built) == sources
    assert files(result.output_dir) == clean_site


@pytest.mark.parametrize("meta", [
    "{}", "null", "[]", "not json", '{"width": "x", "height": 1}',
    '{"width": 8, "height": 8, "widths": [], "fallback": "jpg", "og": [1, 1]}',
    '{"width": 8, "height": 8, "widths": [480], "fallback": "gif", "og": [1, 1]}',
    '{"width": 8, "height": 8, "widths": [480], "fallback": "jpg", "og": [1]}',
    '{"plain": "yes", "width": 8, "height": 8}',
])
def test_damaged_picture_metadata_means_the_picture_is_processed_again(built: Path, meta: str,
                                                                     clean_site: dict[str, bytes]):
    """A processed picture's meta.json (`.kimsite/images/<picture>/`) of the wrong shape made a
    build end in a traceback (KeyError, ValueError); now the picture is processed again and its
    folder replaced."""
    (folder,) = (built / ".kimsite" / "images").iterdir()
    (variant,) = folder.glob("*.webp")
    (folder / "meta.json").write_text(meta, encoding="utf-8")
    variant.write_bytes(b"damaged")
    result = build(built, BuildOptions(now=NOW, use_cache=False))
    assert files(result.output_dir) == clean_site
    assert json.loads((folder / "meta.json").read_text(encoding="utf-8"))["width"] > 0
    assert variant.read_bytes() != b"damaged"


@pytest.mark.parametrize("damage", ["garbage", "cut short", "empty"])
@pytest.mark.parametrize("folder, whole", [("cards", lambda data: data.endswith(b"\xff\xd9")),
                                           ("icons", lambda data: data.endswith(b"IEND\xaeB`\x82"))])
def test_a_damaged_drawn_picture_is_drawn_again_not_published(built: Path, damage: str, folder: str, whole,
                                                              clean_site: dict[str, bytes]):
    """`.kimsite/cards/` keeps each share card drawn, `.kimsite/icons/` each icon of initials;
    what is read from them is published (og.jpg, icon-32.png, icon-192.png), so a picture that
    is not whole is drawn again (and replaced)."""
    drawn = sorted((built / ".kimsite" / folder).iterdir())
    assert drawn
    for picture in drawn:
        data = picture.read_bytes()
        picture.write_bytes({"garbage": b"<script>alert(1)</script>", "cut short": data[:len(data) // 2],
                             "empty": b""}[damage])
    result = build(built, BuildOptions(now=NOW, use_cache=False))
    assert files(result.output_dir) == clean_site
    assert all(whole(picture.read_bytes()) for picture in drawn)


@pytest.mark.parametrize("damage", ["garbage", "cut short", "empty", "missing"])
@pytest.mark.parametrize("pattern", ["*.webp", "[0-9]*.jpg", "og.jpg", "full.*"])
def test_a_damaged_file_of_a_processed_picture_is_made_again_not_published(
        built: Path, damage: str, pattern: str, clean_site: dict[str, bytes]):
    """The files of a processed picture are copied from `.kimsite/images/` into the site; one
    that is not whole (its metadata intact) was published as it was. Now the picture is
    processed again, and its folder in the state replaced."""
    (folder,) = (built / ".kimsite" / "images").iterdir()
    (victim,) = folder.glob(pattern)
    data = victim.read_bytes()
    if damage == "missing":
        victim.unlink()
    else:
        victim.write_bytes({"garbage": b"<script>alert(1)</script>", "cut short": data[:len(data) // 2],
                            "empty": b""}[damage])
    result = build(built, BuildOptions(now=NOW, use_cache=False))
    assert files(result.output_dir) == clean_site
    assert victim.read_bytes() == data
    assert sorted(path.name for path in (built / ".kimsite" / "images").iterdir()) == [folder.name]


def test_damaged_picture_files_met_by_two_render_workers_at_once(built: Path, monkeypatch,
                                                                   clean_site: dict[str, bytes]):
    """Every file of the picture damaged, and the outputs rendered by two workers in small
    chunks: each worker that meets the picture processes it again, the first to finish puts its
    folder in place, and a worker reading while the folders are swapped processes it too."""
    from kimsite import build as build_module
    from kimsite.write import parallel

    monkeypatch.setattr(build_module, "PARALLEL_RENDER_MIN", 1)
    monkeypatch.setattr(parallel, "site_ranges",
                        lambda sites, workers, target: [(start, start + 1) for start in range(len(sites))])
    (folder,) = (built / ".kimsite" / "images").iterdir()
    kept = {path.name: path.read_bytes() for path in folder.iterdir()}
    for path in folder.iterdir():
        if path.name != "meta.json":
            path.write_bytes(b"damaged")
    result = build(built, BuildOptions(now=NOW, use_cache=False, jobs=2))
    assert files(result.output_dir) == clean_site
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == kept
    assert sorted(path.name for path in (built / ".kimsite" / "images").iterdir()) == [folder.name]
