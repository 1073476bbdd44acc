"""The render step's tasks: consecutive ranges of outputs cut where the KIM changes, so that two
worker processes do not both make the same KIM's cards, feed entries and masthead."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kimsite.write.parallel import site_ranges

# Runs of outputs: (KIM, how many outputs in a row), as a plan lists them.
runs = st.lists(st.tuples(st.sampled_from(["", "portal", "kim-a", "kim-b", "kim-c", "kim-d"]),
                          st.integers(min_value=1, max_value=700)), max_size=40)


def _sites(kim_runs: list[tuple[str, int]]) -> list[str]:
    return [site for site, count in kim_runs for _ in range(count)]


def _size(count: int, workers: int, target: int) -> int:
    return max(1, min(target, -(-count // (workers * 4))))


@settings(max_examples=300, deadline=None)
@given(kim_runs=runs, workers=st.integers(min_value=1, max_value=8), target=st.integers(min_value=1, max_value=300))
def test_every_output_is_in_exactly_one_range_in_order(kim_runs, workers, target):
    sites = _sites(kim_runs)
    ranges = site_ranges(sites, workers, target)
    assert [index for start, end in ranges for index in range(start, end)] == list(range(len(sites)))
    assert all(end > start for start, end in ranges)
    assert all(end - start <= 2 * _size(len(sites), workers, target) for start, end in ranges)


@settings(max_examples=300, deadline=None)
@given(kim_runs=runs, workers=st.integers(min_value=1, max_value=8), target=st.integers(min_value=1, max_value=300))
def test_a_run_of_one_kim_no_longer_than_a_range_is_never_cut(kim_runs, workers, target):
    sites = _sites(kim_runs)
    size = _size(len(sites), workers, target)
    ranges = site_ranges(sites, workers, target)
    cuts = {start for start, _end in ranges}
    start = 0
    for index in range(1, len(sites) + 1):
        if index == len(sites) or sites[index] != sites[index - 1]:
            if index - start <= size:
                assert not any(start < cut < index for cut in cuts), (start, index, ranges)
            start = index


def test_the_ten_thousand_article_plan_gets_one_range_per_kim():
    # What the benchmark's plan looks like: each KIM's ~150 pages and feeds in a row, then the
    # portal's pages, and the pictures (one or two outputs per KIM) at the end.
    sites = [f"kim-{n:03}" for n in range(136) for _ in range(150 + n % 7)]
    sites += ["portal"] * 80 + [f"kim-{n:03}" for n in range(136) for _ in range(2)] + [""] * 5
    ranges = site_ranges(sites, 2, 200)
    offsets = [0]
    for n in range(136):
        offsets.append(offsets[-1] + 150 + n % 7)
    assert ranges[:136] == list(zip(offsets, offsets[1:]))  # each KIM's pages and feeds: one range
    assert ranges[-1][1] == len(sites)


def test_few_outputs_still_give_every_worker_several_ranges():
    sites = ["kim-a"] * 12 + ["kim-b"] * 12
    ranges = site_ranges(sites, 2, 200)
    assert len(ranges) >= 4
    assert site_ranges([], 2, 200) == []
