"""Share cards drawn ahead by a child process while the build parses and plans
(kimsite.media.cards_ahead): the same cards under the same names, a child that never outlives
the build, and a site that is the same with or without it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from kimsite.build import build
from kimsite.media import cards_ahead, og_card
from kimsite.media.cards_ahead import CardsAhead
from kimsite.workspace.options import BuildOptions
from conftest import copy_demo

CARDS = [(f"Judul berita nomor {n} tentang kerja bakti warga", "KIM Uji", "Kecamatan Maniis") for n in range(12)]
VERDICT = ("Pendaftaran BLT lewat tautan WhatsApp", "KIM Uji", "Kecamatan Maniis", "HOAKS", "false")


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def published_tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_child_draws_each_card_as_the_render_step_would(tmp_path):
    folder = tmp_path / "cards"
    ahead = CardsAhead(folder)
    wanted = CARDS + [VERDICT]
    ahead.want(wanted)
    assert ahead.drawing
    names = {og_card.card_file_name(*params): params for params in wanted}
    try:
        assert wait_for(lambda: folder.is_dir() and names.keys() <= set(os.listdir(folder)))
    finally:
        process = ahead.process
        ahead.stop()
    assert process.returncode == 0  # it left when its pipe closed, not killed
    for name, params in names.items():
        assert (folder / name).read_bytes() == og_card.draw_card(*params)
    assert sorted(os.listdir(folder)) == sorted(names)  # nothing else: no temporary file left


def test_cards_already_in_the_cache_start_no_child(tmp_path):
    folder = tmp_path / "cards"
    folder.mkdir()
    for params in CARDS:
        (folder / og_card.card_file_name(*params)).write_bytes(b"kept")
    ahead = CardsAhead(folder)
    ahead.want(CARDS)
    assert not ahead.drawing
    # fewer missing cards than a child is worth: the render step draws them
    ahead.want([VERDICT])
    assert not ahead.drawing
    ahead.stop()
    assert (folder / og_card.card_file_name(*CARDS[0])).read_bytes() == b"kept"


def test_asked_to_stop_the_child_leaves_after_its_card(tmp_path):
    many = [(f"Judul {n}", "KIM Uji", "") for n in range(2000)]
    ahead = CardsAhead(tmp_path / "cards")
    ahead.want(many)
    process = ahead.process
    started = time.monotonic()
    ahead.stop()
    assert time.monotonic() - started < cards_ahead.STOP_WAIT
    assert process.returncode == 0
    drawn = os.listdir(tmp_path / "cards") if (tmp_path / "cards").exists() else []
    assert len(drawn) < len(many)
    assert not [name for name in drawn if not name.endswith(".jpg")]  # no half-written card


def test_a_ctrl_c_reaches_the_build_not_the_child(tmp_path):
    ahead = CardsAhead(tmp_path / "cards")
    ahead.want([(f"Judul {n}", "KIM Uji", "") for n in range(2000)])
    process = ahead.process
    # once it draws, it ignores SIGINT (a Ctrl+C in its first milliseconds ends it: the render
    # step then draws every card)
    assert wait_for(lambda: (tmp_path / "cards").is_dir() and os.listdir(tmp_path / "cards"))
    process.send_signal(signal.SIGINT)
    time.sleep(0.2)
    assert process.poll() is None
    ahead.stop()
    assert process.returncode == 0


def test_a_child_that_is_gone_costs_the_build_nothing(tmp_path):
    ahead = CardsAhead(tmp_path / "cards")
    ahead.want(CARDS)
    process = ahead.process
    process.kill()
    process.wait()
    ahead.want([(f"Judul lain {n}", "KIM Uji", "") for n in range(50)])  # a closed pipe: no error
    ahead.stop()
    assert not ahead.drawing


def test_a_cache_folder_that_cannot_be_written_costs_the_build_nothing(tmp_path):
    blocked = tmp_path / "cards"
    blocked.write_text("a file where the folder should be")
    ahead = CardsAhead(blocked)
    ahead.want(CARDS)
    time.sleep(0.5)
    process = ahead.process
    ahead.stop()
    assert process.returncode == 0
    assert blocked.read_text() == "a file where the folder should be"


def spy_on_children(monkeypatch) -> tuple[list, list]:
    """The children started, and every card they were asked to draw."""
    started: list = []
    asked: list = []
    real_start, real_lines = cards_ahead._start, cards_ahead._lines

    def start(folder):
        process = real_start(folder)
        started.append(process)
        return process

    def lines(cards):
        asked.extend(cards)
        return real_lines(cards)

    monkeypatch.setattr(cards_ahead, "_start", start)
    monkeypatch.setattr(cards_ahead, "_lines", lines)
    return started, asked


def test_a_cold_build_draws_ahead_and_publishes_the_same_site(demo_copy, tmp_path, monkeypatch):
    started, asked = spy_on_children(monkeypatch)
    result = build(demo_copy, BuildOptions(output=str(tmp_path / "ahead")))
    assert not [p for p in result.problems if p.severity == "error"]
    assert len(started) == 1
    assert started[0].returncode == 0  # stopped once the cards were rendered
    # every KIM's card, the portal's and the verdict cards of the klarifikasi
    assert len([params for params in asked if len(params) == 3]) == 8 + 1
    assert [params for params in asked if len(params) == 5]
    cards = demo_copy / ".kimsite" / "cards"
    assert {og_card.card_file_name(*params) for params in asked} <= set(os.listdir(cards))
    # the same build without the child: every card drawn by the render step
    monkeypatch.setattr(cards_ahead, "MIN_MISSING", 10**9)
    other = copy_demo(tmp_path / "demo-alone")
    build(other, BuildOptions(output=str(tmp_path / "alone")))
    assert len(started) == 1
    assert published_tree(tmp_path / "ahead") == published_tree(tmp_path / "alone")
    assert published_tree(cards) == published_tree(other / ".kimsite" / "cards")


def test_a_rebuild_with_its_cards_cached_starts_no_child(demo_copy, tmp_path, monkeypatch):
    output = str(tmp_path / "out")
    build(demo_copy, BuildOptions(output=output))
    started, _asked = spy_on_children(monkeypatch)
    article = next((demo_copy / "content").glob("*/*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nParagraf baru.\n", encoding="utf-8")
    build(demo_copy, BuildOptions(output=output))
    build(demo_copy, BuildOptions(output=output, use_cache=False))
    assert started == []


def test_an_interrupted_build_leaves_no_child(demo_copy, tmp_path, monkeypatch):
    started, _asked = spy_on_children(monkeypatch)
    from kimsite.parse import parsing

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(parsing, "parse_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(demo_copy, BuildOptions(output=str(tmp_path / "out")))
    assert len(started) == 1
    assert started[0].returncode is not None
