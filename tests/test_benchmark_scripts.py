"""The scripts in benchmarks/ still load against the code they measure: a renamed or removed
function they import would otherwise surface only when someone runs them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("*.py"))


def test_there_are_benchmark_scripts() -> None:
    assert len(SCRIPTS) >= 8


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_benchmark_script_loads(script: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"benchmark_{script.stem}"
    spec = importlib.util.spec_from_file_location(name, script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)  # dataclasses look their module up there
    monkeypatch.setattr(sys, "path", list(sys.path))  # the scripts add their folder to it
    spec.loader.exec_module(module)  # its imports and definitions; `main` runs only as a script
    assert callable(getattr(module, "main", None)) or "__main__" in script.read_text(encoding="utf-8")
