"""The output check done by child processes while the build reads the workspace
(kimsite.write.look_ahead): the same answer as a check in the build's own process, in every case
where the output was altered, and no child left behind whatever happens."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from safety import NOW, files, fixture_copy, join_trash_threads, run_kimsite
from test_locking import DAMAGES, DEEP_PAGE, damage_output

from kimsite.build import BuildOptions, build
from kimsite.workspace import sources
from kimsite.base.problems import KimsiteError
from kimsite.workspace.cache import BuildCache
from kimsite.workspace.cache_peek import peek_entries
from kimsite.write import freshness, look_ahead, output_lines
from kimsite.write.look_ahead import LookAhead

OPTIONS = BuildOptions(now=NOW)


@pytest.fixture(autouse=True)
def _no_reaper_threads():
    """Children are forked only by a process without other threads: those reaping the deleters
    of earlier tests' outputs are waited for (on a loaded machine they outlive their test)."""
    join_trash_threads()


@pytest.fixture
def uses(monkeypatch) -> dict[str, list]:
    """Children look at every output, however small; what they were asked and answered is
    recorded, and so is every look the build took in its own process."""
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    record: dict[str, list] = {"started": [], "taken": [], "own_looks": [], "pids": []}
    start, take, fork = LookAhead.start.__func__, LookAhead.take, look_ahead._fork_looker
    own_look = freshness.look_at_output

    def recording_start(cls, *args):
        started = start(cls, *args)
        record["started"].append(started)
        return started

    def recording_take(self, *args):
        seen = take(self, *args)
        record["taken"].append(seen)
        return seen

    def recording_fork(*args, **kwargs):
        child = fork(*args, **kwargs)
        record["pids"].append(child[0] if child else None)
        return child

    def recording_look(*args):
        record["own_looks"].append(args)
        return own_look(*args)

    monkeypatch.setattr(LookAhead, "start", classmethod(recording_start))
    monkeypatch.setattr(LookAhead, "take", recording_take)
    monkeypatch.setattr(look_ahead, "_fork_looker", recording_fork)
    monkeypatch.setattr(freshness, "look_at_output", recording_look)
    return record


def _no_children_left(pids: list) -> None:
    for pid in pids:
        assert pid is not None
        with pytest.raises(ChildProcessError):  # reaped: not a zombie, not running
            os.waitpid(pid, os.WNOHANG)


def _state(root: Path) -> dict:
    """The last build's state, with the output's entries it kept beside it."""
    cache, _ = BuildCache.open(root / ".kimsite")
    try:
        state = cache.get_state(f"build:{root / '_site'}")
        return {**state, "output_entries": cache.kept_entries(root / "_site")}
    finally:
        cache.close()


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> dict[str, bytes]:
    root = fixture_copy(tmp_path_factory.mktemp("clean") / "ws")
    return files(build(root, BuildOptions(now=NOW, use_cache=False)).output_dir)


def test_a_no_change_build_takes_the_childrens_look_and_looks_at_nothing_itself(tmp_path: Path, uses):
    root = fixture_copy(tmp_path / "ws")
    assert not build(root, OPTIONS).up_to_date
    uses["own_looks"].clear()
    result = build(root, OPTIONS)
    assert result.up_to_date
    assert len(uses["pids"]) == look_ahead.LOOKERS
    assert len(uses["taken"]) == 1 and uses["taken"][0] is not None
    assert uses["own_looks"] == []
    _no_children_left(uses["pids"])


