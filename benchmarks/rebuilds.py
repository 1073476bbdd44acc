"""No-change builds and one-article edits of one workspace, by several installations of kimsite
taking turns (before and after a change, or two interpreters).

    python benchmarks/rebuilds.py --python before=/tmp/old/bin/python --python now=/tmp/new/bin/python
    python benchmarks/rebuilds.py --articles 10000 --rounds 3 --python now=/tmp/new/bin/python

Each installation (`-m kimsite` run by that interpreter, from outside this checkout) builds the
workspace once (its code differs from the previous one's: a full build), waits until the
output it replaced is deleted, then times `--builds` no-change builds and `--builds` edits (a
paragraph appended to a different article each time). Rounds repeat this with the installations
taking turns; the table shows medians and ranges over all rounds. The workspace is
benchmarks/work/<articles>/kimsite when run.py made it, else it is generated beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


def workspace(articles: int, kims: int) -> Path:
    made_by_run = HERE / "work" / str(articles) / "kimsite"
    if (made_by_run / "kimsite.yaml").is_file():
        return made_by_run
    corpus = HERE / "work" / f"rebuilds-{articles}"
    if not (corpus / "kimsite" / "kimsite.yaml").is_file():
        generate(corpus, articles, kims)
    return corpus / "kimsite"


def settle(site: Path) -> None:
    """Until the output a full build replaced is deleted (it slows whatever runs beside it)."""
    while any(site.glob(".*.kimsite-trash-*")):
        time.sleep(0.2)
    time.sleep(1)


def timed(command: list[str], environment: dict[str, str], expected: str) -> float:
    started = time.perf_counter()
    finished = subprocess.run(command, cwd="/", capture_output=True, text=True, env=environment, check=True)
    seconds = time.perf_counter() - started
    assert expected in finished.stdout, finished.stdout
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", required=True, metavar="LABEL=PATH",
                        help="an interpreter kimsite is installed in (repeat to compare)")
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--kims", type=int, default=136)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--builds", type=int, default=5, help="no-change builds and edits per round")
    args = parser.parse_args()
    site = workspace(args.articles, args.kims)
    articles = sorted(site.glob("content/*/*.md"))
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    environment.update(KIMSITE_LANG="en")
    installations = dict(item.split("=", 1) for item in args.python)
    times: dict[str, dict[str, list[float]]] = {label: {"no-change": [], "edit": []} for label in installations}
    edits = 0
    for _round in range(args.rounds):
        for label, python in installations.items():
            command = [python, "-m", "kimsite", "build", "-C", str(site)]
            subprocess.run(command, cwd="/", capture_output=True, env=environment, check=True)
            settle(site)
            for _ in range(args.builds):
                times[label]["no-change"].append(timed(command, environment, "up to date"))
            for _ in range(args.builds):
                article = articles[edits * 97 % len(articles)]
                edits += 1
                with open(article, "a", encoding="utf-8") as handle:
                    handle.write("\nSatu paragraf tambahan untuk uji ubah.\n")
                times[label]["edit"].append(timed(command, environment, " changed) in "))
    print(f"{site}: {len(articles)} articles; medians of {args.rounds * args.builds} (fastest–slowest)\n")
    print("| kimsite | no-change build | one-article edit |\n|---|---:|---:|")
    for label, measured in times.items():
        cells = [f"{1000 * statistics.median(values):.0f} ms ({1000 * min(values):.0f}–{1000 * max(values):.0f})"
                 for values in measured.values()]
        print(f"| {label} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
