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

With --copies each installation gets its own copy of the workspace's sources (benchmarks/work/
<workspace>-copy-N), built once and left to settle; then the timed builds take turns one by one,
so that no full build (and the deletion of the output it replaced) runs just before a series.
"""

from __future__ import annotations

import argparse
import os
import shutil
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


def append_paragraph(article: Path) -> None:
    """The edit of a one-article edit build."""
    with open(article, "a", encoding="utf-8") as handle:
        handle.write("\nSatu paragraf tambahan untuk uji ubah.\n")


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
    parser.add_argument("--copies", action="store_true",
                        help="each installation builds its own copy of the workspace, once; then they take "
                             "turns build by build (no full build between the timed ones)")
    args = parser.parse_args()
    site = workspace(args.articles, args.kims)
    articles = sorted(site.glob("content/*/*.md"))
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    environment.update(KIMSITE_LANG="en")
    installations = dict(item.split("=", 1) for item in args.python)
    times: dict[str, dict[str, list[float]]] = {label: {"no-change": [], "edit": []} for label in installations}
    if args.copies:
        interleaved(site, installations, environment, times, args.rounds * args.builds)
    else:
        one_after_another(site, articles, installations, environment, times, args.rounds, args.builds)
    print(f"{site}: {len(articles)} articles; medians of {args.rounds * args.builds} (fastest–slowest)"
          f"{'; a copy of the workspace each, taking turns build by build' if args.copies else ''}\n")
    print("| kimsite | no-change build | one-article edit |\n|---|---:|---:|")
    for label, measured in times.items():
        cells = [f"{1000 * statistics.median(values):.0f} ms ({1000 * min(values):.0f}–{1000 * max(values):.0f})"
                 for values in measured.values()]
        print(f"| {label} | {' | '.join(cells)} |")


def interleaved(site: Path, installations: dict[str, str], environment: dict[str, str],
                times: dict[str, dict[str, list[float]]], builds: int) -> None:
    """--copies: the copies are built and left to settle (their writes reach the disk), then
    each timed build of one installation is followed by the same build of the next."""
    copies = {}
    for number, (label, python) in enumerate(installations.items()):
        copy = site.parent.parent / f"{site.parent.name}-copy-{number}"  # kept for the next run of the same size
        if not copy.exists():
            copy.mkdir()
            for name in ("content", "sites", "kimsite.yaml"):
                (shutil.copytree if (site / name).is_dir() else shutil.copy2)(site / name, copy / name)
        copies[label] = [python, "-m", "kimsite", "build", "-C", str(copy)]
        subprocess.run(copies[label], cwd="/", capture_output=True, env=environment, check=True)
        settle(copy)
    os.sync()
    time.sleep(10)
    for _build in range(builds):
        for label, command in copies.items():
            times[label]["no-change"].append(timed(command, environment, "up to date"))
    sources = {label: sorted(Path(command[-1]).glob("content/*/*.md")) for label, command in copies.items()}
    for build in range(builds):
        for label, command in copies.items():
            append_paragraph(sources[label][build * 97 % len(sources[label])])
            times[label]["edit"].append(timed(command, environment, " changed) in "))


def one_after_another(site: Path, articles: list[Path], installations: dict[str, str], environment: dict[str, str],
                      times: dict[str, dict[str, list[float]]], rounds: int, builds: int) -> None:
    edits = 0
    for _round in range(rounds):
        for label, python in installations.items():
            command = [python, "-m", "kimsite", "build", "-C", str(site)]
            subprocess.run(command, cwd="/", capture_output=True, env=environment, check=True)
            settle(site)
            for _ in range(builds):
                times[label]["no-change"].append(timed(command, environment, "up to date"))
            for _ in range(builds):
                append_paragraph(articles[edits * 97 % len(articles)])
                edits += 1
                times[label]["edit"].append(timed(command, environment, " changed) in "))


if __name__ == "__main__":
    main()
