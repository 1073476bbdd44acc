"""Every package kimsite's code imports is declared in pyproject.toml, and the installed
versions of the packages whose private parts kimsite relies on are those its tests cover."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import kimsite

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(kimsite.__file__).parent
PYPROJECT = ROOT / "pyproject.toml"

pytestmark = pytest.mark.skipif(not PYPROJECT.is_file(), reason="needs the source tree (pyproject.toml)")


def _requirements() -> list[Requirement]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        declared.extend(extra)
    return [Requirement(text) for text in declared]


def _name(text: str) -> str:
    return text.lower().replace("_", "-").replace(".", "-")


def imported_packages(package_dir: Path) -> set[str]:
    """Top-level names of what the package's code imports, anywhere in a file, but its own
    and the standard library's."""
    found: set[str] = set()
    for path in package_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != package_dir.name}


def test_every_imported_package_is_declared():
    declared = {_name(r.name) for r in _requirements()}
    distributions = metadata.packages_distributions()
    missing = []
    for module in sorted(imported_packages(PACKAGE)):
        names = {_name(d) for d in distributions.get(module, [module])}
        if not names & declared:
            missing.append(f"{module} (from {', '.join(sorted(names))})")
    assert missing == [], "imported but not declared in pyproject.toml: " + "; ".join(missing)


def test_the_checker_sees_an_undeclared_import(tmp_path: Path):
    fake = tmp_path / "fakepkg"
    fake.mkdir()
    (fake / "__init__.py").write_text("import os\nfrom fakepkg import x\n\ndef f():\n    import lxml.etree\n")
    assert imported_packages(fake) == {"lxml"}


@pytest.mark.parametrize("distribution", ["markdown", "httpcore"])
def test_installed_version_is_one_the_tests_cover(distribution: str):
    """Python-Markdown's private methods (kimsite.parse.mdfast) and httpcore's network backend
    (kimsite.fetch.fetch_http) change between versions: another version fails here, before it
    can make different pages."""
    requirement = next(r for r in _requirements() if _name(r.name) == distribution)
    installed = metadata.version(distribution)
    assert requirement.specifier, f"{distribution} has no version bound in pyproject.toml"
    assert any(spec.operator in ("<", "<=", "==", "~=") for spec in requirement.specifier), \
        f"{distribution} has no upper bound in pyproject.toml"
    assert requirement.specifier.contains(installed, prereleases=True), \
        f"{distribution} {installed} is not a version kimsite is tested with ({requirement.specifier})"
