"""Writing admin/config.yml and admin/index.html into the workspace without losing anyone's work.

Each generated file starts with a marker holding the hash of what kimsite wrote. Running
`kimsite cms` again rewrites a file whose hash still matches (nobody edited it) and refuses,
naming the file, when it was edited by hand. A webmaster's own settings live in
admin/config.extra.yml, which kimsite never writes and merges into the generated config.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kimsite.base.problems import UsageError
from kimsite.base.messages import message

ADMIN_FOLDER = "admin"
CONFIG_FILE = "admin/config.yml"
PAGE_FILE = "admin/index.html"
EXTRA_FILE = "admin/config.extra.yml"
_MARK = re.compile(r"kimsite-cms sha256=([0-9a-f]{64})")


@dataclass(frozen=True)
class Planned:
    path: str  # workspace-relative
    body: str  # the content without its marker line


def config_text(config: dict[str, Any], lang: str) -> str:
    """The YAML of a configuration, keys in the order given."""
    import yaml  # (loaded where used: a build that writes no editor reads no YAML through PyYAML)

    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def read_extra(root: Path, lang: str) -> dict[str, Any]:
    """admin/config.extra.yml as a mapping ({} when there is none)."""
    path = root / EXTRA_FILE
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise UsageError(message("cms_extra_invalid", lang, file=EXTRA_FILE, line=line,
                                 reason=getattr(exc, "problem", None) or str(exc)), exit_code=1) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(message("cms_extra_invalid", lang, file=EXTRA_FILE, line=1, reason=str(exc)),
                         exit_code=1) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(message("cms_extra_invalid", lang, file=EXTRA_FILE, line=1,
                                 reason=message("cms_extra_not_mapping", lang)), exit_code=1)
    return data


def merge_extra(generated: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """The generated configuration with the webmaster's additions: mappings merge key by key,
    a collection with a generated collection's name replaces it, other collections are added
    at the end, and any other value given in the extra file wins."""
    merged = dict(generated)
    for key, value in extra.items():
        if key == "collections" and isinstance(value, list):
            generated_list = generated.get("collections", [])
            replacing = {item["name"]: item for item in value if isinstance(item, dict) and item.get("name")}
            names = {item.get("name") for item in generated_list if isinstance(item, dict)}
            kept = [replacing.get(item.get("name"), item) if isinstance(item, dict) else item
                    for item in generated_list]
            merged[key] = kept + [item for item in value if not (isinstance(item, dict) and item.get("name") in names)]
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_extra(merged[key], value)
        else:
            merged[key] = value
    return merged


def with_marker(planned: Planned, lang: str) -> str:
    digest = hashlib.sha256(planned.body.encode()).hexdigest()
    note = message("cms_generated_note", lang, extra=EXTRA_FILE)
    if planned.path.endswith(".html"):
        return f"<!-- {note} kimsite-cms sha256={digest} -->\n{planned.body}"
    return f"# {note}\n# kimsite-cms sha256={digest}\n{planned.body}"


def edited_by_hand(text: str) -> bool:
    """Whether a file kimsite wrote was changed since (or was never written by kimsite)."""
    if text.startswith("<!--"):
        head, _, body = text.partition("\n")
    elif text.startswith("#") and text.count("\n") >= 2:
        _, head, body = text.split("\n", 2)
    else:
        return True
    found = _MARK.search(head)
    return found is None or hashlib.sha256(body.encode()).hexdigest() != found.group(1)


def write_files(root: Path, planned: list[Planned], lang: str) -> list[str]:
    """Write each planned file; returns one line per file. Refuses (exit 1) before writing
    anything when one of them was edited by hand or is not a regular file."""
    admin = root / ADMIN_FOLDER
    if admin.is_symlink() or (admin.exists() and not admin.is_dir()):
        raise UsageError(message("cms_not_regular", lang, file=ADMIN_FOLDER), exit_code=1)
    texts = {}
    for item in planned:
        path = root / item.path
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise UsageError(message("cms_not_regular", lang, file=item.path), exit_code=1)
        if path.exists():
            current = path.read_text(encoding="utf-8", errors="replace")
            if edited_by_hand(current):
                raise UsageError(message("cms_edited_by_hand", lang, file=item.path, extra=EXTRA_FILE),
                                 exit_code=1)
        texts[item.path] = with_marker(item, lang)
    admin.mkdir(exist_ok=True)
    lines = []
    for path_name, text in texts.items():
        path = root / path_name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            lines.append(message("cms_unchanged", lang, file=path_name))
            continue
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
        lines.append(message("cms_written", lang, file=path_name))
    return lines
