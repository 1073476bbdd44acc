"""Share cards drawn ahead by a child process while the build parses and plans
(kimsite.media.drawn_ahead): the same cards under the same names, a child that never outlives
the build, and a site that is the same with or without it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from kimsite.build import build
from kimsite.media import drawn_ahead, icons, og_card
from kimsite.media.drawn_ahead import DrawnAhead
from kimsite.workspace.options import BuildOptions
from conftest import copy_demo
from test_interrupt import _wait_for

CARDS = [(f"Judul berita nomor {n} tentang kerja bakti warga", "KIM Uji", "Kecamatan Maniis") for n in range(12)]
VERDICT = ("Pendaftaran BLT lewat tautan WhatsApp", "KIM Uji", "Kecamatan Maniis", "HOAKS", "false")
ICONS = [("MH", 32), ("MH", 192), ("K", 192)]


def published_tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_child_draws_each_picture_as_the_render_step_would(tmp_path):
    cards, icon_folder = tmp_path / "cards", tmp_path / "icons"
    ahead = DrawnAhead(tmp_path)
    ahead.want(CARDS + [VERDICT], ICONS)
    assert ahead.drawing
    card_names = {og_card.card_file_name(*params): params for params in CARDS + [VERDICT]}
    icon_names = {icons.icon_file_name(*params): params for params in ICONS}

    def all_drawn() -> bool:
        return (cards.is_dir() and card_names.keys() <= set(os.listdir(cards))
                and icon_folder.is_dir() and icon_names.keys() <= set(os.listdir(icon_folder)))

    try:
        assert _wait_for(all_drawn)
    finally:
        process = ahead.process
        ahead.stop()
    assert process.returncode == 0  # it left when its pipe closed, not killed
    for name, params in card_names.items():
        assert (cards / name).read_bytes() == og_card.draw_card(*params)
    for name, (letters, size) in icon_names.items():
        assert (icon_folder / name).read_bytes() == icons._png(icons._from_initials(letters, size))
    # nothing else: no temporary file left
    assert sorted(os.listdir(cards)) == sorted(card_names)
    assert sorted(os.listdir(icon_folder)) == sorted(icon_names)


def test_the_child_imports_what_the_build_imported(tmp_path, monkeypatch):
    """The child draws with this process's kimsite and libraries: a `PIL` or a `kimsite` on a
    PYTHONPATH it inherits, ahead of this process's, is not the one it runs."""
    shadows = tmp_path / "shadow"
    for package in ("PIL", "kimsite"):
        (shadows / package).mkdir(parents=True)
        (shadows / package / "__init__.py").write_text("raise SystemExit(3)\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(shadows))
    ahead = DrawnAhead(tmp_path / "state")
    ahead.want(CARDS)
    names = {og_card.card_file_name(*params) for params in CARDS}
    cards = tmp_path / "state" / "cards"
    try:
        assert _wait_for(lambda: cards.is_dir() and names <= set(os.listdir(cards)), seconds=20)
    finally:
        process = ahead.process
        ahead.stop()
    assert process.returncode == 0


def test_any_title_reaches_the_child_whole(tmp_path):
    """Titles travel to the child as JSON: Indonesian and other scripts, emoji, and a lone
    surrogate (which a str can hold) neither stop the build nor the child."""
    odd = [("Kerja bakti ✓ — 🌾 Desa Citamiang “gotong royong”", "KIM Uji", "Desa Citamiang"),
           ("Berita \ud800 rusak", "KIM Uji", "")]
    ahead = DrawnAhead(tmp_path)
    ahead.want(odd + CARDS)
    names = {og_card.card_file_name(*params) for params in [odd[0]] + CARDS}
    try:
        assert _wait_for(lambda: (tmp_path / "cards").is_dir() and names <= set(os.listdir(tmp_path / "cards")))
    finally:
        process = ahead.process
        ahead.stop()
    assert process.returncode == 0
    assert (tmp_path / "cards" / og_card.card_file_name(*odd[0])).read_bytes() == og_card.draw_card(*odd[0])


def test_pictures_already_in_the_cache_start_no_child(tmp_path):
    folder = tmp_path / "cards"
    folder.mkdir()
    for params in CARDS:
        (folder / og_card.card_file_name(*params)).write_bytes(b"kept")
    ahead = DrawnAhead(tmp_path)
    ahead.want(CARDS)
    assert not ahead.drawing
    # fewer missing pictures than a child is worth: the render step draws them
    ahead.want([VERDICT], ICONS)
    assert not ahead.drawing
    ahead.stop()
    assert (folder / og_card.card_file_name(*CARDS[0])).read_bytes() == b"kept"


def test_asked_to_stop_the_child_leaves_after_its_card(tmp_path):
    many = [(f"Judul {n}", "KIM Uji", "") for n in range(2000)]
    ahead = DrawnAhead(tmp_path)
    ahead.want(many)
    process = ahead.process
    started = time.monotonic()
    ahead.stop()
    assert time.monotonic() - started < drawn_ahead.STOP_WAIT
    assert process.returncode == 0
    drawn = os.listdir(tmp_path / "cards") if (tmp_path / "cards").exists() else []
    assert len(drawn) < len(many)
    assert not [name for name in drawn if not name.endswith(".jpg")]  # no half-written card


def test_a_ctrl_c_reaches_the_build_not_the_child(tmp_path):
    ahead = DrawnAhead(tmp_path)
    ahead.want([(f"Judul {n}", "KIM Uji", "") for n in range(2000)])
    process = ahead.process
    # once it draws, it ignores SIGINT (a Ctrl+C in its first milliseconds ends it: the render
    # step then draws every card)
    assert _wait_for(lambda: (tmp_path / "cards").is_dir() and os.listdir(tmp_path / "cards"))
    process.send_signal(signal.SIGINT)
    time.sleep(0.2)
    assert process.poll() is None
    ahead.stop()
    assert process.returncode == 0


def test_a_child_that_is_gone_costs_the_build_nothing(tmp_path):
    ahead = DrawnAhead(tmp_path)
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
    ahead = DrawnAhead(tmp_path)
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
    real_start, real_lines = drawn_ahead._start, drawn_ahead._lines

    def start(folder):
        process = real_start(folder)
        started.append(process)
        return process

    def lines(cards):
        asked.extend(cards)
        return real_lines(cards)

    monkeypatch.setattr(drawn_ahead, "_start", start)
    monkeypatch.setattr(drawn_ahead, "_lines", lines)
    return started, asked


def test_a_cold_build_draws_ahead_and_publishes_the_same_site(demo_copy, tmp_path, monkeypatch):
    started, asked = spy_on_children(monkeypatch)
    result = build(demo_copy, BuildOptions(output=str(tmp_path / "ahead")))
    assert not [p for p in result.problems if p.severity == "error"]
    assert len(started) == 1
    assert started[0].returncode == 0  # stopped once the cards were rendered
    # every KIM's card, the portal's and the verdict cards of the klarifikasi; the icons of the
    # KIMs without a logo and the portal's
    asked_cards = [params for kind, *params in asked if kind == drawn_ahead.CARD]
    asked_icons = [params for kind, *params in asked if kind == drawn_ahead.ICON]
    assert len([params for params in asked_cards if len(params) == 3]) == 8 + 1
    assert [params for params in asked_cards if len(params) == 5]
    assert asked_icons and len(asked_icons) % 2 == 0
    cards, icon_folder = demo_copy / ".kimsite" / "cards", demo_copy / ".kimsite" / "icons"
    assert {og_card.card_file_name(*params) for params in asked_cards} <= set(os.listdir(cards))
    assert {icons.icon_file_name(*params) for params in asked_icons} <= set(os.listdir(icon_folder))
    # the same build without the child: every card drawn by the render step
    monkeypatch.setattr(drawn_ahead, "MIN_MISSING", 10**9)
    other = copy_demo(tmp_path / "demo-alone")
    build(other, BuildOptions(output=str(tmp_path / "alone")))
    assert len(started) == 1
    assert published_tree(tmp_path / "ahead") == published_tree(tmp_path / "alone")
    assert published_tree(cards) == published_tree(other / ".kimsite" / "cards")
    assert published_tree(icon_folder) == published_tree(other / ".kimsite" / "icons")


def test_a_rebuild_with_its_pictures_cached_starts_no_child(demo_copy, tmp_path, monkeypatch):
    output = str(tmp_path / "out")
    build(demo_copy, BuildOptions(output=output))
    started, _asked = spy_on_children(monkeypatch)
    article = next((demo_copy / "content").glob("*/*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nParagraf baru.\n", encoding="utf-8")
    build(demo_copy, BuildOptions(output=output))
    build(demo_copy, BuildOptions(output=output, use_cache=False))
    assert started == []


def test_a_build_told_to_use_one_process_starts_no_child(demo_copy, tmp_path, monkeypatch):
    started, _asked = spy_on_children(monkeypatch)
    build(demo_copy, BuildOptions(output=str(tmp_path / "out"), jobs=1))
    assert started == []
    assert len(os.listdir(demo_copy / ".kimsite" / "cards")) >= 9  # drawn by the render step


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
