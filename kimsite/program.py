"""The `kimsite` program's first step (console script and `python -m kimsite`).

Loading kimsite and its libraries takes a tenth of a second, before the command's own
Ctrl+C handling is in place (kimsite.base.interrupt): a Ctrl+C in that time ends the
program with the same one line and exit code 130 as any other, not Python's traceback.
This module imports nothing at its top for that reason.
"""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from time import perf_counter  # (a built-in module: nothing to load)

        started = perf_counter()
        _look_ahead_early()
        _end_when_up_to_date(started)
        from kimsite.base import collector

        # Loading kimsite and its libraries makes tens of thousands of objects that live as long
        # as the program and hold no garbage: the collector, paused meanwhile, would walk them
        # again and again (about a tenth of the loading time).
        with collector.paused():
            plain = _plain_build()
            if plain is None:
                from kimsite.cli import run as run_command
        if plain is not None:
            from kimsite.commands.build_command import run_as_program

            run_as_program(plain)
        else:
            run_command()
    except KeyboardInterrupt:  # before the handler was installed (or outside its reach)
        _interrupted()
    finally:
        _close_early()


def _close_early() -> None:
    """End the children of `_look_ahead_early` no build adopted (the command failed before)."""
    try:
        early = sys.modules.get("kimsite.write.look_ahead")
        if early is not None:
            early.close_early()
    except BaseException:  # noqa: BLE001 - a second Ctrl+C now: the program is ending anyway
        pass


def _look_ahead_early() -> None:
    """A build's output check, started in child processes before the rest of kimsite is loaded
    (see kimsite.write.look_ahead): loading takes longer than reading the sources, and the second
    core would wait meanwhile."""
    try:
        from kimsite.write.look_ahead import start_early

        start_early(sys.argv[1:])
    except Exception:  # noqa: BLE001 - only a head start: the build looks for itself
        pass


def _plain_build() -> dict | None:
    """The options of a `kimsite build` read as click reads them, without loading click and every
    command (see kimsite.commands.build_command); None for any other command line."""
    from kimsite.commands.build_command import plain_options

    return plain_options(sys.argv[1:])


def _end_when_up_to_date(started: float) -> None:
    """A build with nothing to do ends here, before kimsite is loaded (see
    kimsite.write.up_to_date); any other command, or any doubt, goes on."""
    try:
        from kimsite.write.up_to_date import exit_when_up_to_date

        exit_when_up_to_date(sys.argv[1:], started)
    except Exception:  # noqa: BLE001 - only a short way: the build decides for itself
        pass


def _interrupted() -> None:
    code = 130  # kimsite.base.interrupt.EXIT_CODE, should loading it be interrupted too
    try:
        from kimsite.base.interrupt import EXIT_CODE
        from kimsite.base.language_choice import cli_language, lang_argument
        from kimsite.base.messages import message

        code = EXIT_CODE
        line = message("interrupted", cli_language(lang_argument(sys.argv[1:])))
    except BaseException:  # noqa: BLE001 - a second Ctrl+C while loading the message
        line = "dihentikan (Ctrl+C) / stopped (Ctrl+C)"
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - nowhere to say it
        pass
    sys.exit(code)

