"""Helpers of the tests of the fuzz tools in fuzz/ (scripts, not a package)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"


def load_tool(name: str) -> ModuleType:
    """fuzz/<name>.py as a module, to call its functions."""
    spec = importlib.util.spec_from_file_location(name, FUZZ / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
