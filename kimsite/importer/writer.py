"""Markdown files of imported posts: front matter kimsite validates cleanly, and safe writing."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from kimsite.schema.frontmatter import strip_control_chars


def scalar(value: object) -> str:
    """A YAML value that reads back exactly: text and lists as JSON (a subset of YAML), dates as
    ISO 8601 with their offset, booleans as true/false."""
    if isinstance(value, str):
        value = strip_control_chars(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") if value.tzinfo else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(json.dumps(strip_control_chars(str(item)), ensure_ascii=False) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def document(fields: list[tuple[str, object]], body: str) -> str:
    lines = ["---"]
    for key, value in fields:
        if value is None or value == "" or value == () or value == []:
            continue
        lines.append(f"{key}: {scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + strip_control_chars(body)


def write_file(path: Path, data: bytes) -> None:
    """Write `data` whole or not at all (a killed import leaves no half article or picture)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
