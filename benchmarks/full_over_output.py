"""A full build over an existing output: what the command costs, and when its previous output is gone.

    python benchmarks/full_over_output.py                   # 10,000 generated articles, 3 rounds
    python benchmarks/full_over_output.py --articles 2000 --rounds 5
    python benchmarks/full_over_output.py --compare DIR     # and, taking turns, another checkout's

A build without its state (`--no-cache`, a deleted `.kimsite/`, an output changed by hand)
renders the whole site into a staging folder and swaps it with the output; the previous output
is then deleted (kimsite.write.trash: by a process of its own, after the build returns). Each
round prints the command's wall time, its `--timings` commit step, and when the previous output
was gone (counted from the command's start). `--compare DIR` also runs the kimsite found in DIR
(a checkout of another commit), the two taking turns in each round.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate, turns_options  # noqa: E402


def timed_build(site: Path, environment: dict[str, str]) -> tuple[float, float, str]:
    """(seconds until the command returned, until nothing of the previous output is left, --timings line)."""
    started = time.perf_counter()
    # Run from the workspace: `-m` looks for the package in the current folder first.
    result = subprocess.run([sys.executable, "-m", "kimsite", "build", "--no-cache", "--timings", "-C", str(site)],
                            capture_output=True, text=True, env=environment, timeout=1800, cwd=site)
    returned = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    while any(".kimsite-" in name for name in os.listdir(site)):  # old, trash: the previous output
        time.sleep(0.05)
    gone = time.perf_counter() - started
    timings = next((line for line in result.stdout.splitlines() + result.stderr.splitlines()
                    if line.startswith("load=")), "")
    return returned, gone, timings


def main() -> None:
    options = turns_options(__doc__.splitlines()[0], 10_000).parse_args()
    corpus = HERE / "work" / f"full-over-output-{options.articles}"
    site = corpus / "kimsite"
    versions = {"this checkout": {**os.environ}}
    if options.compare:
        versions[str(options.compare)] = {**os.environ, "PYTHONPATH": str(options.compare.resolve())}
    if not site.is_dir():
        print(f"generating {options.articles} articles in {corpus}", flush=True)
        generate(corpus, options.articles, options.kims)
    if not (site / "_site").is_dir():
        timed_build(site, versions["this checkout"])  # the output each round builds over
    returned: dict[str, list[float]] = {name: [] for name in versions}
    gone: dict[str, list[float]] = {name: [] for name in versions}
    for number in range(options.rounds):
        for name, environment in versions.items():
            seconds, deleted, timings = timed_build(site, environment)
            returned[name].append(seconds)
            gone[name].append(deleted)
            print(f"round {number + 1}, {name}: returned after {seconds:.2f} s, previous output gone after "
                  f"{deleted:.2f} s  ({timings})", flush=True)
    print()
    print("| full build over an existing output | command returned (median, range) | previous output gone |")
    print("|---|---:|---:|")
    for name in versions:
        print(f"| {name} | {statistics.median(returned[name]):.2f} s ({min(returned[name]):.2f}–"
              f"{max(returned[name]):.2f}) | {statistics.median(gone[name]):.2f} s ({min(gone[name]):.2f}–"
              f"{max(gone[name]):.2f}) |")


if __name__ == "__main__":
    main()
