"""Images of a KIM: resized, re-encoded and stripped of EXIF/GPS before they are published.

Every image file of a built KIM (JPEG, PNG, WebP) is processed once per content
hash into `.kimsite/images/<hash>-<settings>/`:

* `full.<ext>` — the picture as published at its own address (orientation applied,
  metadata removed, at most FULL_WIDTH wide), so even a direct link never leaks GPS;
* `<w>.webp` and `<w>.<jpg|png>` for each width of WIDTHS below the picture's own
  width (never upscaled), used by `<picture>`/`srcset`;
* `og.jpg` — cropped to 1200×630 (or smaller, same ratio) and under OG_MAX_BYTES,
  the share preview of the articles that show it.

Other pictures that can carry EXIF, XMP or GPS (GIF, BMP, TIFF, AVIF, APNG; see
kimsite.base.file_rules) are published once, in their own format, re-encoded without any
metadata and with every frame of an animation (`process_plain`).

The planner (`plan_images`, run by kimsite.plan before any page is planned that shows a
picture) fills the cache (in parallel when many images are new), returns each image's
dimensions as an ImageIndex (which kimsite.plan hands to the renderers in the build view)
and one `Output` per derived file whose deps are the source's content hash and SETTINGS, so incremental builds
stay equal to clean ones. The writer publishes them; the "image" renderer only
returns bytes from the cache.
"""

from __future__ import annotations

import html
import io
import json
import os
import posixpath
import re
import shutil
import tempfile
import warnings
from pathlib import Path
from urllib.parse import quote, unquote

from kimsite.base.file_rules import (PLAIN_FORMATS, RESPONSIVE_FORMATS, is_picture, is_plain_picture,
                                     is_responsive_picture, picture_format, suffix_of)
from kimsite.base.links import SITE_PREFIX
from kimsite.media.picture_bytes import looks_whole
from kimsite.model.model import Document
from kimsite.outputs.records import ImageIndex, ImageInfo
from kimsite.outputs.contract import BuildView, Output, renderer
from kimsite.outputs.tokens import token
from kimsite.base.problems import KimsiteError, Problem, error
from kimsite.base.urls import Urls

WIDTHS = (480, 800, 1200)
FULL_WIDTH = 1600
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_FRAME_PIXELS = 4 * MAX_PIXELS  # all frames of an animation together
OG_SIZE = (1200, 630)
OG_MAX_BYTES = 300 * 1024
JPEG_QUALITY = 80
WEBP_QUALITY = 76
SIZES = "(max-width: 46rem) 100vw, 44rem"
SETTINGS = token("images-v1", WIDTHS, FULL_WIDTH, OG_SIZE, OG_MAX_BYTES, JPEG_QUALITY, WEBP_QUALITY)
PLAIN_SETTINGS = token("plain-v1", MAX_FRAME_PIXELS)
CACHE_FOLDER = "images"
PARALLEL_MIN = 4

class ImageFailure(Exception):
    """A picture that cannot be published: `code` is a message key of kimsite.base.messages."""

    def __init__(self, code: str, **args: object):
        super().__init__(code)
        self.code = code
        self.args_ = args


def full_name(rel: str) -> str:
    """The cached file of a picture at full size: named by format, so that one picture saved
    as foto.jpg and as foto.jpeg shares it."""
    return f"full.{picture_format(rel).lower()}"


def cache_root(view: BuildView) -> Path:
    return view.config.root / ".kimsite" / CACHE_FOLDER


# --- processing one picture (runs in worker processes) -----------------------------------

