"""Pictures an article shows (`image:`, a product's `foto:`, `![..](media/x.jpg)`) that are not in
the KIM's folder: an error naming the file that does exist when only the case or a letter differs
(a phone names photos IMG_20261203.JPG; GitHub Pages serves names case by case)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection

from kimsite.base.file_rules import is_svg, picture_format
from kimsite.base.messages import Part
from kimsite.model.model import Document
from kimsite.base.problems import Problem, error


def is_picture_name(rel: str) -> bool:
    return picture_format(rel) is not None or is_svg(rel)


def closest_file(target: str, files: Collection[str], alike: Callable[[str], bool] = is_picture_name) -> str | None:
    """The KIM file `target` most likely means: the same name in another case, else a close name
    among the files in its folder that are `alike` (pictures; Markdown sources for links)."""
    lower = target.lower()
    same_case = sorted(rel for rel in files if rel.lower() == lower)
    if same_case:
        return same_case[0]
    folder = posixpath.dirname(target)
    near = [rel for rel in files if posixpath.dirname(rel).lower() == folder.lower() and alike(rel)]
    import difflib  # (only for a picture that is not there)

    close = difflib.get_close_matches(lower, [rel.lower() for rel in near], n=1, cutoff=0.8)
    if close:
        return next(rel for rel in sorted(near) if rel.lower() == close[0])
    return None


def _problem(doc: Document, line: int | None, field: str, written: str, target: str,
             files: Collection[str]) -> Problem:
    suggestion = closest_file(target, files)
    hint: Part | str = Part("hint_picture_suggestion", (("suggestion", suggestion),)) if suggestion else ""
    return error(doc.source, line, "picture_missing", field=field, target=written, hint=hint)


def missing_pictures(doc: Document, files: Collection[str]) -> list[Problem]:
    """Every picture `doc` shows that is not among the KIM's files (relative to its folder)."""
    problems: list[Problem] = []
    image = doc.image
    if image and not image.lower().startswith(("http://", "https://")) and image not in files:
        problems.append(_problem(doc, doc.line("image") or doc.line("gambar") or 1, "image", image, image, files))
    for photo in doc.field("foto") or ():  # already relative to the KIM folder (kinds.py)
        if photo not in files:
            problems.append(_problem(doc, doc.line("foto") or doc.line("photos") or 1, "foto", photo, photo, files))
    for ref in doc.refs:
        if ref.target_type == "file" and ref.target not in files and is_picture_name(ref.target):
            problems.append(_problem(doc, ref.line or None, "body", ref.written, ref.target, files))
    return problems
