"""The files of each KIM published as they are (documents, audio, video, cleaned SVG), and the
checks that keep a picture under another name or a video with a location from being copied."""

from __future__ import annotations

from kimsite.base.file_rules import is_picture, is_svg, refusal, sniff_picture, suffix_of
from kimsite.base.problems import KimsiteError, Problem, error
from kimsite.base.urls import Urls
from kimsite.media.video_location import has_location, looks_like_video
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.workspace.sources import read_path


@renderer("copy")
def render_copy(view: BuildView, output: Output) -> bytes:
    return read_path(output.params[0])


@renderer("svg")
def render_svg(view: BuildView, output: Output) -> bytes:
    from kimsite.media.svg_clean import clean_svg  # lxml is imported only where there is SVG

    return clean_svg(read_path(output.params[0]))


def plan_copies(view: BuildView, files: dict[str, list[tuple[str, str, str]]],
                problems: list[Problem]) -> list[Output]:
    """The files of each KIM that are published as they are: (site, rel, source path, content
    hash). Pictures are re-encoded by kimsite.media.images and never copied; SVG is published
    cleaned (kimsite.media.svg_clean); a file refused by kimsite.base.file_rules is never published.
    Raises KimsiteError for `problems`, those `copy_problems` found."""
    if problems:
        raise KimsiteError(problems)
    outputs = []
    for site, entries in sorted(files.items()):
        for rel, source, digest in entries:
            if is_picture(rel) or refusal(rel) is not None:
                continue
            outputs.append(Output(Urls.output_path(view.urls.media(site, rel)), "svg" if is_svg(rel) else "copy",
                                  site, (source,), (digest,)))
    return outputs


def copy_problems(view: BuildView) -> list[Problem]:
    """Files of the built KIMs that cannot be published as they are: SVG that cannot be cleaned,
    pictures under another name, videos that hold a location. Checked once per build (the
    picture planner reports them together with its own)."""
    problems: list[Problem] = []
    content = view.config.root / "content"
    for site in sorted(view.file_hashes):
        for rel in sorted(view.file_hashes[site]):
            if is_picture(rel) or refusal(rel) is not None:
                continue
            file, source = f"content/{site}/{rel}", str(content / site / rel)
            if is_svg(rel):
                from kimsite.media.svg_clean import SvgRefused, clean_svg

                try:
                    clean_svg(read_path(source))
                except SvgRefused as refused:
                    problems.append(error(file, None, refused.code, **refused.args_))
                except OSError as exc:
                    problems.append(error(file, None, "file_unreadable", reason=exc.strerror or str(exc)))
                continue
            head = _head(source)
            announced = sniff_picture(head)
            if announced is not None:
                problems.append(error(file, None, "picture_misnamed", format=announced, suffix=suffix_of(rel) or rel))
            elif looks_like_video(head, suffix_of(rel)) and has_location(source):
                problems.append(error(file, None, "video_has_location"))
    return problems


def _head(source: str) -> bytes:
    """The first bytes of the file at `source`, where formats announce themselves."""
    try:
        with open(source, "rb") as handle:
            return handle.read(16)
    except OSError:
        return b""
