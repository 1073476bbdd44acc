"""Rendering alone, in one process: what templates, feeds and cards cost, without files or workers.

    python benchmarks/render_only.py                        # 3,000 generated articles, 3 rounds
    python benchmarks/render_only.py --articles 10000 --rounds 5
    python benchmarks/render_only.py --compare DIR          # and, taking turns, another checkout's

Each round runs `kimsite build --no-cache -j 1` in a child process up to its render step, then
renders every output five times in memory (nothing is written) and reports the fastest of the
five, in all and by renderer, with a digest of every output's bytes: two checkouts whose digests
differ do not write the same site. `--compare DIR` also runs the kimsite found in DIR (a
checkout of another commit), the two taking turns in each round. A cold build's render step
does this work on two cores, plus writing the files.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate, turns_options  # noqa: E402

# Run in the child: the build's render step replaced by five timed passes over its outputs.
CHILD = r"""
import collections, hashlib, json, sys, time
from kimsite.write import parallel
from kimsite.outputs.contract import render

def render_five_times(view, outputs, staging, manifest, options, parallel=False, while_rendering=None):
    best = None
    for _ in range(5):
        by_renderer, digest = collections.Counter(), hashlib.blake2b(digest_size=16)
        started = time.perf_counter()
        for output in outputs:
            began = time.perf_counter()
            digest.update(render(view, output))
            by_renderer[output.renderer] += time.perf_counter() - began
        total = time.perf_counter() - started
        if best is None or total < best[0]:
            best = (total, dict(by_renderer), digest.hexdigest())
    print("RESULT " + json.dumps({"seconds": best[0], "renderers": best[1], "digest": best[2],
                                  "outputs": len(outputs)}), flush=True)
    raise SystemExit(0)

parallel.run_parallel = render_five_times
sys.argv = ["kimsite", "build", "--no-cache", "-j", "1", "-q", "-o", sys.argv[1]]
from kimsite.cli import main
main()
"""


def render_once(site: Path, environment: dict[str, str], scratch: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(scratch)], capture_output=True, text=True,
                          env=environment, timeout=3600, cwd=site)
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-3000:])
    return json.loads(line[len("RESULT "):])


def main() -> None:
    options = turns_options(__doc__.splitlines()[0], 3000).parse_args()
    corpus = HERE / "work" / f"render-only-{options.articles}"
    site = corpus / "kimsite"
    versions = {str(options.compare): {**os.environ, "PYTHONPATH": str(options.compare.resolve())}} \
        if options.compare else {}
    versions["this checkout"] = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    if not site.is_dir():
        print(f"generating {options.articles} articles in {corpus}", flush=True)
        generate(corpus, options.articles, options.kims)
    results: dict[str, list[dict]] = {name: [] for name in versions}
    for number in range(options.rounds):
        for name, environment in versions.items():
            result = render_once(site, environment, corpus / "unused-output")
            results[name].append(result)
            print(f"round {number + 1}, {name}: {result['seconds']:.3f} s for {result['outputs']} outputs "
                  f"(digest {result['digest'][:12]})", flush=True)
    print()
    renderers = sorted({r for runs in results.values() for run in runs for r in run["renderers"]},
                       key=lambda r: -results["this checkout"][0]["renderers"].get(r, 0))[:6]
    print("| checkout | render, median (range) | " + " | ".join(renderers) + " | digest |")
    print("|---|---:|" + "---:|" * len(renderers) + "---|")
    for name, runs in results.items():
        seconds = [run["seconds"] for run in runs]
        parts = [f"{statistics.median(run['renderers'].get(r, 0.0) for run in runs):.3f}" for r in renderers]
        digests = sorted({run["digest"][:12] for run in runs})
        print(f"| {name} | {statistics.median(seconds):.3f} s ({min(seconds):.3f}–{max(seconds):.3f}) | "
              + " | ".join(parts) + f" | {', '.join(digests)} |")


if __name__ == "__main__":
    main()
