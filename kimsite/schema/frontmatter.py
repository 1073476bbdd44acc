"""Turning a Markdown file's bytes into text, front matter and body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kimsite.base.foreign import is_toml_front_matter
from kimsite.base.problems import Problem, error, warning

MAX_SOURCE_BYTES = 5 * 1024 * 1024

# Characters XML 1.0 forbids (feeds must stay valid) plus C1 controls; tab and newline stay.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_OPENING = re.compile(r"---[ \t]*(?:\n|$)")


# The ASCII ones: ASCII text (most articles) is checked for each with str's C search, six
# times faster than the regex engine's scan of a 5 KB article.
_FORBIDDEN_ASCII = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]))


def _has_forbidden(text: str) -> bool:
    if text.isascii():
        return any(character in text for character in _FORBIDDEN_ASCII)
    return _FORBIDDEN.search(text) is not None


def strip_control_chars(text: str) -> str:
    """`text` without the characters XML 1.0 forbids and C1 controls (tab and newline stay)."""
    if len(text) > 256 and not _has_forbidden(text):  # long texts (bodies): the quick test first
        return text
    return _FORBIDDEN.sub("", text)


@dataclass(frozen=True, slots=True)
class SplitSource:
    front_matter: str
    front_matter_line: int  # file line of the first front-matter line
    body: str
    body_line: int  # file line of the first body line


def decode_text(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Decode a source file to text with "\\n" line ends; odd encodings warn, binary fails."""
    problems: list[Problem] = []
    if len(raw) > MAX_SOURCE_BYTES:
        size = round(len(raw) / 1024 / 1024, 1)
        return None, [error(file, None, "file_too_large", size=size, limit=MAX_SOURCE_BYTES // 1024 // 1024)]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            return None, [error(file, None, "file_binary")]
        problems.append(warning(file, None, "file_utf16"))
    elif b"\x00" in raw:
        return None, [error(file, _line_at(raw, raw.index(b"\x00")), "file_binary")]
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text = raw.decode("cp1252", errors="replace")
            problems.append(warning(file, _line_at(raw, exc.start), "file_not_utf8", encoding="Windows-1252"))
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _FORBIDDEN.search(text) if _has_forbidden(text) else None
    if found:
        problems.append(warning(file, text.count("\n", 0, found.start()) + 1, "file_control_chars"))
        text = _FORBIDDEN.sub("", text)
    return text, problems


def _line_at(raw: bytes, position: int) -> int:
    return raw.count(b"\n", 0, position) + 1


def split_front_matter(text: str, file: str) -> tuple[SplitSource | None, list[Problem]]:
    """Separate the YAML front matter (between "---" lines) from the Markdown body."""
    if not text.strip():
        return None, [error(file, 1, "fm_empty_file")]
    opening = _OPENING.match(text)
    if not opening:
        return None, [error(file, 1, "fm_toml" if is_toml_front_matter(text) else "fm_missing")]
    start = opening.end()
    closing = _CLOSING.search(text, start)
    if not closing:
        return None, [error(file, 1, "fm_unclosed")]
    front = text[start:closing.start()]
    body_start = closing.end() + 1 if closing.end() < len(text) else len(text)
    body_line = text.count("\n", 0, body_start) + 1
    return SplitSource(front, 2, text[body_start:], body_line), []
