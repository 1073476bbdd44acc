"""PyYAML without libyaml reads front matter several times slower: every build and check says
so, in both languages, and a build with libyaml says nothing."""

from __future__ import annotations

import pytest

from kimsite.base import yamlio
from kimsite.base.messages import message
from kimsite.build import BuildOptions, build
from kimsite.commands.check import collect

FILES = {
    "kimsite.yaml": "base_url: https://contoh.github.io/kim/\n",
    "sites/kim-uji.yaml": "name: KIM Uji\nkecamatan: Maniis\n",
    "content/kim-uji/2025-01-10-rapat.md": "---\ntitle: Rapat\ndate: 2025-01-10\n---\nIsi.\n",
}


def _codes(problems) -> list[str]:
    return [p.code for p in problems]


@pytest.mark.parametrize("with_libyaml", [True, False])
def test_every_build_and_check_says_when_libyaml_is_missing(make_workspace, monkeypatch, with_libyaml: bool):
    monkeypatch.setattr(yamlio, "WITH_LIBYAML", with_libyaml)
    root = make_workspace(FILES)
    expected = [] if with_libyaml else ["yaml_without_libyaml"]
    built = build(root, BuildOptions())
    assert [c for c in _codes(built.problems) if c == "yaml_without_libyaml"] == expected
    assert [c for c in _codes(collect(root)) if c == "yaml_without_libyaml"] == expected
    again = build(root, BuildOptions())  # the no-change path says it too
    assert [c for c in _codes(again.problems) if c == "yaml_without_libyaml"] == expected


def test_the_warning_says_how_to_mend_it_in_both_languages():
    for lang in ("id", "en"):
        text = message("yaml_without_libyaml", lang)
        assert "libyaml" in text and "pip install --force-reinstall pyyaml" in text


def test_this_environment_has_libyaml():
    """The suite's own speed and the benchmarks assume the C loader."""
    assert yamlio.WITH_LIBYAML
