"""Regenerate the golden output of the fixture workspace ON PURPOSE.

    python tests/regen_golden.py

Builds tests/fixtures/basic/ (in a temporary copy, with a fixed clock) and replaces
tests/golden/basic/ with the result. Review the diff (`git diff tests/golden`) before
committing: every change there is a change users will see.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "fixtures" / "basic"
GOLDEN = TESTS / "golden" / "basic"
# The clock of every golden build: the draft stays out and 2026-01-10 is still in the future.
NOW = datetime(2025, 12, 1, 10, 0, tzinfo=timezone(timedelta(hours=7)))
# Generated pictures (resized media, share cards) depend on the imaging library's encoder: the
# golden output keeps their names (as empty files) but not their bytes.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif")


def build_fixture(target: Path, **options) -> Path:
    """Copy the fixture workspace to `target`, build it with the fixed clock; returns the output folder."""
    from kimsite.build import BuildOptions, build

    shutil.copytree(FIXTURE, target)
    result = build(target, BuildOptions(now=NOW, **options))
    return result.output_dir


def main() -> int:
    with tempfile.TemporaryDirectory() as temporary:
        output = build_fixture(Path(temporary) / "basic")
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        shutil.copytree(output, GOLDEN)
        for path in GOLDEN.rglob("*"):
            if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES:
                path.write_bytes(b"")
    count = sum(1 for p in GOLDEN.rglob("*") if p.is_file())
    print(f"golden output regenerated: {count} files in {GOLDEN.relative_to(TESTS.parent)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(TESTS.parent))
    sys.exit(main())
