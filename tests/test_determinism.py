"""Two builds of the same input are byte-identical, wherever the workspace lives, whatever the
hash seed, and whether the work is spread over worker processes or not.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import copy_demo
from kimsite import build as build_module
from kimsite.base import worker_pool
from kimsite.workspace.options import fork_context
from kimsite.build import BuildOptions, build

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURE = TESTS / "fixtures" / "basic"
sys.path.insert(0, str(TESTS))
from regen_golden import NOW  # noqa: E402

# The demo is built with a clock after all its content (local and stored remote feeds).
DEMO_NOW = datetime(2027, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=7)))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_tree(first: Path, second: Path) -> None:
    a, b = snapshot(first), snapshot(second)
    assert sorted(a) == sorted(b), f"file lists differ: {sorted(set(a) ^ set(b))[:10]}"
    differing = [path for path in a if a[path] != b[path]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"




def test_two_clean_builds_in_different_folders_are_identical(tmp_path: Path):
    outputs = []
    for name in ("first", "second-place"):
        shutil.copytree(FIXTURE, tmp_path / name)
        outputs.append(build(tmp_path / name, BuildOptions(now=NOW)).output_dir)
    assert_same_tree(*outputs)
    text = b"\n".join(snapshot(outputs[0]).values())
    assert str(tmp_path).encode() not in text, "the workspace path leaked into the output"


def test_demo_builds_identically_across_processes_and_hash_seeds(tmp_path: Path):
    """Through the command line, with different PYTHONHASHSEED values: set or dict order never leaks."""
    outputs = []
    for seed in ("1", "2"):
        workspace = copy_demo(tmp_path / f"demo-{seed}")
        env = {**os.environ, "PYTHONHASHSEED": seed, "KIMSITE_NOW": DEMO_NOW.isoformat(), "KIMSITE_LANG": "id"}
        result = subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(workspace)],
                                capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        outputs.append(workspace / "_site")
    assert_same_tree(*outputs)


# --- parallel == serial --------------------------------------------------------------------

CATEGORIES = ["Pemerintahan", "Kesehatan", "Pendidikan", "Pertanian", "Ekonomi", "Lingkungan"]
TAGS = ["posyandu", "bansos", "umkm", "hoaks", "irigasi", "sekolah", "jalan desa", "pemuda", "pkk", "pajak"]


def synthetic_workspace(root: Path, articles: int, kims: int = 3) -> Path:
    """A regency-like workspace with `articles` small articles over two years."""
    rng = random.Random(20251201)
    (root / "sites").mkdir(parents=True)
    (root / "kimsite.yaml").write_text("base_url: https://kim.example.id/\nlanguage: id\n"
                                       "timezone: Asia/Jakarta\nper_page: 10\n", encoding="utf-8")
    for k in range(kims):
        (root / "sites" / f"kim-{k}.yaml").write_text(f"name: KIM Uji {k}\nkecamatan: Kecamatan {k}\n",
                                                       encoding="utf-8")
        pages = root / "content" / f"kim-{k}" / "halaman"
        pages.mkdir(parents=True)
        (pages / "tentang.md").write_text(f"---\ntitle: Tentang KIM {k}\n---\n\nProfil singkat.\n",
                                          encoding="utf-8")
    for n in range(articles):
        kim = n % kims
        month, day = 1 + (n * 7) % 12, 1 + (n * 13) % 28
        year = 2023 + (n % 2)
        tags = rng.sample(TAGS, 2)
        body = "\n\n".join(f"Paragraf {p} artikel nomor {n} tentang kegiatan warga desa." for p in range(4))
        extra = "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n" if n % 25 == 0 else ""
        (root / "content" / f"kim-{kim}" / f"{year}-{month:02d}-{day:02d}-artikel-{n}.md").write_text(
            f"---\ntitle: Artikel Uji Nomor {n}\ndate: {year}-{month:02d}-{day:02d} {n % 24:02d}:{n % 60:02d}\n"
            f"category: {CATEGORIES[n % len(CATEGORIES)]}\ntags: [{', '.join(tags)}]\n---\n\n{body}{extra}\n",
            encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def big_workspace(tmp_path_factory) -> Path:
    return synthetic_workspace(tmp_path_factory.mktemp("big") / "source", 500)


def test_parallel_build_equals_serial_build(big_workspace: Path, tmp_path: Path, monkeypatch):
    serial_ws, parallel_ws = tmp_path / "serial", tmp_path / "parallel"
    shutil.copytree(big_workspace, serial_ws)
    shutil.copytree(big_workspace, parallel_ws)

    serial = build(serial_ws, BuildOptions(now=NOW, jobs=1))
    pools: list = []
    make_real_pool = worker_pool.make_pool

    def spying(context, workers, **options) -> object:
        pools.append(workers)
        return make_real_pool(context, workers, **options)

    monkeypatch.setattr(worker_pool, "make_pool", spying)
    parallel_result = build(parallel_ws, BuildOptions(now=NOW, jobs=2))

    parse_min = getattr(build_module, "PARALLEL_PARSE_MIN", 0)
    render_min = getattr(build_module, "PARALLEL_RENDER_MIN", 0)
    assert serial.articles == 500 >= parse_min, "the corpus must cross the parallel parse threshold"
    assert serial.outputs >= render_min, "the corpus must cross the parallel render threshold"
    if fork_context() is not None:
        assert len(pools) >= 2, "the jobs=2 build did not parse and render in worker processes"
    assert parallel_result.outputs == serial.outputs
    assert_same_tree(serial.output_dir, parallel_result.output_dir)
