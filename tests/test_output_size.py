"""`kimsite build` reports the size of its output and warns before it nears GitHub Pages'
limits (1 GB published; a file count past which deploying gets slow), saying how to split.

Large outputs are sparse files (their apparent size is what the host counts) or limits
lowered for one test: nothing here writes a gigabyte.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import write_workspace
from safety import invoke
from kimsite.write import output_size
from kimsite.write.output_size import HostLimits, OutputSize, limit_problems, measure

GB = 1024 ** 3
ARTICLE = "---\ntitle: Kabar {n}\ndate: 2025-01-0{n}\n---\nIsi kabar {n}.\n"


def sparse(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.truncate(size)


def test_measure_counts_apparent_sizes_of_nested_files_and_does_not_follow_links(tmp_path):
    site = tmp_path / "site"
    sparse(site / "a" / "b" / "video.bin", 900 * 1024 * 1024)
    (site / "index.html").write_bytes(b"x" * 1234)
    outside = tmp_path / "outside"
    sparse(outside / "huge.bin", 5 * GB)
    os.symlink(outside, site / "link-to-folder")
    os.symlink(outside / "huge.bin", site / "link-to-file")
    size = measure(site)
    links = os.lstat(site / "link-to-folder").st_size + os.lstat(site / "link-to-file").st_size
    assert size == OutputSize(900 * 1024 * 1024 + 1234 + links, 4)
    assert measure(tmp_path / "missing") == OutputSize(0, 0)


def test_warnings_start_at_eighty_percent_and_name_the_folder_and_the_split():
    limits = HostLimits(bytes=1000, files=100)
    assert limit_problems(OutputSize(799, 79), "_site", limits) == []
    near = limit_problems(OutputSize(800, 10), "_site", limits)
    assert [(p.severity, p.file, p.code) for p in near] == [("warning", "_site", "output_near_size")]
    assert dict(near[0].args)["percent"] == 80
    over = limit_problems(OutputSize(1001, 80), "out", limits)
    assert [p.code for p in over] == ["output_over_size", "output_many_files"]
    for problem in near + over:
        for lang in ("id", "en"):
            text = problem.text(lang)
            assert "opml" in text and ("kecamatan" in text)
    assert "exceeds" in over[0].text("en") and "melebihi" in over[0].text("id")


def test_default_limits_are_github_pages_one_gigabyte():
    assert limit_problems(OutputSize(int(0.79 * GB), 1000), "_site") == []
    assert [p.code for p in limit_problems(OutputSize(int(0.81 * GB), 1000), "_site")] == ["output_near_size"]
    assert [p.code for p in limit_problems(OutputSize(GB + 1, 1000), "_site")] == ["output_over_size"]
    assert [p.code for p in limit_problems(OutputSize(10, 99_999), "_site")] == ["output_many_files"]


def _workspace(tmp_path: Path) -> Path:
    files = {"sites/uji.yaml": "name: KIM Uji\nkecamatan: Maniis\n"}
    for n in range(1, 4):
        files[f"content/uji/kabar-{n}.md"] = ARTICLE.format(n=n)
    return write_workspace(tmp_path / "ws", files)


def test_build_prints_the_measured_size(tmp_path):
    root = _workspace(tmp_path)
    result = invoke("build", "-C", str(root), "--lang", "en")
    assert result.exit_code == 0, result.output
    size = measure(root / "_site")
    assert size.files > 5
    line = f"output size: {size.bytes / 1048576:.1f} MB in {size.files} files (GitHub Pages limit: 1024.0 MB)"
    assert line in result.stdout
    assert "warning" not in result.output


def test_build_warns_near_the_limit_and_still_publishes(tmp_path, monkeypatch):
    root = _workspace(tmp_path)
    first = invoke("build", "-C", str(root), "--lang", "en")
    assert first.exit_code == 0
    size = measure(root / "_site")
    monkeypatch.setattr(output_size, "PAGES_MAX_BYTES", int(size.bytes * 1.25))  # 80% now; one more article
    monkeypatch.setattr(output_size, "PAGES_MAX_FILES", size.files + 1)
    (root / "content/uji/kabar-4.md").write_text(ARTICLE.format(n=4), encoding="utf-8")
    second = invoke("build", "-C", str(root), "--lang", "en", "--no-cache")
    assert second.exit_code == 0
    folder = str(root / "_site")
    assert f"{folder}: warning: the output is already" in second.stderr
    assert f"{folder}: warning: the output holds" in second.stderr
    assert "split the workspace" in second.stderr
    assert (root / "_site/uji/2025/01/kabar-4/index.html").is_file()
    # --quiet keeps the warnings (CI logs must show them) and drops the summary
    (root / "content/uji/kabar-5.md").write_text(ARTICLE.format(n=5), encoding="utf-8")
    quiet = invoke("build", "-C", str(root), "--lang", "en", "--quiet", "--no-cache")
    assert "the output holds" in quiet.stderr and "output size" not in quiet.stdout
    # an incremental build does not walk the output again (a CI build is always a full one)
    assert invoke("build", "-C", str(root)).exit_code == 0  # the cache again
    (root / "content/uji/kabar-6.md").write_text(ARTICLE.format(n=6), encoding="utf-8")
    again = invoke("build", "-C", str(root), "--lang", "en")
    assert again.exit_code == 0 and "6 articles" in again.stdout
    assert "output size" not in again.stdout and "warning" not in again.stderr
    fresh = invoke("build", "-C", str(root), "--lang", "en", "-o", str(tmp_path / "new-output"))
    assert "output size" in fresh.stdout and "warning: the output holds" in fresh.stderr
