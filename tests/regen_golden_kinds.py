"""Regenerate the golden output of the content-type fixture ON PURPOSE.

    python tests/regen_golden_kinds.py

Builds tests/fixtures/kinds/ (in a temporary copy, with a fixed clock) and writes the
parts of the output that belong to the klarifikasi / agenda / produk types into
tests/golden_kinds/: the <main> element of the list pages, the type-specific parts of
the article pages, and the feeds and calendars in full. Review `git diff tests/golden_kinds`
before committing: every change there is a change users will see.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "fixtures" / "kinds"
GOLDEN = TESTS / "golden_kinds"
# 23 November 2026, 10.00 WIB: the posyandu (5 December) and the meeting (this evening) are upcoming.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=7)))

# Output file -> what is kept of it: "main" (the <main> element), "parts" (the type-specific
# blocks of an article page) or "full".
SELECTION: dict[str, str] = {
    "kim-uji/cek-fakta/index.html": "main",
    "kim-uji/cek-fakta/feed.xml": "full",
    "kim-uji/cek-fakta/atom.xml": "full",
    "kim-uji/agenda/index.html": "main",
    "kim-uji/agenda.ics": "full",
    "kim-uji/agenda/2026-11-posyandu-balita.ics": "full",
    "kim-uji/agenda/2026-11-rapat-koordinasi.ics": "full",
    "kim-uji/potensi-desa/index.html": "main",
    "kim-uji/2026/05/hoaks-bantuan-2-juta/index.html": "parts",
    "kim-uji/2026/06/cetak-ktp-berbayar/index.html": "parts",
    "kim-uji/2026/11/posyandu-balita/index.html": "parts",
    "kim-uji/2025/12/keripik-ikan-nila/index.html": "parts",
    "kim-dua/2026/04/pot-tanah-liat/index.html": "parts",
    "cek-fakta/index.html": "main",
    "cek-fakta/halaman/2/index.html": "main",
    "cek-fakta/feed.xml": "full",
    "cek-fakta/atom.xml": "full",
    "agenda/index.html": "main",
    "agenda.ics": "full",
    "potensi-desa/index.html": "main",
}

_MAIN = re.compile(r"<main\b.*?</main>", re.S)
_PARTS = re.compile(r"<title>.*?</title>|<h1>.*?</h1>|<aside\b.*?</aside>|<section class=\"(?:refs|photos)\".*?</section>"
                    r"|<script type=\"application/ld\+json\">\{\"@context\": \"https://schema.org\", "
                    r"\"@type\": \"ClaimReview\".*?</script>", re.S)


def extract(path: str, data: bytes) -> str:
    text = data.decode("utf-8")
    how = SELECTION[path]
    if how == "main":
        match = _MAIN.search(text)
        return match.group(0) + "\n" if match else ""
    if how == "parts":
        return "\n".join(_PARTS.findall(text)) + "\n"
    return text


def golden_name(path: str) -> str:
    return path.replace("/", "__")


def build_fixture(target: Path, now: datetime = NOW, **options) -> Path:
    """Copy the fixture workspace to `target` and build it with the fixed clock; returns _site."""
    from kimsite.build import BuildOptions, build

    shutil.copytree(FIXTURE, target)
    result = build(target, BuildOptions(now=now, **options))
    return result.output_dir


def snapshot(output: Path) -> dict[str, str]:
    """Golden file name -> expected text, for every selected output."""
    return {golden_name(path): extract(path, (output / path).read_bytes()) for path in SELECTION}


def main() -> int:
    with tempfile.TemporaryDirectory() as temporary:
        output = build_fixture(Path(temporary) / "kinds")
        files = snapshot(output)
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    GOLDEN.mkdir(parents=True)
    for name, text in files.items():
        (GOLDEN / name).write_text(text, encoding="utf-8", newline="")
    print(f"golden output regenerated: {len(files)} files in {GOLDEN.relative_to(TESTS.parent)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(TESTS.parent))
    sys.exit(main())
