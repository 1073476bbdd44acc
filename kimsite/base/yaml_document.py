"""What kimsite reads of a YAML mapping: the data, and where each key was written."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class YamlDocument:
    data: dict
    lines: dict[str, int] = field(default_factory=dict)  # top-level key -> 1-based line
    raw: dict[str, str] = field(default_factory=dict)  # top-level key -> text of a plain scalar
    # "key.subkey" (a mapping's keys) and "key.0" (a list's items) one level down -> line; only
    # the parser fills it (the quick reader's one-line lists are on their key's line)
    nested: dict[str, int] = field(default_factory=dict, compare=False)
    # the same keys -> text of a plain scalar there (`phone: 0264123456` is an octal number to YAML)
    nested_raw: dict[str, str] = field(default_factory=dict, compare=False)
