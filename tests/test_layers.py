"""The package's imports follow the pipeline: no import cycle, and no module imports from a
later stage. Every import counts: at module level, inside functions, under TYPE_CHECKING and
in try/except ImportError, because each is a dependency whoever changes the code must follow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kimsite

# The stages in the order data flows; a module may import from its own stage and earlier ones.
# Folders of kimsite/ and the modules on top (build.py, cli.py, __main__.py).
STAGES = (
    "base",       # vocabulary: problems, messages, dates, slugs, addresses, YAML, file rules
    "schema",     # what input files may say: front matter, fields, article types, site fields
    "workspace",  # settings, site files, sources, themes, options, output guard, lock, cache
    "model",      # the records (Document, SiteModel) and their assembly
    "parse",      # Markdown sources to Documents: markup engines, sanitizing, parallel parsing
    "fetch",      # remote KIM feeds: download, clean, store
    "outputs",    # the Output contract and the template environment
    "media",      # pictures, share cards, previews, embeds, copied files
    "pages",      # page and feed families of a KIM site and the site-wide files
    "portal",     # the regency portal's pages, feeds and data
    "write",      # the writer, pruning, freshness, parallel rendering
    "lint",       # rules `kimsite check` and the editor apply to parsed articles
    "cms",        # the web editor: its admin page and its configuration
    "plan",       # every output of the build, from the planners in their order
    "build",      # the build: named, timed steps from workspace to published folder
    "commands",   # check, serve, deploy, init, fetch
    "importer",   # kimsite import (old blogs)
    "cli",
    "program",    # the program's first step: loads the command line, Ctrl+C while it loads
    "__main__",
)


def package_modules(package_dir: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the package."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Module -> package modules it imports (every import statement anywhere in the file)."""
    modules = package_modules(package_dir)
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[:len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:  # the longest module name the import names
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(edges.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in edges.get(module, ()):
                found.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def stage_of(module: str, root: str, stages: tuple[str, ...]) -> int | None:
    """The position of the module's stage; -1 for the root package (its version only); None
    when the module belongs to no stage."""
    if module == root:
        return -1
    first = module.split(".")[1]
    return stages.index(first) if first in stages else None


def layer_problems(edges: dict[str, set[str]], root: str, stages: tuple[str, ...]) -> list[str]:
    problems = [f"{module} is in no stage: add its folder to STAGES or move it into one"
                for module in sorted(edges) if stage_of(module, root, stages) is None]
    for module, targets in sorted(edges.items()):
        own = stage_of(module, root, stages)
        for target in sorted(targets):
            theirs = stage_of(target, root, stages)
            if own is not None and theirs is not None and theirs > own:
                problems.append(f"{module} ({stages[own]}) imports {target} from the later stage {stages[theirs]}")
    return problems


PACKAGE = Path(kimsite.__file__).parent


def test_the_package_has_no_import_cycle():
    found = cycles(import_graph(PACKAGE))
    assert found == [], "\n".join(" -> ".join(group) for group in found)


def test_no_module_imports_from_a_later_stage():
    problems = layer_problems(import_graph(PACKAGE), "kimsite", STAGES)
    assert problems == [], "\n".join(problems)


def test_every_stage_folder_exists_and_every_folder_is_a_stage():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    top = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert folders | top == set(STAGES)


def test_the_root_package_imports_nothing_of_its_own():
    assert import_graph(PACKAGE)["kimsite"] == set()


# --- the checker itself, on small fake packages ------------------------------------------------

def _fake_package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "fake"
    for name, text in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_the_checker_finds_a_cycle_hidden_in_a_function_and_under_type_checking(tmp_path: Path):
    package = _fake_package(tmp_path, {
        "low/__init__.py": "",
        "low/a.py": "def f():\n    from fake.high.b import g\n",
        "high/__init__.py": "",
        "high/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from fake.low import a\n",
    })
    edges = import_graph(package)
    assert edges["fake.low.a"] == {"fake.high.b"}
    assert cycles(edges) == [["fake.high.b", "fake.low.a"]]


def test_the_checker_finds_an_import_from_a_later_stage_in_try_except_and_relative(tmp_path: Path):
    package = _fake_package(tmp_path, {
        "low/__init__.py": "",
        "low/a.py": "try:\n    from ..high import b\nexcept ImportError:\n    b = None\n",
        "high/__init__.py": "",
        "high/b.py": "from fake.low.a import b\n",
        "stray.py": "",
    })
    edges = import_graph(package)
    assert cycles(edges) == [["fake.high.b", "fake.low.a"]]
    problems = layer_problems(edges, "fake", ("low", "high"))
    assert "fake.low.a (low) imports fake.high.b from the later stage high" in problems
    assert "fake.stray is in no stage: add its folder to STAGES or move it into one" in problems
    assert not any(p.startswith("fake.high.b") for p in problems)  # later imports earlier: allowed


def test_the_checker_accepts_a_clean_package(tmp_path: Path):
    package = _fake_package(tmp_path, {
        "low/__init__.py": "", "low/a.py": "import os\n",
        "high/__init__.py": "", "high/b.py": "import fake.low.a\nfrom fake import __version__\n",
    })
    edges = import_graph(package)
    assert cycles(edges) == []
    assert layer_problems(edges, "fake", ("low", "high")) == []