def open_within_limits(source: str, load: bool = True, frames: bool = False):
    """The picture at `source`, orientation applied, if the build accepts it (`load=False` only
    checks it, for `kimsite check`); raises ImageFailure naming why not. With `frames`, what
    `_frames` returns: every frame as a new picture without metadata, with their timing."""
    from PIL import Image, ImageOps

    try:
        size = os.path.getsize(source)
    except OSError as exc:
        raise ImageFailure("image_unreadable", reason=exc.strerror or str(exc)) from exc
    if size > MAX_BYTES:
        raise ImageFailure("image_too_large", size=f"{size / 1048576:.1f}", limit=MAX_BYTES // 1048576)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as opened:
                width, height = opened.size
                if width * height > MAX_PIXELS and not _decode_smaller(opened, frames):
                    raise ImageFailure("image_too_many_pixels", width=width, height=height,
                                       limit=MAX_PIXELS // 1_000_000)
                if not load:
                    opened.verify()
                    return None
                if frames:
                    return _frames(opened)
                opened.load()
                return ImageOps.exif_transpose(opened)
    except ImageFailure:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageFailure("image_too_many_pixels", width="?", height="?", limit=MAX_PIXELS // 1_000_000) from exc
    except (OSError, SyntaxError, ValueError, EOFError, Image.UnidentifiedImageError) as exc:
        raise ImageFailure("image_corrupt", reason=str(exc) or type(exc).__name__) from exc


def _decode_smaller(opened, frames: bool) -> bool:
    """Let a JPEG larger than MAX_PIXELS (a 48-megapixel phone photo) decode at a half, quarter
    or eighth of its size, at most MAX_PIXELS: the full picture is never held in memory, and
    pages use at most FULL_WIDTH pixels of it anyway. Pillow's own decompression-bomb limit
    (Image.MAX_IMAGE_PIXELS) still refuses absurd sizes before this. False for other formats."""
    if frames or opened.format != "JPEG":
        return False
    width, height = opened.size
    for scale in (2, 4, 8):
        if (width // scale) * (height // scale) <= MAX_PIXELS:
            opened.draft(opened.mode, (-(-width // scale), -(-height // scale)))
            return opened.size[0] * opened.size[1] <= MAX_PIXELS
    return False


_TRANSPOSE = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270",
              7: "TRANSVERSE", 8: "ROTATE_90"}


def _frames(opened) -> tuple[list, list[int], int | None]:
    """Every frame of `opened` as a new picture that carries nothing of the file's metadata, the
    duration of each, and how often an animation repeats (None: as the format's default)."""
    from PIL import Image

    count = getattr(opened, "n_frames", 1)
    width, height = opened.size
    if count * width * height > MAX_FRAME_PIXELS:
        raise ImageFailure("image_too_many_frames", frames=count, megapixels=count * width * height // 1_000_000,
                           limit=f"{MAX_FRAME_PIXELS // 1_000_000} megapiksel/megapixels")
    orientation = opened.getexif().get(0x0112)
    method = getattr(Image.Transpose, _TRANSPOSE[orientation]) if orientation in _TRANSPOSE else None
    pictures, durations = [], []
    loop = opened.info.get("loop")
    for index in range(count):
        opened.seek(index)
        mode = opened.mode if opened.mode in ("1", "L", "LA", "RGB", "RGBA") else "RGBA"
        picture = opened.convert(mode)
        picture.info = {}
        pictures.append(picture.transpose(method) if method is not None else picture)
        durations.append(int(opened.info.get("duration") or 100))
    return pictures, durations, loop if isinstance(loop, int) else None


def process_plain(source: str, target: str) -> dict:
    """Re-encode the picture at `source` in its own format, every frame, no metadata, into the
    folder `target` (written atomically) as `full.<ext>`; returns its metadata."""

    def write(work: Path) -> dict:
        return _save_plain(source, work / full_name(source))

    return _publish_atomically(Path(target), write)


def _save_plain(source: str, target) -> dict:
    """Write the picture at `source` to `target` (a path or a binary file) in its own format,
    every frame, without metadata; returns its metadata."""
    fmt = PLAIN_FORMATS[suffix_of(source)]
    pictures, durations, loop = open_within_limits(source, frames=True)
    if fmt in ("BMP", "AVIF") and pictures[0].mode not in ("RGB", "RGBA"):  # grey and 1-bit: not writable
        mode = "RGBA" if "A" in pictures[0].mode else "RGB"
        pictures = [picture.convert(mode) for picture in pictures]
    first, rest = pictures[0], pictures[1:]
    options: dict = {"optimize": False} if fmt == "GIF" else {"compression": "tiff_deflate"} if fmt == "TIFF" else {}
    if rest:
        options.update(save_all=True, append_images=rest)
        if fmt in ("GIF", "PNG", "AVIF", "WEBP"):
            options["duration"] = durations
            if loop is not None:
                options["loop"] = loop
    first.save(target, fmt, **options)
    return {"plain": True, "width": first.width, "height": first.height, "frames": len(pictures)}


def without_metadata(source: str) -> bytes:
    """The picture at `source` re-encoded in its own format at its own size, without metadata
    (theme pictures, published as the theme made them otherwise)."""
    buffer = io.BytesIO()
    if is_plain_picture(source):
        _save_plain(source, buffer)
        return buffer.getvalue()
    picture, _has_alpha = _flattened(open_within_limits(source))
    _save(picture, buffer, RESPONSIVE_FORMATS[suffix_of(source)])
    return buffer.getvalue()


def _flattened(picture):
    """`picture` as RGB or RGBA, with nothing of the original's metadata; and whether it has alpha."""
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info)
    picture = picture.convert("RGBA" if has_alpha else "RGB")
    picture.info.clear()  # nothing of the original's metadata may travel along
    return picture, has_alpha


def _publish_atomically(final: Path, write) -> dict:
    """Run `write(folder)` in a new folder beside `final`, add its meta.json, then move it to
    `final` (or keep the one another build finished first); returns the metadata."""
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
    try:
        meta = write(work)
        (work / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if final.exists() and _read_meta(final / "meta.json") is None:
            # left half-written by an interrupted build, or damaged: its files are not trusted
            shutil.rmtree(final, ignore_errors=True)
        try:
            os.replace(work, final)
        except OSError:  # another build finished the same picture first
            if _read_meta(final / "meta.json") is None:
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return meta


def process(source: str, target: str) -> dict:
    """Process `source` into the folder `target` (written atomically); returns its metadata."""
    from PIL import Image

    picture, has_alpha = _flattened(open_within_limits(source))
    suffix = suffix_of(source)
    if picture.width > FULL_WIDTH:
        picture = picture.resize((FULL_WIDTH, max(1, round(picture.height * FULL_WIDTH / picture.width))),
                                 Image.Resampling.LANCZOS)
    fallback = "png" if has_alpha else "jpg"
    widths = sorted({*(w for w in WIDTHS if w < picture.width), min(picture.width, WIDTHS[-1])})

    def write(work: Path) -> dict:
        _save(picture, work / full_name(source), RESPONSIVE_FORMATS[suffix])
        for w in widths:
            scaled = picture if w == picture.width else picture.resize(
                (w, max(1, round(picture.height * w / picture.width))), Image.Resampling.LANCZOS)
            _save(scaled, work / f"{w}.webp", "WEBP")
            _save(scaled, work / f"{w}.{fallback}", "PNG" if fallback == "png" else "JPEG")
        og = _og_image(picture)
        _save_og(og, work / "og.jpg")
        return {"width": picture.width, "height": picture.height, "widths": widths, "fallback": fallback,
                "og": list(og.size)}

    return _publish_atomically(Path(target), write)


def _save(picture, path: Path, fmt: str) -> None:
    if fmt == "JPEG":
        picture.convert("RGB").save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif fmt == "WEBP":
        picture.save(path, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        picture.save(path, "PNG", optimize=True)


def _og_image(picture):
    from PIL import Image, ImageOps

    base = picture
    if picture.mode == "RGBA":
        base = Image.new("RGB", picture.size, (255, 255, 255))
        base.paste(picture, mask=picture.getchannel("A"))
    scale = min(1.0, base.width / OG_SIZE[0], base.height / OG_SIZE[1])
    size = (max(1, round(OG_SIZE[0] * scale)), max(1, round(OG_SIZE[1] * scale)))
    return ImageOps.fit(base.convert("RGB"), size, Image.Resampling.LANCZOS)


def _save_og(picture, path: Path) -> None:
    for quality in (85, 75, 65, 55, 45, 35):
        picture.save(path, "JPEG", quality=quality, optimize=True, progressive=True)
        if path.stat().st_size <= OG_MAX_BYTES:
            return


def _process_task(task: tuple[str, str]) -> tuple[dict | None, tuple | None]:
    source, target = task
    try:
        return (process_plain if is_plain_picture(source) else process)(source, target), None
    except ImageFailure as exc:
        return None, (exc.code, exc.args_)


# --- planning ------------------------------------------------------------------------------

def _users(view: BuildView) -> dict[tuple[str, str], list[tuple[Document, int | None]]]:
    """Which documents show which picture (for messages naming the article)."""
    users: dict[tuple[str, str], list[tuple[Document, int | None]]] = {}
    for slug, model in view.sites.items():
        for doc in (*model.articles, *model.pages):
            if doc.image and is_picture(doc.image):
                users.setdefault((slug, doc.image), []).append((doc, doc.line("image") or doc.line("gambar")))
            for ref in doc.refs:
                if ref.target_type == "file" and is_picture(ref.target):
                    users.setdefault((slug, ref.target), []).append((doc, ref.line or None))
    return users


def plan_images(view: BuildView, copy_problems: list[Problem]) -> tuple[list[Output], ImageIndex]:
    """The derived files of every picture of the built KIMs, and the pictures' index. Raises
    KimsiteError naming every picture that cannot be published, with `copy_problems` (the
    other files' problems: every file problem in one report)."""
    root = view.config.root
    folder = cache_root(view)
    stats = {"processed": 0, "cached": 0}
    # Plain pictures are kept here too (with no widths) so the cache keeps their folders.
    images: dict[tuple[str, str], ImageInfo] = {}
    todo: list[tuple[tuple[str, str], str, str, str]] = []
    for site in sorted(view.sites):
        for rel, digest in sorted(view.file_hashes.get(site, {}).items()):
            if not is_picture(rel) or not digest:
                continue
            # The same bytes named .png and .jpg are two pictures: one folder per format.
            name = f"{digest}-{PLAIN_SETTINGS if is_plain_picture(rel) else SETTINGS}-{picture_format(rel).lower()}"
            meta_path = folder / name / "meta.json"
            meta = _read_meta(meta_path)
            if meta is not None:
                images[(site, rel)] = _info(site, rel, name, meta)
                stats["cached"] += 1
            else:
                todo.append(((site, rel), str(root / "content" / site / rel), str(folder / name), name))

    failures: list[Problem] = []
    if todo:
        results = _run([(source, target) for _key, source, target, _name in todo], view)
        users = _users(view)
        for (key, _source, _target, name), (meta, failure) in zip(todo, results):
            if meta is not None:
                images[key] = _info(key[0], key[1], name, meta)
                stats["processed"] += 1
                continue
            code, args = failure
            file = f"content/{key[0]}/{key[1]}"
            used = users.get(key, [])
            if used:
                for doc, line in used:
                    failures.append(error(doc.source, line, code, image=file, **args))
            else:
                failures.append(error(file, None, code, image=file, **args))
    failures.extend(_name_conflicts(view, images))
    failures.extend(copy_problems)
    if failures:
        raise KimsiteError(failures)

    outputs: list[Output] = []
    for (site, rel), info in sorted(images.items()):
        deps = (info.folder, SETTINGS if info.widths else PLAIN_SETTINGS)
        files = [(rel, full_name(rel))]
        for w in info.widths:
            files.append((info.variant(w, "webp"), f"{w}.webp"))
            files.append((info.variant(w, info.fallback), f"{w}.{info.fallback}"))
        if info.widths:
            files.append((info.og_rel, "og.jpg"))
        for published, cached in files:
            outputs.append(Output(Urls.output_path(view.urls.media(site, published)), "image", site,
                                  (info.folder, cached), deps))
    return outputs, ImageIndex(images, stats["processed"], stats["cached"])


def _name_conflicts(view: BuildView, images: dict[tuple[str, str], ImageInfo]) -> list[Problem]:
    """A file of the KIM, or a file made from another picture, at the address of a file made from
    a picture (foto.480.jpg beside foto.jpg; foto.jpg beside foto.png): one would replace the
    other without a word. Each is an error naming both files."""
    problems: list[Problem] = []
    for site in sorted(view.sites):
        own = view.file_hashes.get(site, {})
        made: dict[str, str] = {}  # generated path -> the picture it is made from
        reported: set[tuple[str, str]] = set()
        for (image_site, rel), info in sorted(images.items()):
            if image_site != site:
                continue
            image = f"content/{site}/{rel}"
            for generated in info.generated() if info.widths else ():
                first = made.setdefault(generated, rel)
                if generated in own:
                    problems.append(error(f"content/{site}/{generated}", None, "image_name_taken", image=image,
                                          generated=generated, suggestion=_suggestion(generated)))
                elif first != rel and (first, rel) not in reported:
                    reported.add((first, rel))
                    problems.append(error(image, None, "image_name_taken", image=f"content/{site}/{first}",
                                          generated=generated, suggestion=_suggestion(rel)))
    return problems


def _suggestion(rel: str) -> str:
    """Another name for the file `rel` that no picture's derived files use."""
    stem, suffix = posixpath.splitext(rel)
    return posixpath.basename(stem).replace(".", "-") + "-2" + suffix


def _read_meta(path: Path) -> dict | None:
    """The metadata of a processed picture as `process` or `process_plain` wrote it; None when
    it is missing or not of that shape (the state folder is untrusted: the picture is processed
    again, and the folder replaced)."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if _meta_is_valid(meta) else None


def _meta_is_valid(meta: object) -> bool:
    def positive(value: object) -> bool:
        return type(value) is int and value > 0

    if not isinstance(meta, dict) or not positive(meta.get("width")) or not positive(meta.get("height")):
        return False
    if "plain" in meta:
        return meta["plain"] is True
    widths, og = meta.get("widths"), meta.get("og")
    return (isinstance(widths, list) and bool(widths) and all(positive(width) for width in widths)
            and widths == sorted(set(widths)) and meta.get("fallback") in ("jpg", "png")
            and isinstance(og, list) and len(og) == 2 and all(positive(side) for side in og))


def _info(site: str, rel: str, folder: str, meta: dict) -> ImageInfo:
    if meta.get("plain"):
        return ImageInfo(site, rel, folder, int(meta["width"]), int(meta["height"]), (), "", (0, 0))
    return ImageInfo(site, rel, folder, int(meta["width"]), int(meta["height"]), tuple(meta["widths"]),
                     meta["fallback"], tuple(meta["og"]))


def _run(tasks: list[tuple[str, str]], view: BuildView) -> list[tuple]:
    from kimsite.workspace.options import fork_context, worker_count

    workers = min(worker_count(None), len(tasks))
    context = fork_context() if len(tasks) >= PARALLEL_MIN and workers >= 2 else None
    if context is None:
        return [_process_task(task) for task in tasks]
    from kimsite.base.interrupt import process_pool

    with process_pool(context, workers) as pool:
        return pool.map(_process_task, tasks, chunksize=1)


@renderer("image")
def render_image(view: BuildView, output: Output) -> bytes:
    folder, name = output.params
    try:
        data = (cache_root(view) / folder / name).read_bytes()
    except OSError:
        data = b""
    if looks_whole(data, name):
        return data
    return _processed_again(view, folder, name)


def _processed_again(view: BuildView, folder: str, name: str) -> bytes:
    """The file `name` of a processed picture whose copy in the state folder is missing or
    damaged (see kimsite.media.picture_bytes): the picture is processed again in a folder of its
    own, which then takes the damaged one's place (another worker may be doing the same: the
    first to finish wins, and a later build finds the folder whole)."""
    found = next((key for key, info in view.images.pictures.items() if info.folder == folder), None)
    if found is None:
        raise ImageFailure("image_unreadable", reason=f".kimsite/{CACHE_FOLDER}/{folder}/{name}")
    site, rel = found
    source = str(view.config.root / "content" / site / rel)
    root = cache_root(view)
    own = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    try:
        made = own / "picture"
        (process_plain if is_plain_picture(rel) else process)(source, str(made))
        data = (made / name).read_bytes()
        damaged = own / "damaged"
        try:
            os.replace(root / folder, damaged)
        except OSError:
            pass  # gone already (another worker moved it)
        try:
            os.replace(made, root / folder)
        except OSError:
            pass  # another worker put its own in place first
    finally:
        shutil.rmtree(own, ignore_errors=True)
    return data


# --- HTML ------------------------------------------------------------------------------------

_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s"\'=<>`]+)))?')


def lookup(view: BuildView, site: str, rel: str) -> ImageInfo | None:
    """The responsive set made from the picture `rel` of `site` (None for plain pictures)."""
    return view.images.responsive(site, rel)


def picture_html(info: ImageInfo, alt: str, eager: bool, site_root: str, title: str | None = None) -> str:
    """`<picture>` with WebP and fallback sources; `site_root` is the KIM's root URL."""

    def url(rel: str) -> str:
        return html.escape(site_root + quote(rel), quote=True)

    def srcset(ext: str) -> str:
        return ", ".join(f"{url(info.variant(w, ext))} {w}w" for w in info.widths)

    largest = info.widths[-1]
    default = next((w for w in info.widths if w >= 800), largest)
    loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
    extra = f' title="{html.escape(title, quote=True)}"' if title else ""
    return (f'<picture><source type="image/webp" srcset="{srcset("webp")}" sizes="{SIZES}">'
            f'<img src="{url(info.variant(default, info.fallback))}" '
            f'srcset="{srcset(info.fallback)}" sizes="{SIZES}" width="{largest}" '
            f'height="{info.height_at(largest)}" alt="{html.escape(alt, quote=True)}"{extra}'
            f'{loading} decoding="async"></picture>')


def rewrite_body(view: BuildView, doc: Document, markup: str) -> str:
    """Turn the document's local images into responsive pictures; put its front-matter image
    first when the body does not show it. The first picture of a page is not lazy."""
    first = [True]
    root = view.urls.url(view.urls.site_root(doc.site))

    def replace(match: re.Match[str]) -> str:
        attributes = {name.lower(): html.unescape(a or b or c or "") for name, a, b, c
                      in _ATTRIBUTE.findall(match.group(0)[4:-1])}
        src = attributes.get("src", "")
        if not src.startswith(SITE_PREFIX):
            return match.group(0)
        rel = unquote(src[len(SITE_PREFIX):].split("#", 1)[0].split("?", 1)[0])
        info = lookup(view, doc.site, rel)
        if info is None:
            return match.group(0)
        eager, first[0] = first[0], False
        return picture_html(info, attributes.get("alt", ""), eager, root, attributes.get("title"))

    hero = ""
    image = lookup(view, doc.site, doc.image) if doc.image else None
    if image is not None and f"{SITE_PREFIX}{quote(doc.image)}" not in markup:
        caption = figcaption(doc, view.config.language)
        hero = f'<figure class="hero">{picture_html(image, doc.image_alt or "", True, root)}{caption}</figure>\n'
        first[0] = False
    if "<img" in markup:
        markup = _IMG.sub(replace, markup)
    return hero + markup


THUMB_SIZES = "(min-width: 40rem) 10rem, 7rem"
LEAD_SIZES = SIZES


def thumbnail_html(info: ImageInfo | None, site_root: str, lead: bool = False) -> str:
    """The picture `info` of a document in lists (see og_image): the smallest variant (a lead
    story: the responsive set, loaded first); `site_root` is the KIM's root URL. Empty alt: the
    title next to it says the same."""
    if info is None:
        return ""
    if lead:
        return picture_html(info, "", True, site_root)
    width = info.widths[0]
    url = html.escape(site_root + quote(info.variant(width, info.fallback)), quote=True)
    webp = html.escape(site_root + quote(info.variant(width, "webp")), quote=True)
    return (f'<picture><source type="image/webp" srcset="{webp}">'
            f'<img src="{url}" width="{width}" height="{info.height_at(width)}" alt="" '
            f'loading="lazy" decoding="async"></picture>')


def photo_html(view: BuildView, doc: Document, rel: str, alt: str) -> str:
    """A lazy responsive picture of one of the document's files, or "" when it is not one."""
    info = lookup(view, doc.site, rel)
    return picture_html(info, alt, False, view.urls.url(view.urls.site_root(doc.site))) if info else ""


def figcaption(doc: Document, lang: str) -> str:
    """`<figcaption>` with the main image's caption and credit (front matter), or nothing."""
    from kimsite.base.i18n import ui

    parts = []
    if doc.image_caption:
        parts.append(html.escape(doc.image_caption))
    if doc.image_credit:
        credit = html.escape(ui("photo_credit", lang, who=doc.image_credit))
        parts.append(f'<span class="credit">{credit}</span>')
    return f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""


def og_image(view: BuildView, doc: Document) -> ImageInfo | None:
    """The picture that represents a document when shared and in lists: its own image, else the
    first in its body, else a product's first photo."""
    if doc.image:
        info = lookup(view, doc.site, doc.image)
        if info is not None:
            return info
    for ref in doc.refs:
        if ref.target_type == "file" and is_responsive_picture(ref.target):
            info = lookup(view, doc.site, ref.target)
            if info is not None:
                return info
    for photo in doc.field("foto") or ():  # a product's photos (kimsite.schema.article_types)
        info = lookup(view, doc.site, photo)
        if info is not None:
            return info
    return None