def test_the_childrens_look_is_the_look_of_this_process(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    state = _state(root)
    output = (root / "_site").resolve()
    for lookers in (1, 2, 3, 50):  # more children than some parts have entries, too
        monkeypatch.setattr(look_ahead, "LOOKERS", lookers)
        ahead = LookAhead.start(output, root / ".kimsite")
        assert ahead is not None
        seen = ahead.take(state["output_entries"], state["output_identity"])
        own = freshness.look_at_output(output, state["output_entries"])
        assert seen is not None and own is not None
        assert seen.identity == own.identity == state["output_identity"]
        assert seen.head == own.head and seen.entries == own.entries
        assert list(seen.lines.items()) == list(own.lines.items())


def test_parts_are_the_entries_cut_at_separators():
    entries = "\0".join(f"kim-{n}/{'x' * (n % 7)}index.html" for n in range(101))
    for count in (1, 2, 3, 7, 101, 150):
        parts = look_ahead._parts(entries, count)
        assert "\0".join(parts) == entries
        assert 1 <= len(parts) <= count and all(parts)
        if count <= 7:  # about the same length each
            assert len(parts) == count
            assert max(map(len, parts)) - min(map(len, parts)) <= 2 * max(len(name) for name in entries.split("\0"))
    assert look_ahead._parts("one", 2) == ["one"]


@pytest.mark.parametrize("damage", DAMAGES)
def test_an_altered_output_is_found_by_the_children_too(tmp_path: Path, damage: str, clean_site, uses):
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    damage_output(root / "_site", damage, tmp_path)
    uses["taken"].clear()
    result = build(root, OPTIONS)
    assert not result.up_to_date
    assert files(root / "_site") == clean_site
    # Children were started whenever the output folder could still be opened by its name
    # (a deleted output or marker is found by the build itself).
    if damage not in ("output", "marker"):
        assert uses["taken"] == [None]
    assert build(root, OPTIONS).up_to_date
    _no_children_left(uses["pids"])


def test_a_build_that_commits_after_the_children_looked_is_not_missed(tmp_path: Path, monkeypatch):
    """The children look before the lock is taken; another build may change the output before
    this one gets the lock. Its state is what the look is compared with: not the same."""
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    before = _state(root)
    ahead = LookAhead.start((root / "_site").resolve(), root / ".kimsite")
    assert ahead is not None
    pids = [pid for pid, _pipe in ahead.children]
    for pid in pids:  # each has looked and written what it saw (a small output fits in its pipe)
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    article = next((root / "content" / "kim-a").glob("*posyandu-balita.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    assert not build(root, OPTIONS).up_to_date  # the other build, in between
    after = _state(root)
    assert after["output_entries"] == before["output_entries"]
    assert after["output_identity"] != before["output_identity"]
    assert ahead.take(after["output_entries"], after["output_identity"]) is None
    _no_children_left(pids)
    # (and had nothing been built in between, the same look would have been taken)
    ahead = LookAhead.start((root / "_site").resolve(), root / ".kimsite")
    assert ahead.take(after["output_entries"], after["output_identity"]) is not None


def test_entries_that_are_not_the_stored_ones_are_not_used(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    state = _state(root)
    ahead = LookAhead.start((root / "_site").resolve(), root / ".kimsite")
    assert ahead.take(state["output_entries"] + "\0extra.html", state["output_identity"]) is None
    ahead = LookAhead.start((root / "_site").resolve(), root / ".kimsite")
    assert ahead.take(state["output_entries"], (*state["output_identity"][:-1], "0" * 32)) is None


@pytest.mark.parametrize("forged", ["../outside.txt", "/etc/passwd", "kim-a/../../outside.txt", "", "a\0\0b"])
def test_forged_entries_are_looked_at_by_no_child(tmp_path: Path, monkeypatch, forged: str):
    """The cache is not trusted: a child given entries kimsite did not make reads nothing and
    answers nothing, and the build looks for itself (and finds the entries forged)."""
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    (tmp_path / "outside.txt").write_text("outside", encoding="utf-8")
    looked: list[str] = []
    monkeypatch.setattr(output_lines, "line", lambda info: looked.append(info) or "0\0" * 3 + "0\n")
    assert look_ahead.look((root / "_site").resolve(), forged + "\0index.html") == b""
    assert look_ahead.look((root / "_site").resolve(), "index.html\0" + forged) == b""
    assert looked == []


def test_a_forged_state_means_a_full_build_with_children_started(tmp_path: Path, uses, clean_site):
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    cache, _ = BuildCache.open(root / ".kimsite")
    entries = cache.kept_entries(root / "_site")
    cache.keep_entries_hint(root / "_site", "../outside.txt\0" + entries)  # with a checksum that fits
    cache.commit()
    cache.close()
    uses["taken"].clear()
    assert not build(root, OPTIONS).up_to_date
    assert uses["taken"] == [None]
    assert files(root / "_site") == clean_site


def test_a_recovered_interrupted_build_makes_the_childrens_look_unused(tmp_path: Path, uses, monkeypatch):
    """An interrupted build's journal is finished under the lock, after the children looked."""
    import kimsite.write.writer as writer

    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    recover = writer.recover
    monkeypatch.setattr(writer, "recover", lambda *args: recover(*args) or "recovered")
    uses["taken"].clear()
    uses["own_looks"].clear()
    result = build(root, OPTIONS)
    assert result.up_to_date  # nothing was really put right: the build's own look finds it so
    assert uses["taken"] == [] and len(uses["own_looks"]) == 1
    _no_children_left(uses["pids"])


def test_no_children_while_another_thread_runs(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert LookAhead.start((root / "_site").resolve(), root / ".kimsite") is None
    finally:
        stop.set()
        other.join()


def test_small_outputs_and_missing_states_start_no_child(tmp_path: Path):
    root = fixture_copy(tmp_path / "ws")
    output = (root / "_site").resolve()
    assert LookAhead.start(output, root / ".kimsite") is None  # never built
    build(root, OPTIONS)
    assert LookAhead.start(output, root / ".kimsite") is None  # below MIN_ENTRIES
    assert LookAhead.start(root / "elsewhere", root / ".kimsite") is None  # an output the cache has no list of


def test_a_killed_child_means_the_build_looks_itself(tmp_path: Path, uses, monkeypatch):
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    fork, stream_look, parent = look_ahead._fork_looker, look_ahead._stream_look, os.getpid()

    def waiting_in_the_child(*args, **kwargs):
        # The child waits to be killed: on a loaded machine it could otherwise have looked
        # and written everything before the parent, scheduled again, kills it.
        while os.getpid() != parent:
            time.sleep(1)
        return stream_look(*args, **kwargs)

    def fork_and_kill(*args, **kwargs):
        child = fork(*args, **kwargs)
        os.kill(child[0], signal.SIGKILL)
        return child

    monkeypatch.setattr(look_ahead, "_stream_look", waiting_in_the_child)
    monkeypatch.setattr(look_ahead, "_fork_looker", fork_and_kill)
    uses["own_looks"].clear()
    uses["taken"].clear()
    assert build(root, OPTIONS).up_to_date
    assert uses["taken"] == [None] and len(uses["own_looks"]) == 1


def test_an_interrupted_build_leaves_no_child(tmp_path: Path, uses, monkeypatch):
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    uses["pids"].clear()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sources, "scan", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(root, OPTIONS)
    assert len(uses["pids"]) == look_ahead.LOOKERS
    _no_children_left(uses["pids"])


def test_the_command_with_a_large_output(tmp_path: Path):
    """The program as a user runs it, over an output above MIN_ENTRIES: one answer, printed
    once; an altered page is still found."""
    root = fixture_copy(tmp_path / "ws")
    kim = root / "content" / "kim-a"
    for number in range(900):
        (kim / f"2024-05-{number % 28 + 1:02d}-kabar-{number}.md").write_text(
            f"---\ntitle: Kabar {number}\ndate: 2024-05-{number % 28 + 1:02d}\ntags: [warga, t{number % 40}]\n---\n\n"
            f"Paragraf kabar nomor {number}.\n", encoding="utf-8")
    first = run_kimsite("build", "-C", str(root))
    assert first.returncode == 0, first.stderr
    entries = _state(root)["output_entries"]
    assert entries.count("\0") + 1 >= look_ahead.MIN_ENTRIES
    again = run_kimsite("build", "-C", str(root))
    assert again.returncode == 0 and again.stderr == ""
    lines = again.stdout.splitlines()  # each line once: no child printed anything
    assert len(lines) == 2 and "up to date" in lines[0] and lines[1].startswith("not published:"), lines
    page = root / "_site" / DEEP_PAGE
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<script>x()</script></body>"))
    third = run_kimsite("build", "-C", str(root))
    assert third.returncode == 0 and "up to date" not in third.stdout
    assert b"<script>x()</script>" not in page.read_bytes()


def test_an_output_replaced_after_the_children_looked_is_found(tmp_path: Path, uses, monkeypatch, clean_site):
    """Between the children's look and the lock, the output folder is replaced by a copy (same
    files, same times): the build compares the folder itself again and looks for itself."""
    import shutil

    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    output = root / "_site"
    scan = sources.scan

    def replace_output_then_scan(*args, **kwargs):
        for pid in uses["pids"]:
            os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        shutil.copytree(output, tmp_path / "copy", symlinks=True, copy_function=shutil.copy2)
        shutil.copystat(output, tmp_path / "copy")
        output.rename(tmp_path / "old")
        (tmp_path / "copy").rename(output)
        return scan(*args, **kwargs)

    monkeypatch.setattr(sources, "scan", replace_output_then_scan)
    uses["pids"].clear()
    uses["taken"].clear()
    assert not build(root, OPTIONS).up_to_date
    assert uses["taken"] and uses["taken"][0] is not None  # the children saw the old folder...
    assert files(output) == clean_site  # ...and the build did not take their word for the new one


A_LINE, B_LINE = b"0\x000\x000\x000\n", b"0\x000\x000\x001\n"
ENTRIES = "a.html\0b.html"
DIGEST = output_lines.identity_digest(ENTRIES, A_LINE + B_LINE).encode()


@pytest.mark.parametrize("shares", [
    [b"1 2 3 4\n" + A_LINE + b"\n", b"1 2 3 5\n" + B_LINE + b"\n"],  # two folders seen
    [b"1 2 3 4\n" + A_LINE + b"\n", b""],  # a child that answered nothing
    [b"1 2 3 4\n" + A_LINE + b"\n", b"1 2 3 4\n" + B_LINE],  # a share cut short (no digest line)
    [b"1 2 3 4\n" + A_LINE + b"\n", b"1 2 3 4\n" + B_LINE[:-1]],
    [b"1 2 3 4\n" + A_LINE + b"\n", b"1 2 3 4\n" + B_LINE + B_LINE + b"\n"],  # one line too many
    [b"1 2 3\n" + A_LINE + b"\n", b"1 2 3\n" + B_LINE + b"\n"],  # a head of the wrong shape
    [b"1 2 3 4\n" + A_LINE + b"\n", b"1 2 3 4\n\xc3\xa9\x000\x000\x000\n\n"],  # not ASCII
    [b"1 2 x 4\n" + A_LINE + b"\n", b"1 2 x 4\n" + B_LINE + b"\n"],
])
def test_shares_that_do_not_make_one_look_are_refused(shares: list[bytes]):
    assert look_ahead._decode(shares, ENTRIES, output_lines.identity_hasher(ENTRIES)) is None
    good = [b"1 2 3 4\n" + A_LINE + b"\n", b"1 2 3 4\n" + B_LINE + b"\n"]
    seen = look_ahead._decode(good, ENTRIES, output_lines.identity_hasher(ENTRIES))
    assert seen.identity == (1, 2, 3, 4, DIGEST.decode())
    assert seen.lines == {"a.html": A_LINE.decode(), "b.html": B_LINE.decode()}


@pytest.mark.parametrize("share", [
    b"1 2 3 4\n" + A_LINE + B_LINE + b"\n",  # no digest
    b"1 2 3 4\n" + A_LINE + B_LINE + DIGEST[:-1] + b"\n",  # one too short
    b"1 2 3 4\n" + A_LINE + B_LINE + b"g" + DIGEST[1:] + b"\n",  # not a digest
    b"1 2 3 4\n" + A_LINE + B_LINE + b"\xc3" + DIGEST[2:] + b"\n",
    b"1 2 3 4\n" + A_LINE + DIGEST + b"\n",  # a line missing
    b"1 2 3 4\n" + A_LINE + B_LINE + DIGEST,  # cut short
])
def test_a_lone_childs_share_carries_the_digest_of_all_it_saw(share: bytes):
    assert look_ahead._decode([share], ENTRIES, None) is None
    whole = b"1 2 3 4\n" + A_LINE + B_LINE + DIGEST + b"\n"
    seen = look_ahead._decode([whole], ENTRIES, None)
    assert seen.identity == (1, 2, 3, 4, DIGEST.decode())
    assert seen.lines == {"a.html": A_LINE.decode(), "b.html": B_LINE.decode()}
    assert look_ahead.identity_of(whole) == (1, 2, 3, 4, DIGEST.decode())


@pytest.mark.parametrize("share", [
    b"", b"1 2 3 4\n", b"1 2 3 4\n" + A_LINE + B_LINE + b"\n", b"1 2 3 4\n" + A_LINE + B_LINE + DIGEST,
    b"1 2 3\n" + A_LINE + B_LINE + DIGEST + b"\n", b"1 2 x 4\n" + A_LINE + B_LINE + DIGEST + b"\n",
    b"1 2 3 4\n" + A_LINE + B_LINE + DIGEST.upper() + b"\n",
])
def test_an_identity_is_read_only_from_a_whole_share(share: bytes):
    assert look_ahead.identity_of(share) is None


# --- started by the program's first step ------------------------------------------------

@pytest.mark.parametrize("arguments, workspace", [
    (["build"], "."),
    (["build", "-C", "desa", "-q", "--timings"], "desa"),
    (["build", "--lang=en", "-j", "2", "--jobs=3", "--strict", "-C", "a", "-C", "b"], "b"),
    (["build", "--base-url", "https://kim.example/", "--drafts", "--future", "--for-publish"], "."),
    (["build", "-o", "publik"], None),  # another output folder than the settings name
    (["build", "--output=publik"], None),
    (["build", "--no-cache"], None),
    (["build", "--site", "kim-a"], None),
    (["build", "--search"], None),
    (["build", "-Cdesa"], None),  # forms left to the command line's own reading
    (["build", "-qC", "desa"], None),
    (["build", "--quiet=yes"], None),
    (["build", "-C"], None),
    (["build", "--bogus"], None),
    (["build", "--", "x"], None),
    (["check"], None), (["serve"], None), ([], None), (["-C", "x", "build"], None),
])
def test_only_builds_whose_output_the_settings_decide_start_children_early(arguments, workspace):
    assert look_ahead._workspace_of_build(arguments) == workspace


def _built_large(root: Path, monkeypatch) -> dict:
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", 1)
    assert not build(root, OPTIONS).up_to_date
    return _state(root)


def test_children_started_early_are_adopted_by_the_build(tmp_path: Path, uses, monkeypatch):
    root = fixture_copy(tmp_path / "ws")
    _built_large(root, monkeypatch)
    uses["started"].clear(), uses["own_looks"].clear(), uses["pids"].clear()
    look_ahead.start_early(["build", "-C", "ws", "-q"], str(tmp_path))
    assert len(look_ahead._early) == 1
    early = look_ahead._early[0]
    # one child, which reads the list of entries itself (the first step reads only its size)
    assert early.output_dir == str(root.resolve() / "_site") and early.entries is None
    assert len(uses["pids"]) == 1 and len(early.children) == 1
    result = build(root, OPTIONS)
    assert result.up_to_date
    assert uses["started"] == []  # none started by the build itself
    assert len(uses["taken"]) == 1 and uses["taken"][0] is not None and uses["own_looks"] == []
    assert look_ahead._early == []
    _no_children_left(uses["pids"])


def test_children_started_early_find_an_altered_output(tmp_path: Path, uses, monkeypatch, clean_site):
    root = fixture_copy(tmp_path / "ws")
    _built_large(root, monkeypatch)
    damage_output(root / "_site", "deep-edited", tmp_path)
    uses["taken"].clear()
    look_ahead.start_early(["build", "-C", str(root)])
    assert len(look_ahead._early) == 1
    assert not build(root, OPTIONS).up_to_date
    assert uses["taken"] == [None]
    assert files(root / "_site") == clean_site
    _no_children_left(uses["pids"])


@pytest.mark.parametrize("other_list", ["one entry left out", "two swapped", "one added"])
def test_a_child_that_read_another_list_of_entries_is_not_believed(tmp_path: Path, uses, monkeypatch, clean_site,
                                                                   other_list):
    """The first step's child reads the list of entries itself. Had the cache changed between its
    reading and the build's (another build ran meanwhile), its look is of other entries: the
    digest it made covers them, so the build does not take it, looks itself and finds the
    output as the last build left it."""
    root = fixture_copy(tmp_path / "ws")
    _built_large(root, monkeypatch)
    real = look_ahead.peek_entries

    def another_list(state_dir: str) -> dict[str, str]:
        lists = real(state_dir)
        names = lists[str(root.resolve() / "_site")].split("\0")
        if other_list == "one entry left out":
            names = names[:-1]
        elif other_list == "two swapped":
            names[0], names[1] = names[1], names[0]
        else:
            names.append("tidak-ada.html")
        return {output: "\0".join(names) for output in lists}

    monkeypatch.setattr(look_ahead, "peek_entries", another_list)  # what the forked child reads
    uses["taken"].clear(), uses["own_looks"].clear()
    look_ahead.start_early(["build", "-C", str(root)])
    monkeypatch.setattr(look_ahead, "peek_entries", real)
    assert len(look_ahead._early) == 1 and look_ahead._early[0].entries is None
    assert build(root, OPTIONS).up_to_date
    assert uses["taken"] == [None] and len(uses["own_looks"]) == 1
    assert files(root / "_site") == clean_site
    _no_children_left(uses["pids"])


def test_the_first_step_reads_only_the_size_of_the_list_of_entries(tmp_path: Path, monkeypatch):
    """The list (megabytes at 10,000 articles) is read by the child, not by the program's first
    step, which decides from its size alone: a small output gets no child."""
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    read = []
    monkeypatch.setattr(look_ahead, "peek_entries", lambda *args: read.append(args) or {})
    size = look_ahead.peek_entry_sizes(str(root / ".kimsite"))[str(root.resolve() / "_site")]
    assert size == len(_state(root)["output_entries"].encode("utf-8"))
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", size // look_ahead._ENTRY_BYTES + 1)
    look_ahead.start_early(["build", "-C", str(root)])
    assert look_ahead._early == []
    monkeypatch.setattr(look_ahead, "MIN_ENTRIES", size // look_ahead._ENTRY_BYTES)
    look_ahead.start_early(["build", "-C", str(root)])
    try:
        assert len(look_ahead._early) == 1
    finally:
        look_ahead.close_early()
    assert read == []


def test_children_started_early_for_another_output_are_ended(tmp_path: Path, uses, monkeypatch):
    """The first step guesses the output folder without the settings: when they name another
    one (here changed since the last build), its children are ended and the build looks itself."""
    root = fixture_copy(tmp_path / "ws")
    _built_large(root, monkeypatch)
    look_ahead.start_early(["build", "-C", str(root)])
    assert look_ahead._early and look_ahead._early[0].output_dir.endswith("/_site")
    settings = root / "kimsite.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("output: _site", "output: publik"),
                        encoding="utf-8")
    uses["started"].clear()
    result = build(root, OPTIONS)
    assert not result.up_to_date and result.output_dir == root.resolve() / "publik"
    assert uses["started"] == [None]  # the build asked for its own: the cache has no list for publik yet
    assert look_ahead._early == []
    _no_children_left(uses["pids"])
    # With lists for two outputs, the first step takes the default one, which is not the one built.
    look_ahead.start_early(["build", "-C", str(root)])
    assert look_ahead._early and look_ahead._early[0].output_dir == str(root.resolve() / "_site")
    uses["started"].clear(), uses["taken"].clear()
    assert build(root, OPTIONS).up_to_date
    assert len(uses["started"]) == 1 and uses["taken"][0] is not None
    _no_children_left(uses["pids"])


def test_children_started_early_are_ended_when_the_build_fails_before_adopting_them(tmp_path: Path, uses,
                                                                                     monkeypatch):
    root = fixture_copy(tmp_path / "ws")
    _built_large(root, monkeypatch)
    look_ahead.start_early(["build", "-C", str(root)])
    assert look_ahead._early
    (root / "kimsite.yaml").write_text("base_url: [\n", encoding="utf-8")
    with pytest.raises(KimsiteError):
        build(root, OPTIONS)
    assert look_ahead._early == []
    _no_children_left(uses["pids"])


def test_the_program_ends_children_no_build_adopted(tmp_path: Path, monkeypatch):
    """`kimsite build -j x`: the first step starts the children, the command line then refuses
    the value. Nothing is left running or unreaped when the program ends."""
    root = fixture_copy(tmp_path / "ws")
    _built_large(root, monkeypatch)
    code = ("import os, sys\n"
            "from kimsite.write import look_ahead\n"
            "look_ahead.MIN_ENTRIES = 1\n"
            f"sys.argv = ['kimsite', 'build', '-C', {str(root)!r}, '-j', 'x']\n"
            "from kimsite.program import run\n"
            "started = []\n"
            "start = look_ahead.start_early\n"
            "look_ahead.start_early = lambda *a: (start(*a), started.extend(look_ahead._early))\n"
            "try:\n"
            "    run()\n"
            "except SystemExit as exc:\n"
            "    print('exit', exc.code, len(started), len(look_ahead._early))\n"
            "try:\n"
            "    os.waitpid(-1, os.WNOHANG)\n"
            "    print('children left')\n"
            "except ChildProcessError:\n"
            "    print('none left')\n")
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert finished.stdout.split("\n")[:2] == ["exit 2 1 0", "none left"], finished.stdout + finished.stderr


def test_the_list_of_entries_read_early_is_the_one_of_the_last_build(tmp_path: Path):
    """kept in the cache as text after every build that changed it, for the first step"""
    root = fixture_copy(tmp_path / "ws")
    state_dir, output = str(root / ".kimsite"), str(root.resolve() / "_site")
    assert peek_entries(state_dir) == {}
    build(root, OPTIONS)
    assert peek_entries(state_dir) == {output: _state(root)["output_entries"]}
    (root / "content" / "kim-a" / "2024-06-01-kabar-baru.md").write_text(
        "---\ntitle: Kabar baru\ndate: 2024-06-01\n---\n\nIsi.\n", encoding="utf-8")
    assert not build(root, OPTIONS).up_to_date
    entries = _state(root)["output_entries"]
    assert "kim-a/2024/06/kabar-baru/index.html" in entries.split("\0")
    assert peek_entries(state_dir) == {output: entries}


@pytest.mark.parametrize("damage", ["state folder is a link", "cache is a link", "cache is a folder",
                                    "another version", "not a database", "list is not text"])
def test_a_list_of_entries_that_cannot_be_read_safely_is_not_read(tmp_path: Path, damage: str):
    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    state_dir = root / ".kimsite"
    cache_file = state_dir / "cache.sqlite"
    if damage == "state folder is a link":
        state_dir.rename(tmp_path / "elsewhere")
        state_dir.symlink_to(tmp_path / "elsewhere")
    elif damage == "cache is a link":
        cache_file.rename(tmp_path / "cache.sqlite")
        cache_file.symlink_to(tmp_path / "cache.sqlite")
    elif damage == "cache is a folder":
        for name in ("cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm"):
            (state_dir / name).unlink(missing_ok=True)
        cache_file.mkdir()
    elif damage == "not a database":
        for name in ("cache.sqlite-wal", "cache.sqlite-shm"):
            (state_dir / name).unlink(missing_ok=True)
        cache_file.write_bytes(b"SQLite format 3\0" + b"\xff" * 4000)
    else:
        connection = sqlite3.connect(cache_file)
        if damage == "another version":
            connection.execute("UPDATE meta SET value = 'kimsite-cache-8:0.0.1' WHERE key = 'schema'")
        else:
            connection.execute("UPDATE state SET value = CAST(value AS TEXT) WHERE key LIKE 'entries:%'")
        connection.commit()
        connection.close()
    assert peek_entries(str(state_dir)) == {}


def test_a_build_with_work_takes_the_childrens_look_once_it_plans(tmp_path: Path, uses, monkeypatch):
    """Only a build that may have nothing to do waits for the look before reading the workspace's
    records and parsing; any other takes it when it plans, as good as one taken at the start."""
    from kimsite.parse import parsing

    root = fixture_copy(tmp_path / "ws")
    build(root, OPTIONS)
    events: list[str] = []
    parse_all = parsing.parse_all
    monkeypatch.setattr(parsing, "parse_all", lambda *a, **k: (events.append("parse"), parse_all(*a, **k))[1])
    take = LookAhead.take
    monkeypatch.setattr(LookAhead, "take", lambda self, *a: (events.append("take"), take(self, *a))[1])
    article = next((root / "content" / "kim-a").glob("*posyandu-balita.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nTambahan.\n", encoding="utf-8")
    uses["own_looks"].clear(), uses["pids"].clear()
    result = build(root, OPTIONS)
    assert not result.up_to_date and events == ["parse", "take"]
    assert len(uses["taken"]) == 1 and uses["taken"][0] is not None and uses["own_looks"] == []
    fresh = fixture_copy(tmp_path / "fresh")
    (fresh / article.relative_to(root)).write_bytes(article.read_bytes())
    assert files(result.output_dir) == files(build(fresh, BuildOptions(now=NOW, use_cache=False)).output_dir)
    _no_children_left(uses["pids"])
    # a build with nothing to do still takes it first (before parsing nothing)
    events.clear()
    assert build(root, OPTIONS).up_to_date and events == ["take"]
