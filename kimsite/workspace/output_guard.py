"""The output folder is kimsite's alone.

A build replaces its output folder (kimsite.yaml `output:`, `build -o`) with the
site, so before anything is written the folder is checked, with links and `..`
resolved:

* it may not be the workspace, hold the workspace, or be, lie inside or hold an
  input or tool folder (content/, sites/, themes/, feeds/, .kimsite/, .git/,
  .github/, kimsite.yaml, a KIM's own folder wherever a link puts it);
* it may not be a link or a file;
* an existing folder is replaced only when kimsite made it (it holds the marker
  folder MARKER, or the build state recorded it) or when it is empty.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from kimsite.base.messages import Part
from kimsite.base.problems import Problem, error
from kimsite.workspace.folder_names import MARKER, STATE_DIR

PREVIEW_OUTPUT = f"{STATE_DIR}/serve"  # `kimsite serve` builds here, inside kimsite's own folder
PROTECTED = ("content", "sites", "themes", "feeds", STATE_DIR, ".git", ".github", "kimsite.yaml")
_OUTPUT_LINE = re.compile(r"^output\s*:", re.MULTILINE)


def placement_problems(root: Path, output: str, from_command_line: bool, preview: bool = False) -> list[Problem]:
    """Errors when `output` (relative to `root`, or absolute) may not be written by a build."""
    output_dir = os.path.join(root, output)
    real = os.path.realpath(output_dir)
    file, line = ("", None) if from_command_line else ("kimsite.yaml", _config_line(root))
    where = {"output": output, "real": real}
    if os.path.islink(output_dir.rstrip("/")):
        return [error(file, line, "output_is_link", **where)]
    if preview and output == PREVIEW_OUTPUT:
        return []
    what = _forbidden_because(os.path.realpath(root), real, str(root))
    return [error(file, line, "output_forbidden", what=what, **where)] if what else []


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _forbidden_because(root_real: str, real: str, root: str) -> Part | None:
    if real == root_real:
        return Part("output_what_workspace")
    if _inside(root_real, real):
        return Part("output_what_holds_workspace")
    for name, protected in _protected_paths(root):
        if _inside(real, protected):
            return Part("output_what_inside", (("name", name),))
        if _inside(protected, real):
            return Part("output_what_holds", (("name", name),))
    return None


def _protected_paths(root: str) -> list[tuple[str, str]]:
    """(name shown, real path) of every input and tool folder, and of a KIM's folder or media
    folder that is a link (a link can put them anywhere; other KIM folders lie in content/)."""
    found = [(name, os.path.realpath(os.path.join(root, name))) for name in PROTECTED]
    content = os.path.join(root, "content")
    try:
        with os.scandir(content) as entries:
            kims = sorted(entry.name for entry in entries)
    except OSError:
        kims = []
    for kim in kims:
        for rel in (f"content/{kim}", f"content/{kim}/media"):
            path = os.path.join(root, rel)
            if os.path.islink(path):
                found.append((rel, os.path.realpath(path)))
    return found


def _config_line(root: Path) -> int | None:
    try:
        text = (root / "kimsite.yaml").read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None
    match = _OUTPUT_LINE.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def ownership_problem(root: Path, output: str, output_dir: Path, from_command_line: bool,
                      recorded: tuple | None) -> Problem | None:
    """An error when an existing `output_dir` is not a folder kimsite may replace. `recorded` is
    the output identity the last build remembered (folders made before the marker existed)."""
    try:
        info = os.lstat(output_dir)
    except FileNotFoundError:
        return None
    except OSError as exc:
        info = None
        reason = exc.strerror or str(exc)
    file, line = ("", None) if from_command_line else ("kimsite.yaml", _config_line(root))
    where = {"output": output, "real": os.path.realpath(output_dir)}
    if info is None:
        return error(file, line, "write_denied", path=str(output_dir), reason=reason)
    if stat.S_ISLNK(info.st_mode):
        return error(file, line, "output_is_link", **where)
    if not stat.S_ISDIR(info.st_mode):
        return error(file, line, "output_not_folder", **where)
    if is_marked(output_dir):
        return None
    if recorded and tuple(recorded[:2]) == (info.st_dev, info.st_ino):
        return None
    try:
        if not os.listdir(output_dir):
            return None
    except OSError as exc:
        return error(file, line, "write_denied", path=str(output_dir), reason=exc.strerror or str(exc))
    return error(file, line, "output_not_ours", **where)


def is_marked(folder: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False
