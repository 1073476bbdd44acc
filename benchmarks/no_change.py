"""What a no-change build costs, now that it checks every output file and folder (one lstat each,
from the list of entries the last build walked).

    python benchmarks/no_change.py            # the demo regency, and a 10,000-file output tree

Prints the median of the no-change builds of the demo (in this process, after one build) and
the time of the output check alone over a synthetic tree of 10,000 files in 1,000 folders, beside
the walk that lists the output at the end of a build.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kimsite.build import BuildOptions, build  # noqa: E402
from kimsite.write.freshness import look_at_output, walk_output  # noqa: E402
from kimsite.write.writer import MARKER  # noqa: E402


def median_ms(action, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def demo(work: Path, rounds: int) -> None:
    workspace = work / "demo"
    workspace.mkdir()
    for name in ("kimsite.yaml", "sites", "content", "feeds"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, workspace / name)
    first = build(workspace, BuildOptions())
    output = first.output_dir
    count = sum(1 for path in output.rglob("*") if path.is_file())

    def again() -> None:
        assert build(workspace, BuildOptions()).up_to_date

    print(f"demo: {count} output files; no-change build {median_ms(again, rounds):.1f} ms, "
          f"of which the output check {check_ms(output, rounds):.1f} ms")


def check_ms(output: Path, rounds: int) -> float:
    """The output check of a no-change build: each entry the last walk listed, looked at again."""
    seen, _size = walk_output(output)
    assert seen is not None, output
    entries = seen.entries
    return median_ms(lambda: look_at_output(output, entries), rounds)


def synthetic(work: Path, rounds: int, files: int = 10_000) -> None:
    output = work / "site"
    (output / MARKER).mkdir(parents=True)
    for number in range(files):
        folder = output / f"kim-{number % 100}" / f"{number // 100 % 10}" / f"artikel-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_bytes(b"x" * 2000)
    walk = median_ms(lambda: walk_output(output), rounds)
    print(f"{files} files: output check {check_ms(output, rounds):.1f} ms "
          f"(the walk at the end of a build that lists them: {walk:.1f} ms)")


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as folder:
        demo(Path(folder), rounds)
        synthetic(Path(folder), rounds)
