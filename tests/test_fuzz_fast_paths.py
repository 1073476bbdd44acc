"""fuzz/fuzz_fast_paths.py runs its four campaigns, and finds and shrinks a difference."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz_helpers import FUZZ, load_tool

SCRIPT = FUZZ / "fuzz_fast_paths.py"


def test_every_campaign_compares_something(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--minutes", "0.05", "--seed", "1"], capture_output=True,
                            text=True, timeout=180, cwd=tmp_path, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    compared = dict(re.findall(r"^(\w+): [\d,]+ inputs, ([\d,]+) compared, no difference$", result.stdout, re.M))
    assert set(compared) == {"plain", "engine", "yaml", "feeds"}, result.stdout
    assert all(int(count.replace(",", "")) > 0 for count in compared.values()), compared


def test_a_difference_is_found_and_shrunk(monkeypatch: pytest.MonkeyPatch) -> None:
    fuzz = load_tool("fuzz_fast_paths")
    right = fuzz.convert_plain

    def wrong(text, slug):  # a reader that loses the "strong" of bold text
        written = right(text, slug)
        return written.replace("<strong>", "<b>").replace("</strong>", "</b>") if written else written

    monkeypatch.setattr(fuzz, "convert_plain", wrong)
    text = "Paragraf pertama yang panjang.\n\n## Judul\n\nWarga datang **pagi** ke balai desa.\n"
    with pytest.raises(fuzz.Mismatch):
        fuzz.check_plain(text)
    small = fuzz.shrink(text, fuzz.check_plain)
    assert len(small) <= 6 and "**" in small, small
    assert fuzz.check_plain("Tanpa tebal.") is True
