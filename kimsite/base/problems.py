"""Problems found in a workspace, collected as values and reported together.

A problem names the file and line it comes from and carries a message key plus
arguments; the text is produced only when it is shown, in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

from kimsite.base.messages import message

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    file: str  # workspace-relative POSIX path, or "" for the command line
    line: int | None
    code: str  # message key, see kimsite.base.messages
    args: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str) -> str:
        return message(self.code, lang, **dict(self.args))

    def location(self) -> str:
        if not self.file:
            return "kimsite"
        return f"{self.file}:{self.line}" if self.line else self.file

    def format(self, lang: str) -> str:
        label = message("label_" + self.severity, lang)
        return f"{self.location()}: {label}: {self.text(lang)}"

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.code, repr(self.args))


def error(file: str, line: int | None, code: str, **args: object) -> Problem:
    return Problem("error", file, line, code, _shown(args))


def warning(file: str, line: int | None, code: str, **args: object) -> Problem:
    return Problem("warning", file, line, code, _shown(args))


SHOWN_TEXT_MAX = 300  # a message quotes at most this much of a value (a 1 MB date stays one line)


def _shown(args: dict[str, object]) -> tuple[tuple[str, object], ...]:
    return tuple(sorted((name, value[:SHOWN_TEXT_MAX - 1] + "…" if isinstance(value, str)
                         and len(value) > SHOWN_TEXT_MAX else value) for name, value in args.items()))


@dataclass
class Problems:
    """A growing collection of problems for one run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Problem]:
        unique = dict.fromkeys(self.items)  # keeps first occurrence, drops exact repeats
        return sorted(unique, key=Problem.sort_key)


class KimsiteError(Exception):
    """A run that cannot go on; carries the problems that stopped it."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class UsageError(Exception):
    """A command that cannot run as given: exit code 2 for a wrong command line (an unknown
    KIM, a bad --date), 1 when the workspace refuses it (a file exists, no workspace)."""

    def __init__(self, text: str, exit_code: int = 2):
        super().__init__(text)
        self.exit_code = exit_code
