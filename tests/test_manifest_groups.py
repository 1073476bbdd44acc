"""The manifest is stored in groups, one per first folder of the outputs' paths (an edit rewrites
one group): every output lands in its folder's group whatever order the plan gives them in."""

from __future__ import annotations

import random

from hypothesis import given, strategies as st

from kimsite.build import _manifest_groups

FOLDERS = ["kim-a", "kim-b", "kecamatan", ""]


def _plainly_grouped(signatures: dict[str, str]) -> dict[str, dict[str, tuple]]:
    groups: dict[str, dict[str, tuple]] = {}
    for path, signature in signatures.items():
        folder = path.split("/")[0] if "/" in path else ""
        groups.setdefault(folder, {})[path] = (signature, "")
    return groups


@given(st.lists(st.tuples(st.sampled_from(FOLDERS), st.text("abc/", min_size=1, max_size=6)), max_size=40),
       st.randoms(use_true_random=False))
def test_every_output_lands_in_its_folders_group(paths, chance: random.Random):
    signatures = {}
    for folder, name in paths:
        path = f"{folder}/{name}" if folder else name.replace("/", "") or "index.html"
        signatures[path] = f"sig-{chance.random()}"
    groups = _manifest_groups(signatures)
    assert groups == _plainly_grouped(signatures)
    assert [list(group) for group in groups.values()] == [list(group) for group in _plainly_grouped(signatures).values()]


def test_a_folder_met_again_after_another_keeps_one_group():
    signatures = {"kim-a/1.html": "1", "index.html": "2", "kim-a/2.html": "3", "kim-b/x": "4", "feed.xml": "5"}
    assert _manifest_groups(signatures) == {
        "kim-a": {"kim-a/1.html": ("1", ""), "kim-a/2.html": ("3", "")},
        "": {"index.html": ("2", ""), "feed.xml": ("5", "")},
        "kim-b": {"kim-b/x": ("4", "")},
    }
