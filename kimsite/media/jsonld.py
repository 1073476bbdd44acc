"""Structured data (schema.org JSON-LD) that is safe inside a <script> element."""

from __future__ import annotations

import json
from typing import Any


def dump(data: dict[str, Any]) -> str:
    """JSON whose text cannot close the <script> element or open a comment: <, > and & are
    written as \\u escapes (still the same JSON for every parser)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {}, ())}
