"""Which language command-line messages are in, from the command line and the environment.

Kept apart, loading only `os`, because the program's first step needs it before it has loaded
anything else (see kimsite.write.up_to_date).
"""

from __future__ import annotations

import os


def lang_argument(arguments: list[str]) -> str | None:
    """The value of --lang on a command line, if any (for messages before click has read it)."""
    for index, argument in enumerate(arguments):
        if argument == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith("--lang="):
            return argument.partition("=")[2]
    return None


def cli_language(option: str | None = None) -> str:
    """Language of command-line messages: --lang, then KIMSITE_LANG, then LANG; Indonesian by default."""
    for value in (option, os.environ.get("KIMSITE_LANG"), os.environ.get("LC_ALL"),
                  os.environ.get("LC_MESSAGES"), os.environ.get("LANG")):
        if value:
            return "en" if value.lower().startswith("en") else "id"
    return "id"
