"""A build with nothing to do, known in the program's first step (kimsite.write.up_to_date):
it ends before kimsite is loaded only when the stamp the last build left matches everything
that build read and the output it wrote; any change, doubt or damage lets the build run as
always, and the output is then what a build makes of the workspace as it is."""

from __future__ import annotations

import compileall
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from safety import files, fixture_copy, join_trash_threads
from test_locking import DAMAGES, damage_output

from kimsite.workspace.cache_peek import FILE_NAME, peek_text
from kimsite.workspace import themes
from kimsite.write import look_ahead, output_lines, up_to_date

ARTICLE = "content/kim-a/2024-11-20-rincian-apbdes.md"
IMPORT_OF_THE_BUILD = re.compile(r"^import time:.*\| +kimsite\.build$", re.M)


@pytest.fixture(autouse=True)
def _no_reaper_threads():
    """Children are forked only by a process without other threads: those reaping the deleters
    of earlier tests' outputs are waited for (on a loaded machine they outlive their test)."""
    join_trash_threads()


def kimsite_build(root: Path, *arguments: str, env: dict[str, str] | None = None,
                  cwd: Path | None = None) -> tuple[subprocess.CompletedProcess, bool]:
    """`kimsite build -C root ARGUMENTS` with the real clock, and whether it ended in the
    program's first step (Python's own list of imports shows whether the build was loaded)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("KIMSITE_NOW", "SOURCE_DATE_EPOCH")}
    environment.update({"KIMSITE_LANG": "en", "PYTHONPROFILEIMPORTTIME": "1", **(env or {})})
    done = subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(root), *arguments],
                          capture_output=True, text=True, env=environment, timeout=120, cwd=cwd or root.parent)
    early = IMPORT_OF_THE_BUILD.search(done.stderr) is None
    done.stderr = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("import time:"))
    return done, early


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = fixture_copy(tmp_path / "ws")
    (root / "content" / "kim-b" / "arsip").mkdir()  # an empty folder, listed by the scan
    done, early = kimsite_build(root)
    assert done.returncode == 0 and not early, done.stderr
    return root


def _stamp(root: Path) -> str | None:
    return peek_text(str(root / ".kimsite"), up_to_date.KEY)


def _set_stamp(root: Path, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with sqlite3.connect(root / ".kimsite" / FILE_NAME) as db:
        db.execute("UPDATE state SET value = ? WHERE key = ?", (data, up_to_date.KEY))
    db.close()


def test_a_build_with_nothing_to_do_ends_before_kimsite_loads(built: Path):
    before, cache = files(built / "_site"), (built / ".kimsite" / FILE_NAME).read_bytes()
    done, early = kimsite_build(built)
    assert early and done.returncode == 0 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"nothing changed; ws/_site is up to date \(\d+\.\d\d s\)", lines[0])
    assert lines[1].startswith("not published: 1 draft and 0 future-dated articles")
    assert files(built / "_site") == before
    assert (built / ".kimsite" / FILE_NAME).read_bytes() == cache  # nothing written
    # the same lines as the build prints when it finds nothing to do itself
    _set_stamp(built, "not a stamp")
    slow, early = kimsite_build(built)
    assert not early and re.sub(r"\d+\.\d\d", "X", slow.stdout) == re.sub(r"\d+\.\d\d", "X", done.stdout)


@pytest.mark.parametrize("arguments, cwd, expected", [
    (["--lang", "id"], None, r"tidak ada perubahan; ws/_site sudah mutakhir \(\d+\.\d\d dtk\)"),
    (["-q"], None, None),
    (["--quiet", "-j", "2"], None, None),
    (["--jobs=3", "--lang=en"], None, r"nothing changed; ws/_site is up to date \(\d+\.\d\d s\)"),
    ([], "inside", r"nothing changed; _site is up to date \(\d+\.\d\d s\)"),
    ([], "elsewhere", r"nothing changed; /.*/ws/_site is up to date \(\d+\.\d\d s\)"),
])
def test_what_the_first_step_prints(built: Path, tmp_path: Path, arguments, cwd, expected):
    where = {"inside": built, "elsewhere": tmp_path / "elsewhere", None: None}[cwd]
    if cwd == "elsewhere":
        where.mkdir()
    done, early = kimsite_build(built, *arguments, cwd=where)
    assert early and done.returncode == 0 and done.stderr == ""
    if expected is None:
        assert done.stdout == ""
    else:
        assert re.fullmatch(expected, done.stdout.splitlines()[0])


def _edit(root: Path) -> None:
    path = root / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nParagraf tambahan yang baru.\n", encoding="utf-8")


def _same_size_new_time(root: Path) -> None:
    path = root / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("a", "e", 1), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns()))


def _same_time_new_size(root: Path) -> None:
    path = root / ARTICLE
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8") + "\nKalimat baru.\n", encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _add_article(root: Path, folder: str = "content/kim-a") -> None:
    (root / folder).mkdir(parents=True, exist_ok=True)
    (root / folder / "2024-12-01-artikel-baru.md").write_text(
        "---\ntitle: Artikel baru\ndate: 2024-12-01\n---\nIsi artikel baru.\n", encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _theme_override(root: Path) -> None:
    from kimsite.workspace.themes import BUILTIN, builtin_themes_dir

    target = root / "themes" / "default" / "templates"
    target.mkdir(parents=True)
    page = builtin_themes_dir() / BUILTIN / "templates" / "404.html"
    (target / "404.html").write_text(page.read_text(encoding="utf-8").replace(
        "{% endblock %}", "<!-- diganti -->\n{% endblock %}"), encoding="utf-8")


CHANGES = {
    "article edited": _edit,
    "article edited, same size": _same_size_new_time,
    "article edited, same time": _same_time_new_size,
    "article added": _add_article,
    "article added to an empty folder": lambda root: _add_article(root, "content/kim-b/arsip"),
    "article added in a new folder": lambda root: _add_article(root, "content/kim-b/lama"),
    "article deleted": lambda root: (root / ARTICLE).unlink(),
    "article renamed": lambda root: (root / ARTICLE).rename(root / "content/kim-a/2024-11-21-apbdes.md"),
    "KIM added": lambda root: _add_article(root, "content/kim-c"),
    "site file edited": lambda root: _replace(root / "sites/kim-a.yaml", "KIM Maju Bersama", "KIM Maju Terus"),
    "settings edited": lambda root: (root / "kimsite.yaml").write_text(
        (root / "kimsite.yaml").read_text(encoding="utf-8") + "\n# catatan\n", encoding="utf-8"),
    "theme override added": _theme_override,
    "feeds folder added": lambda root: (root / "feeds").mkdir(),
    "editor settings added": lambda root: (root / "admin").mkdir(),
    "member list added": lambda root: (root / "sites" / "anggota.opml").write_text("<opml/>", encoding="utf-8"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_an_input_lets_the_build_run(built: Path, tmp_path: Path, change: str):
    CHANGES[change](built)
    done, early = kimsite_build(built)
    assert not early, change
    # what the build made is what a build from nothing makes of the changed workspace
    clean = tmp_path / "clean"
    shutil.copytree(built, clean, ignore=shutil.ignore_patterns(".kimsite", "_site", ".*kimsite-*"))
    kimsite_build(clean)
    if done.returncode == 0:
        assert files(built / "_site") == files(clean / "_site")
        again, early = kimsite_build(built)
        assert again.returncode == 0 and (early or again.stderr), change  # a stamp again, unless it warned


def test_changes_inside_a_theme_in_use_are_seen(built: Path):
    _theme_override(built)
    assert not kimsite_build(built)[1]
    assert kimsite_build(built)[1]
    _replace(built / "themes" / "default" / "templates" / "404.html", "<!-- diganti -->", "<!-- lagi -->")
    done, early = kimsite_build(built)
    assert not early and "<!-- lagi -->" in (built / "_site" / "404.html").read_text(encoding="utf-8")


def test_another_copy_of_kimsite_lets_the_build_run(built: Path, tmp_path: Path):
    """The stamp names the files of the kimsite that made it: a copy of the same version
    elsewhere (a second checkout, another environment) is not answered for by it."""
    package = Path(up_to_date.__file__).resolve().parents[1]
    other = tmp_path / "other"
    shutil.copytree(package, other / "kimsite", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(themes.builtin_themes_dir(), other / "themes", ignore=shutil.ignore_patterns("__pycache__"))
    # byte-compiled as pip installs it: where Python may write bytecode, a first run would add
    # __pycache__ folders to the package after its stamp noted the package's folders
    compileall.compile_dir(other / "kimsite", quiet=1)
    before = files(built / "_site")
    with_other = {"PYTHONPATH": str(other)}
    done, early = kimsite_build(built, env=with_other)
    assert done.returncode == 0 and not early, done.stderr
    assert files(built / "_site") == before
    assert kimsite_build(built, env=with_other)[1]  # its own stamp now
    assert not kimsite_build(built)[1]


@pytest.mark.parametrize("damage", DAMAGES)
def test_an_altered_output_lets_the_build_put_it_right(built: Path, tmp_path: Path, damage: str):
    clean = files(built / "_site")
    damage_output(built / "_site", damage, tmp_path)
    done, early = kimsite_build(built)
    assert not early and done.returncode == 0, damage
    assert files(built / "_site") == clean


@pytest.mark.parametrize("arguments, env", [
    (["--drafts"], None), (["--future"], None), (["--strict"], None), (["--base-url", "https://lain.example/"], None),
    (["--timings"], None), (["--for-publish"], None), (["-o", "_site"], None), (["--no-cache"], None),
    (["--site", "kim-a"], None), (["-q", "-q"], None),
    ([], {"KIMSITE_NOW": "2026-12-01T00:00:00+07:00"}), ([], {"SOURCE_DATE_EPOCH": "1790000000"}),
])
def test_options_the_stamp_does_not_answer_for_go_to_the_build(built: Path, arguments, env):
    before = files(built / "_site")
    done, early = kimsite_build(built, *arguments, env=env)
    assert not early
    if arguments[:1] in (["--timings"], ["-q"]) or env:
        assert done.returncode == 0
    if arguments in ([], ["--timings"]):
        assert files(built / "_site") == before


@pytest.mark.parametrize("arguments", [["-j", "0"], ["-j", "x"], ["--lang", "fr"], ["--bogus"], ["-C"],
                                       ["-q", "extra"], ["--base-url"]])
def test_a_wrong_command_line_is_refused_as_always(built: Path, arguments):
    done, _ = kimsite_build(built, *arguments)
    assert done.returncode == 2 and done.stdout == "" and "nothing changed" not in done.stderr


@pytest.mark.parametrize("left", ["journal.json", "journal.json.tmp", "images", "cards", "beside"])
def test_what_an_interrupted_or_tampered_build_left_goes_to_the_build(built: Path, left: str):
    if left == "beside":
        (built / "._site.kimsite-new").mkdir()
    elif left.startswith("journal"):
        (built / ".kimsite" / left).write_text("{}", encoding="utf-8")
    else:
        shutil.rmtree(built / ".kimsite" / left, ignore_errors=True)
        (built / ".kimsite" / left).write_text("not a folder", encoding="utf-8")
    done, early = kimsite_build(built)
    assert not early and done.returncode == 0, done.stderr
    assert not (built / "._site.kimsite-new").exists() and not (built / ".kimsite" / "journal.json").exists()


def _forged(root: Path, index: int, value: str) -> str:
    lines = _stamp(root).split("\n")
    lines[index] = value
    return "\n".join(lines)


@pytest.mark.parametrize("forge", [
    lambda root: b"\xff\xfe garbage",
    lambda root: "",
    lambda root: "kimsite-up-to-date-1",
    lambda root: _stamp(root).split("\n", 5)[0],
    lambda root: _forged(root, 0, "kimsite-up-to-date-0"),
    lambda root: _forged(root, 1, "0.0.1\0/another/python\0" + sys.version.replace("\n", " ")),
    lambda root: _forged(root, 2, "/another/workspace"),
    lambda root: _forged(root, 4, f"{time.time() - 200}\0{time.time() - 100}"),  # its day has passed
    lambda root: _forged(root, 4, f"{time.time() + 100}\0{time.time() + 200}"),  # a clock set back
    lambda root: _forged(root, 4, "nan\0inf"),
    lambda root: _forged(root, 5, "_site"),
    lambda root: _forged(root, 5, str(root / "content")),
    lambda root: _forged(root, 6, "1\0002\0003\0004\0" + "0" * 32),
    lambda root: _forged(root, 7, "only one part"),
    lambda root: _stamp(root) + "\nx\0anything",
    lambda root: _stamp(root) + "\nf\0../../etc/passwd\0" + "1\0002",
    lambda root: _stamp(root) + "\nd\0/\0001",
    lambda root: _stamp(root) + "\na\0kimsite.yaml",
    lambda root: _stamp(root) + "\nf\0kimsite.yaml\0notanumber",
])
def test_a_stamp_that_is_damaged_or_forged_is_not_taken(built: Path, forge):
    _set_stamp(built, forge(built))
    done, early = kimsite_build(built)
    assert not early and done.returncode == 0, done.stderr
    assert "nothing changed" in done.stdout  # the build found it so itself


@pytest.mark.parametrize("arguments", [[], ["-q"], ["--lang", "id"]])
def test_warnings_are_shown_by_the_first_step_as_the_build_shows_them(built: Path, arguments):
    settings = built / "kimsite.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nunknown_setting_for_test: 1\n", encoding="utf-8")
    article = built / ARTICLE  # a content warning too: an unknown front matter field
    article.write_text(article.read_text(encoding="utf-8").replace("---\n", "---\nwarna_favorit: biru\n", 1),
                       encoding="utf-8")
    done, early = kimsite_build(built, *arguments)
    assert done.returncode == 0 and not early and len(done.stderr.splitlines()) >= 2, done.stderr
    first, early = kimsite_build(built, *arguments)
    assert early and first.returncode == 0
    _set_stamp(built, "not a stamp")
    slow, early = kimsite_build(built, *arguments)
    assert not early and slow.returncode == 0
    assert first.stderr == slow.stderr and first.stderr.splitlines() == done.stderr.splitlines()
    assert re.sub(r"\d+\.\d\d", "X", first.stdout) == re.sub(r"\d+\.\d\d", "X", slow.stdout)
    strict, early = kimsite_build(built, "--strict", *arguments)
    assert not early and strict.returncode == 1  # warnings are errors there: never answered early


def test_a_failed_build_leaves_no_answer_for_the_next(built: Path):
    article = built / ARTICLE
    good = article.read_text(encoding="utf-8")
    article.write_text("---\ntitle: [tidak ditutup\n---\nIsi.\n", encoding="utf-8")
    failed, early = kimsite_build(built)
    assert failed.returncode == 1 and not early
    again, early = kimsite_build(built)
    assert again.returncode == 1 and not early
    article.write_text(good, encoding="utf-8")
    fixed, early = kimsite_build(built)
    assert fixed.returncode == 0 and not early


def test_a_build_holding_the_lock_keeps_the_first_step_out(built: Path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(built / '.kimsite' / 'lock')!r}, os.O_RDWR)\n"
        "fcntl.lockf(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(30)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        done, early = kimsite_build(built, env={"KIMSITE_LOCK_TIMEOUT": "0.3"})
        assert not early and done.returncode == 1 and ".kimsite/lock" in done.stderr
    finally:
        holder.kill()
        holder.wait()
    assert kimsite_build(built)[1]


def test_a_link_among_the_inputs_means_no_stamp(built: Path):
    os.symlink("2024-11-20-rincian-apbdes.md", built / "content" / "kim-a" / "2024-11-22-tautan.md")
    first, early = kimsite_build(built)
    assert not early
    assert not kimsite_build(built)[1]  # a link is never what a record says: the build decides


# --- the output looked at with a child ----------------------------------------------------

def _entries_and_identity(root: Path) -> tuple[str, str]:
    text = _stamp(root)
    entries = look_ahead.peek_entries(str(root / ".kimsite"))[str(root / "_site")]
    return entries, text.split("\n")[6]


@pytest.mark.parametrize("wait, step", [(0.0, 1), (0.0, 256), (0.05, 3), (0.5, 256)])
def test_the_output_looked_at_from_both_ends_has_the_stamped_identity(built: Path, monkeypatch, wait, step):
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    monkeypatch.setattr(look_ahead, "STREAM_STEP", 2)
    monkeypatch.setattr(look_ahead, "_STEAL_STEP", step)
    entries, identity = _entries_and_identity(built)
    look_ahead.start_early(["build", "-C", str(built)])
    try:
        time.sleep(wait)
        seen = look_ahead.adopt_identity(str(built / "_site"), str(built / ".kimsite"))
    finally:
        look_ahead.close_early()
    assert seen is not None and "\0".join(map(str, seen)) == identity
    assert look_ahead._early == []


def test_the_first_step_in_one_process_with_a_child(built: Path, monkeypatch):
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    look_ahead.start_early(["build", "-C", str(built)])
    try:
        lines = up_to_date.lines_when_up_to_date(["build", "-C", str(built), "--lang", "en"], time.perf_counter(),
                                                 str(built))
    finally:
        look_ahead.close_early()
    assert lines is not None and lines[0] == [] and lines[1][0].startswith("nothing changed; _site is up to date")


@pytest.mark.parametrize("damage", ["deep-edited", "deep-deleted", "deep-added", "marker"])
def test_a_child_and_the_parent_find_an_altered_output(built: Path, tmp_path: Path, monkeypatch, damage):
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    monkeypatch.setattr(look_ahead, "_STEAL_STEP", 1)
    _entries, identity = _entries_and_identity(built)
    damage_output(built / "_site", damage, tmp_path)
    look_ahead.start_early(["build", "-C", str(built)])
    try:
        seen = look_ahead.adopt_identity(str(built / "_site"), str(built / ".kimsite"))
    finally:
        look_ahead.close_early()
    assert seen is None or "\0".join(map(str, seen)) != identity


def test_a_child_that_read_another_list_is_not_believed_by_the_first_step(built: Path, monkeypatch):
    """The child reads the list of entries itself, the first step its own once the stamp holds:
    had they read different lists (a build in between), what the child saw does not make the
    stamped identity, and the build goes on (which looks again). (Only the lines the first step
    looked at itself, of its own list, could make it: the child here has long sent all of its.)"""
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    _entries, identity = _entries_and_identity(built)
    real = look_ahead.peek_entries
    monkeypatch.setattr(look_ahead, "peek_entries",
                        lambda state_dir: {output: "\0".join(reversed(entries.split("\0")))
                                           for output, entries in real(state_dir).items()})
    look_ahead.start_early(["build", "-C", str(built)])  # the child reads the list backwards
    monkeypatch.setattr(look_ahead, "peek_entries", real)
    try:
        time.sleep(0.5)
        seen = look_ahead.adopt_identity(str(built / "_site"), str(built / ".kimsite"))
    finally:
        look_ahead.close_early()
    assert seen is None or "\0".join(map(str, seen)) != identity
    assert kimsite_build(built)[1]  # and a build of its own ends in the first step


def test_the_first_lines_of_what_a_child_sent():
    pieces = [b"1 2 3 4\na\nb", b"\nc\n", b"d\ne\n"]
    counts = [1, 2, 2]  # entry lines that end in each piece (the head's not)
    assert look_ahead._first_lines(pieces, counts, 0) == b""
    assert look_ahead._first_lines(pieces, counts, 1) == b"a\n"
    assert look_ahead._first_lines(pieces, counts, 2) == b"a\nb\n"
    assert look_ahead._first_lines(pieces, counts, 4) == b"a\nb\nc\nd\n"
    assert look_ahead._first_lines(pieces, counts, 5) == b"a\nb\nc\nd\ne\n"
    assert look_ahead._first_lines(pieces, counts, 6) is None


def test_the_stamped_identity_is_the_outputs(built: Path):
    from kimsite.write import freshness

    entries, identity = _entries_and_identity(built)
    seen = freshness.look_at_output(built / "_site", entries)
    assert "\0".join(map(str, seen.identity)) == identity
    assert output_lines.entry_names(entries) is not None


@pytest.mark.parametrize("first_step", [True, False])
def test_a_build_with_no_standard_output_ends_without_a_traceback(built: Path, first_step: bool):
    if not first_step:
        _set_stamp(built, "not a stamp")
    environment = {k: v for k, v in os.environ.items() if k not in ("KIMSITE_NOW", "SOURCE_DATE_EPOCH")}
    done = subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(built)], stderr=subprocess.PIPE,
                          text=True, env=environment, timeout=120, preexec_fn=lambda: os.close(1))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr


def test_a_child_whose_last_line_is_still_on_its_way_is_waited_for(built: Path):
    """The child has sent every entry's line, not yet its digest: the program waits for it
    instead of looking again or giving up."""
    import threading

    entries, identity = _entries_and_identity(built)
    share = look_ahead.look(str(built / "_site"), entries, whole=True)
    last = share.rfind(b"\n", 0, len(share) - 1) + 1  # where the digest line starts
    read_end, write_end = os.pipe()
    os.write(write_end, share[:last])

    def finish() -> None:
        time.sleep(0.3)
        os.write(write_end, share[last:])
        os.close(write_end)

    writer = threading.Thread(target=finish)
    writer.start()
    try:
        seen = look_ahead._look_with(read_end, str(built / "_site"), entries)
    finally:
        writer.join()
        os.close(read_end)
    assert seen is not None and "\0".join(map(str, seen)) == identity
