"""The table of hostile and broken inputs that tests/test_hostile.py builds one by one.

Every case is a tiny workspace (one KIM, slug "uji") plus the exact outcome it must have:

* "error": the build fails and the errors are exactly `problems` (severity, file, line, code);
* "warning": the build succeeds and reports at least the warnings in `problems`; the article
  is published (or skipped when `article` is None);
* "safe": the build succeeds and the output is sanitized (no script, no event handler, no
  javascript:/vbscript:/data: URL, titles escaped, feeds parse).

A case's `files` are paths relative to the workspace; `setup` may add what cannot be
written as bytes (symbolic links). `limit` bounds the build time in seconds.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ARTICLE = "content/uji/a.md"
SITE_FILE = "name: KIM Uji\nkecamatan: Maniis\n"
FM = "---\ntitle: Judul\ndate: 2025-01-02\n---\n"  # body starts on line 5
ARTICLE_OUT = "uji/2025/01/a/index.html"

Problem = tuple[str, str, int | None, str]  # severity, file, line, code


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, bytes]
    outcome: str  # "error", "warning" or "safe"
    problems: tuple[Problem, ...] = ()
    article: str | None = ARTICLE_OUT  # output that must exist when the build succeeds
    title: str | None = None  # exact title text expected in <h1> and in the feeds
    limit: float = 5.0
    dialect: str = "default"
    setup: Callable[[Path], None] | None = None
    absent: tuple[str, ...] = ()  # byte strings that must not appear in any output file
    note: str = ""


def md(text: str | bytes, name: str = ARTICLE) -> dict[str, bytes]:
    return {name: text.encode("utf-8") if isinstance(text, str) else text}


def body(text: str) -> dict[str, bytes]:
    return md(FM + text)


def front(lines: str, text: str = "isi\n") -> dict[str, bytes]:
    return md(f"---\n{lines}---\n{text}")


SITE_PATH = "sites/uji.yaml"


def site(text: str | bytes) -> dict[str, bytes]:
    """The case's own site file instead of SITE_FILE."""
    return {SITE_PATH: text.encode("utf-8") if isinstance(text, str) else text}


def err(code: str, line: int | None, file: str = ARTICLE) -> Problem:
    return ("error", file, line, code)


def warn(code: str, line: int | None, file: str = ARTICLE) -> Problem:
    return ("warning", file, line, code)


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares `width` x `height` pixels (its data is tiny)."""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def tiny_png() -> bytes:
    """A valid 1 x 1 PNG."""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b""))


def _symlink(name: str, target: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        os.symlink(target, root / "content/uji" / name)
    return setup


GIT_SECRET = b"ghs_rahasiaTokenActions"


def _git_config_link(root: Path) -> None:
    """A .git/config holding a token, and a media file linking to it (inside the workspace)."""
    (root / ".git").mkdir()
    (root / ".git/config").write_bytes(b"[http]\n\textraheader = AUTHORIZATION: basic " + GIT_SECRET + b"\n")
    (root / "content/uji/media").mkdir(parents=True, exist_ok=True)
    os.symlink("../../../.git/config", root / "content/uji/media/x.txt")


def _loop(root: Path) -> None:
    folder = root / "content/uji"
    os.symlink("b.md", folder / "loop.md")
    os.symlink("loop.md", folder / "b.md")
    os.symlink("lingkar", folder / "lingkar")  # a link to itself
    os.symlink(".", folder / "sini")  # a folder link back to its own folder


NEST = 10_000
# Texts on which Python-Markdown would take quadratic time are read by cmark-gfm instead.
TOO_COMPLEX = ("warning", ARTICLE, 5, "markdown_too_complex")
NESTED_TOO_DEEP = ("warning", ARTICLE, 5, "html_nested_too_deep")  # shown as plain text
ALIAS_BOMB = ("---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
              "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
              "title: t\ndate: 2025-01-02\n---\n")

CASES: list[Case] = [
    # --- encodings and file structure ---------------------------------------------------
    Case("empty-file", md(b""), "error", (err("fm_empty_file", 1),)),
    Case("only-whitespace", md(b" \n\n\t\n"), "error", (err("fm_empty_file", 1),)),
    Case("no-front-matter", md("Hanya teks tanpa judul.\n"), "error", (err("fm_missing", 1),)),
    Case("front-matter-never-closed", md("---\ntitle: t\ndate: 2025-01-02\nisi artikel\n"), "error",
         (err("fm_unclosed", 1),)),
    Case("only-front-matter", md("---\ntitle: Judul\ndate: 2025-01-02\n---"), "safe", title="Judul"),
    Case("closing-with-dots", md("---\ntitle: Judul\ndate: 2025-01-02\n...\nisi\n"), "safe", title="Judul"),
    Case("utf8-bom", md(b"\xef\xbb\xbf" + FM.encode() + b"isi"), "safe", title="Judul"),
    Case("bom-inside-front-matter", front("title: \ufeffJudul\ndate: 2025-01-02\n"), "safe", title="\ufeffJudul",
         note="a BOM inside a value is an ordinary (invisible) character: it is kept, escaped"),
    Case("crlf-line-ends", md((FM + "isi\n").replace("\n", "\r\n")), "safe", title="Judul"),
    Case("crlf-error-line", md("---\r\ntitle: t\r\ndate: 2025-02-30\r\n---\r\n"), "error",
         (err("date_invalid", 3),)),
    Case("lone-cr-line-ends", md("---\rtitle: t\rdate: 2025-02-30\r---\risi\r"), "error",
         (err("date_invalid", 3),)),
    Case("lone-cr-builds", md((FM + "isi\n").replace("\n", "\r")), "safe", title="Judul"),
    Case("utf16-le-bom", md((FM + "isi").encode("utf-16")), "warning", (warn("file_utf16", None),),
         title="Judul"),
    Case("utf16-be-bom", md(b"\xfe\xff" + (FM + "isi").encode("utf-16-be")), "warning",
         (warn("file_utf16", None),), title="Judul"),
    Case("utf16-without-bom", md((FM + "isi").encode("utf-16-le")), "error", (err("file_binary", 1),)),
    Case("nul-bytes", md(FM.encode() + b"isi\x00lagi"), "error", (err("file_binary", 5),)),
    Case("binary-png-named-md", md(png_header(10, 10)), "error", (err("file_binary", 3),),
         note="the first NUL byte is on line 3 (the PNG signature holds two line feeds)"),
    Case("binary-high-bytes", md(bytes(range(0x80, 0x100)) * 4), "error",
         (err("fm_missing", 1),), note="no NUL: read as Windows-1252 (warning), then no front matter"),
    Case("windows-1252", md(("---\ntitle: Kafé Warga\ndate: 2025-01-02\n---\n\u201cKutipan\u201d\n").encode("cp1252")),
         "warning", (warn("file_not_utf8", 2),), title="Kafé Warga"),
    Case("file-50mb", md(FM.encode() + b"kata " * (10 * 1024 * 1024)), "error",
         (err("file_too_large", None),)),
    Case("single-1mb-line", md(FM.encode() + b"kata " * (200 * 1024)), "safe", title="Judul"),
    Case("control-chars-in-body", body("isi\x01\x1b teks\x7f \x85lagi\n"), "warning",
         (warn("file_control_chars", 5),), title="Judul"),
    Case("control-chars-as-yaml-escapes", front('title: "Ju\\x01dul\\x1b \\u0085x"\ndate: 2025-01-02\n'
                                                'tags: ["a\\x02"]\n'),
         "warning", (warn("field_control_chars", 2), warn("field_control_chars", 4)), title="Judul x"),
    Case("control-chars-as-entities", body("isi &#1; &#x1b; &#xFFFE; &#0; &#xD800; lagi\n"), "safe",
         title="Judul"),
    # --- content written elsewhere (Jekyll, Hugo, Notepad) -------------------------------
    Case("jekyll-markdown-extension", md(FM + "isi\n", "content/uji/a.markdown"), "safe", title="Judul"),
    Case("notepad-md-txt", {**body("isi\n"), **md(FM, "content/uji/b.md.txt")}, "warning",
         (warn("markdown_name_near_miss", None, "content/uji/b.md.txt"),)),
    Case("hugo-index-page", {**body("isi\n"), **md(FM, "content/uji/_index.md")}, "warning",
         (warn("hugo_index_page", None, "content/uji/_index.md"),)),
    Case("toml-front-matter", md('+++\ntitle = "t"\ndate = 2025-01-02\n+++\nisi\n'), "error",
         (err("fm_toml", 1),)),
    Case("hugo-shortcode", body('{{< figure src="x.jpg" >}}\n\n{{% notice %}}\n'), "error",
         (err("hugo_figure", 5), err("hugo_shortcode", 7))),
    Case("liquid-tags", body("{% include x.html %}\n\n{{ site.title }} {% if a %}\n"), "error",
         (err("liquid_include", 5), err("template_variable", 7), err("liquid_tag", 7))),
    Case("picture-wrong-case", {**front("title: t\ndate: 2025-01-02\nimage: media/foto.png\n", "![x](media/FOTO.png)\n"),
                                "content/uji/media/Foto.PNG": tiny_png()}, "error",
         (err("picture_missing", 4), err("picture_missing", 6))),
    Case("mdown-extension", {**body("isi\n"), **md(FM, "content/uji/b.mdown")}, "warning",
         (warn("markdown_name_near_miss", None, "content/uji/b.mdown"),)),
    Case("youtube-named-form", body('{{< youtube id="dQw4w9WgXcQ" >}}\n'), "error",
         (err("youtube_shortcode_form", 5),)),
    Case("site-required-key-misspelt", {**body("isi\n"), **site("name: KIM Uji\nkecamatn: Maniis\n")}, "error",
         (err("field_required_typo", 2, SITE_PATH),), note="named on the misspelt line, with the key meant"),
    # --- YAML ---------------------------------------------------------------------------------
    Case("yaml-malformed", front("title: [tidak ditutup\ndate: 2025-01-02\n"), "error",
         (err("yaml_unclosed_bracket", 2),), note="named at the bracket, not where YAML noticed it"),
    Case("yaml-bad-indent", front("title: t\n  date: 2025-01-02\n"), "error", (err("yaml_indented", 3),)),
    Case("yaml-tabs-indent", front("title: t\ndate: 2025-01-02\ntags:\n\t- a\n"), "error",
         (err("yaml_tab", 5),)),
    Case("yaml-unquoted-colon", front("title: Rapat: hasil\ndate: 2025-01-02\n"), "error", (err("yaml_colon", 2),)),
    Case("yaml-smart-quotes-colon", front("title: \u201cRapat: Warga\u201d\ndate: 2025-01-02\n"), "error",
         (err("yaml_smart_quotes", 2),)),
    Case("yaml-smart-quotes-kept", front("title: \u201cRapat\u201d\ndate: 2025-01-02\n"), "warning",
         (warn("yaml_smart_quotes_kept", 2),)),
    Case("yaml-unclosed-quote", front('title: "Rapat\ndate: 2025-01-02\ntags: [a]\n'), "error",
         (err("yaml_unclosed_quote", 2),), note="named at the quote, not at the closing ---"),
    Case("yaml-error-keeps-other-problems", front("title: Rapat: hasil\ndate: 2025-02-30\nbaru: x\n",
                                                  "{% include x %}\n"), "error",
         (err("yaml_colon", 2), err("date_invalid", 3), err("liquid_include", 6))),
    Case("yaml-many-tabs", front("title: t\ntags:\n\t- a\n\t- b\ndate: 2025-01-02\n"), "error",
         (err("yaml_tab", 4), err("yaml_tab", 5))),
    Case("front-matter-is-list", front("- title\n- date\n"), "error", (err("yaml_not_mapping", 2),)),
    Case("front-matter-is-text", front("sekadar teks\n"), "error", (err("yaml_not_mapping", 2),)),
    Case("python-object-tag", front("title: !!python/object/apply:os.system ['echo pwned']\ndate: 2025-01-02\n"),
         "error", (err("yaml_tag", 2),)),
    Case("python-name-tag", front("title: t\ndate: 2025-01-02\nx: !!python/name:os.system\n"), "error",
         (err("yaml_tag", 4),)),
    Case("alias-bomb", md(ALIAS_BOMB), "error", (err("yaml_alias", 2),)),
    Case("duplicate-keys", front("title: a\ndate: 2025-01-02\ntitle: b\n"), "error",
         (err("yaml_duplicate_key", 4),)),
    Case("key-and-alias-twice", front("title: a\njudul: b\ndate: 2025-01-02\n"), "error",
         (err("field_alias_twice", 3),)),
    Case("yaml-deep-nesting", front("title: t\ndate: 2025-01-02\nx: " + "[" * 100 + "]" * 100 + "\n"), "error",
         (err("yaml_syntax", 4),)),
    Case("title-no", front("title: no\ndate: 2025-01-02\n"), "safe", title="no"),
    Case("title-number", front("title: 2021\ndate: 2025-01-02\n"), "safe", title="2021"),
    Case("title-empty", front("title:\ndate: 2025-01-02\n"), "error", (err("field_empty", 2),)),
    Case("title-mapping", front("title: {a: b}\ndate: 2025-01-02\n"), "error", (err("field_not_text", 2),)),
    Case("title-too-long", front("title: " + "panjang " * 200 + "\ndate: 2025-01-02\n"), "error",
         (err("field_too_long", 2),)),
    Case("title-smart-quotes", front("title: \u201cRapat\u201d Warga \u2018RT 03\u2019\ndate: 2025-01-02\n"), "safe",
         title="\u201cRapat\u201d Warga \u2018RT 03\u2019"),
    Case("title-zero-width", front("title: Ju\u200bdul\u200d\u2060 Warga\ndate: 2025-01-02\n"), "safe",
         title="Ju\u200bdul\u200d\u2060 Warga"),
    Case("tags-as-string", front("title: t\ndate: 2025-01-02\ntags: rapat, warga\n"), "warning",
         (warn("field_tags_string", 4),)),
    Case("tags-as-mapping", front("title: t\ndate: 2025-01-02\ntags: {a: b}\n"), "error",
         (err("field_not_list", 4),)),
    Case("ten-thousand-tags", front("title: t\ndate: 2025-01-02\ntags:\n"
                                    + "".join(f"  - tag {i}\n" for i in range(10_000))),
         "warning", (warn("field_too_many", 4),), note="only the first 30 tags are used (30 tag pages)"),
    Case("unknown-type", front("title: t\ndate: 2025-01-02\ntype: virus\n"), "error",
         (err("field_bad_choice", 4),)),
    # --- dates --------------------------------------------------------------------------------
    Case("date-slashes-ambiguous", front("title: t\ndate: 12/03/2025\n"), "error", (err("date_ambiguous", 3),)),
    Case("date-slashes-one-reading", front("title: t\ndate: 25/01/2025\n"), "error", (err("date_numeric", 3),)),
    Case("date-indonesian-words", front("title: t\ndate: Kamis, 2 Januari 2025\n"), "safe", title="t"),
    Case("date-indonesian-bad-day", front("title: t\ndate: 32 Januari 2025\n"), "error", (err("date_invalid", 3),)),
    Case("date-impossible-day", front("title: t\ndate: 2025-02-30\n"), "error", (err("date_invalid", 3),)),
    Case("date-impossible-month", front("title: t\ndate: 2025-13-01\n"), "error", (err("date_invalid", 3),)),
    Case("date-impossible-hour", front("title: t\ndate: 2025-01-02 25:61\n"), "error", (err("date_invalid", 3),)),
    Case("date-as-number", front("title: t\ndate: 20250102\n"), "error", (err("date_invalid", 3),)),
    Case("date-as-float", front("title: t\ndate: 2025.01\n"), "error", (err("date_invalid", 3),)),
    Case("date-as-list", front("title: t\ndate: [2025, 1, 2]\n"), "error", (err("date_invalid", 3),)),
    Case("date-bad-offset", front("title: t\ndate: 2025-01-02 10:00 +99:00\n"), "error",
         (err("date_invalid", 3),)),
    Case("date-far-past", front("title: t\ndate: 0001-01-01\n"), "error", (err("date_out_of_range", 3),)),
    Case("date-far-future", front("title: t\ndate: 9999-12-31\n"), "error", (err("date_out_of_range", 3),)),
    Case("date-future-unpublished", front("title: t\ndate: 2099-01-01\n"), "safe", article=None,
         note="valid but after the build's 'now': not published yet, no error"),
    Case("updated-before-date", front("title: t\ndate: 2025-01-02\nupdated: 2024-01-01\n"), "warning",
         (warn("date_updated_before", 4),)),
    # --- scripts and event handlers ----------------------------------------------------------
    Case("raw-script", body("<script>alert(1)</script>\n\nisi <SCRIPT SRC=//evil.example/x.js></SCRIPT>\n"), "safe",
         title="Judul", absent=(b"alert(1)", b"evil.example")),
    Case("iframe-object-embed", body('<iframe src="https://evil.example/"></iframe>\n<object data="x.swf"></object>'
                                     '\n<embed src="x.swf">\n<base href="https://evil.example/">\n'), "safe",
         title="Judul", absent=(b"evil.example",)),
    Case("event-handlers", body('<img src="https://a.example/i.png" onerror="alert(1)">\n'
                                '<p onclick="alert(2)" ONMOUSEOVER=alert(3)>x</p>\n<svg onload=alert(4)></svg>\n'
                                '<details open ontoggle=alert(5)>y</details>\n'), "safe", title="Judul",
         absent=(b"alert(",)),
    Case("style-form-meta", body('<style>body{background:url(javascript:alert(1))}</style>\n'
                                 '<form action="https://evil.example/"><input name=x></form>\n'
                                 '<meta http-equiv="refresh" content="0;url=https://evil.example/">\n'
                                 '<p style="background:url(javascript:alert(1))">x</p>\n'), "safe", title="Judul",
         absent=(b"evil.example", b"alert(")),
    Case("comment-hiding-script", body("<!-- <script>alert(1)</script> -->\n<!--><script>alert(2)</script>-->\n"),
         "safe", title="Judul", absent=(b"alert(",)),
    Case("gfm-raw-script", body("<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n"), "warning",
         (warn("link_missing", 7),), title="Judul", dialect="gfm",
         note="cmark-gfm's tag filter turns <script> into visible text"),
    # --- javascript: links in every disguise --------------------------------------------------
    Case("js-link-case", body("[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](JAVASCRIPT:alert(1))\n"),
         "safe", title="Judul", absent=(b"alert(",)),
    Case("js-link-entities", body("[a](&#106;avascript:alert(1)) [b](&#x6A;&#x61;vascript:alert(1)) "
                                  "[c](javascript&colon;alert(1)) [d](jav&#x09;ascript:alert(1))\n"),
         "safe", title="Judul"),
    Case("js-link-whitespace", body("[a]( javascript:alert(1)) [b](<java\tscript:alert(1)>) "
                                    "[c](<java\nscript:alert(1)>) [d](\x01javascript:alert(1))\n"),
         "warning", (warn("file_control_chars", 6), warn("link_missing", 5)), title="Judul",
         note="java<TAB>script: is no scheme, only a relative (missing) file name"),
    Case("js-in-raw-html", body('<a href="javascript:alert(1)">a</a> <a href="&#x6A;avascript:alert(1)">b</a> '
                                '<a href=" javascript:alert(1)">c</a> <a href="java&#10;script:alert(1)">d</a> '
                                '<a href="java\tscript:alert(1)">e</a> <a href="JaVaScRiPt:alert(1)">f</a>\n'),
         "safe", title="Judul"),
    Case("js-in-image-syntax", body("![a](javascript:alert(1)) ![b](JAVASCRIPT:alert(1) \"t\") "
                                    '<img src="javascript:alert(1)"> <img srcset="javascript:alert(1) 1x">\n'),
         "safe", title="Judul"),
    Case("js-reference-and-autolink", body("[a][x] <javascript:alert(1)> [b]\n\n[x]: javascript:alert(1)\n"
                                           "[b]: vbscript:msgbox(1)\n"), "safe", title="Judul"),
    Case("data-vbscript-file-urls", body("[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
                                         "[b](vbscript:msgbox(1)) [c](file:///etc/passwd) "
                                         '<img src="data:image/svg+xml,<svg onload=alert(1)>"> '
                                         '<a href="DATA:text/html,x">d</a>\n'), "safe", title="Judul",
         absent=(b"PHNjcmlwdD5", b"/etc/passwd")),
    Case("gfm-js-links", body("[a](javascript:alert(1)) ![b](JaVaScRiPt:alert(1)) <javascript:alert(1)>\n"),
         "safe", title="Judul", dialect="gfm"),
    # --- attribute injection and titles that close tags -----------------------------------------
    Case("link-title-injection", body('[x](https://a.example/ "t\\" onmouseover=\\"alert(1)") '
                                      "[y](https://a.example/ 'u\\' onfocus=\\'alert(2)')\n"), "safe",
         title="Judul"),
    Case("image-alt-injection", body('![al" onmouseover="alert(1)](https://a.example/i.png) '
                                     "![b' onerror='alert(2)](https://a.example/j.png \"\\\" onload=\\\"x\")\n"),
         "safe", title="Judul"),
    Case("title-closes-tag", front("title: '</title><script>alert(1)</script>'\ndate: 2025-01-02\n"), "safe",
         title="</title><script>alert(1)</script>"),
    Case("title-closes-json-ld", front("title: 'a</script><script>alert(1)</script><!--'\ndate: 2025-01-02\n"
                                       "summary: '\"><img src=x onerror=alert(1)>'\n"
                                       "author: '</SCRIPT >x'\n"), "safe",
         title="a</script><script>alert(1)</script><!--"),
    Case("title-attribute-quotes", front("title: '\" onmouseover=\"alert(1)'\ndate: 2025-01-02\n"
                                         "image_alt: '\" onerror=\"alert(1)'\n"), "safe",
         title='" onmouseover="alert(1)'),
    # --- Markdown that makes parsers slow or deep -----------------------------------------------
    Case("nested-quotes-10000", body("> " * NEST + "dalam\n"), "safe", title="Judul", limit=3.0),
    Case("nested-quotes-tight-10000", body(">" * NEST + " dalam\n"), "safe", title="Judul", limit=3.0),
    Case("nested-lists-inline-10000", body("- " * NEST + "dalam\n"), "safe", title="Judul", limit=3.0),
    Case("nested-ordered-10000", body("1. " * NEST + "dalam\n"), "safe", title="Judul", limit=3.0),
    Case("nested-lists-indented-2000", body("".join("  " * i + "- x\n" for i in range(2000))), "safe",
         title="Judul", limit=3.0, note="2,000 levels is the most that fits the 5 MB file limit"),
    Case("nested-lists-in-quotes", body("".join("> " + "    " * i + "- x\n" for i in range(1500))), "safe",
         title="Judul", limit=3.0),
    Case("nested-quotes-and-lists", body("> - " * NEST + "dalam\n"), "safe", title="Judul", limit=3.0),
    Case("nested-html-divs", body("<div>" * NEST + "x" + "</div>" * NEST + "\n"), "warning", (NESTED_TOO_DEEP,),
         title="Judul", limit=3.0),
    Case("backtick-runs", body("`" * 100_000 + "\n\n" + "a`" * 50_000 + "\n"), "warning", (TOO_COMPLEX,),
         title="Judul", limit=3.0),
    Case("bracket-runs", body("[" * 100_000 + "\n\n" + "[a](" * 20_000 + "\n\n" + "![" * 20_000 + "\n"), "warning",
         (TOO_COMPLEX,), title="Judul", limit=3.0),
    Case("dash-runs", body("-" * 100_000 + "\n\n" + "- - " * 20_000 + "\n\nx\n" + "=" * 100_000 + "\n"), "safe",
         title="Judul", limit=3.0),
    Case("emphasis-runs", body("*a" * 50_000 + "\n\n" + "_" * 100_000 + "\n\n" + "*a **a " * 20_000 + "\n"),
         "warning", (TOO_COMPLEX,), title="Judul", limit=3.0),
    Case("angle-and-autolink-runs", body("<" * 100_000 + "\n\n" + "http://" * 20_000 + "\n"), "warning", (TOO_COMPLEX,),
         title="Judul", limit=3.0),
    Case("table-pipes", body("|" * 100_000 + "\n" + "|-" * 30_000 + "\n"), "safe", title="Judul", limit=3.0),
    Case("gfm-nested-10000", body("> " * NEST + "x\n\n" + "- " * NEST + "y\n\n" + "[" * NEST + "\n"), "warning",
         (NESTED_TOO_DEEP,), title="Judul", dialect="gfm", limit=3.0),
    # --- slugs -------------------------------------------------------------------------------------
    Case("slug-dot-dot-slash", front("title: t\ndate: 2025-01-02\nslug: ../../../etc\n"), "error",
         (err("slug_invalid", 4),)),
    Case("slug-slash", front("title: t\ndate: 2025-01-02\nslug: a/b\n"), "error", (err("slug_invalid", 4),)),
    Case("slug-backslash", front("title: t\ndate: 2025-01-02\nslug: 'a\\..\\b'\n"), "error",
         (err("slug_invalid", 4),)),
    Case("slug-encoded-dots", front("title: t\ndate: 2025-01-02\nslug: '%2e%2e%2f'\n"), "error",
         (err("slug_invalid", 4),)),
    Case("slug-dots-inside-words", front("title: t\ndate: 2025-01-02\nslug: Rapat RT.03 / RW.05\n"), "error",
         (err("slug_invalid", 4),), note="a slash is refused even between words: write rapat-rt-03-rw-05"),
    Case("slug-punctuation-cleaned", front("title: t\ndate: 2025-01-02\nslug: 'Rapat: RT 03 (Pagi)!'\n"), "safe",
         article="uji/2025/01/rapat-rt-03-pagi/index.html"),
    Case("slug-empty-after-cleaning", front("title: t\ndate: 2025-01-02\nslug: '../!!/..'\n"), "error",
         (err("slug_invalid", 4),)),
    Case("slug-emoji-only", front("title: t\ndate: 2025-01-02\nslug: '\U0001F389\U0001F389'\n"), "error",
         (err("slug_invalid", 4),)),
    Case("file-name-emoji-only", md(FM + "x\n", "content/uji/2025-01-02-\U0001F389.md"), "error",
         (err("slug_invalid", 1, "content/uji/2025-01-02-\U0001F389.md"),)),
    Case("file-name-emoji-and-words", md(FM + "x\n", "content/uji/2025-01-02-pesta-\U0001F389-rakyat.md"), "safe",
         article="uji/2025/01/pesta-rakyat/index.html"),
    Case("page-reserved-slug", md("---\ntitle: t\n---\nx\n", "content/uji/halaman/kategori.md"), "error",
         (err("slug_reserved", 1, "content/uji/halaman/kategori.md"),), article=None),
    # --- two files, one URL ----------------------------------------------------------------------------
    Case("two-files-one-url", {**front("title: a\ndate: 2025-01-02\nslug: sama\n"),
                               **md("---\ntitle: b\ndate: 2025-01-20\nslug: sama\n---\n", "content/uji/b.md")},
         "error", (err("url_conflict", 4), err("url_conflict", 4, "content/uji/b.md"))),
    Case("two-files-differ-in-case", {**md(FM, "content/uji/Rapat.md"), **md(FM, "content/uji/rapat.md")},
         "error", (err("url_conflict", 1, "content/uji/Rapat.md"), err("url_conflict", 1, "content/uji/rapat.md"))),
    Case("two-files-nfc-nfd", {**md(FM, "content/uji/caf\u00e9.md"), **md(FM, "content/uji/cafe\u0301.md")},
         "error", (err("url_conflict", 1, "content/uji/caf\u00e9.md"),
                   err("url_conflict", 1, "content/uji/cafe\u0301.md"))),
    # --- symbolic links ---------------------------------------------------------------------------------
    Case("symlink-outside", body("isi\n"), "warning", (warn("symlink_outside", None, "content/uji/luar.md"),),
         setup=_symlink("luar.md", "/etc/passwd"), absent=(b"root:x:0:0",)),
    Case("symlink-folder-outside", body("isi\n"), "warning", (warn("symlink_outside", None, "content/uji/etc"),),
         setup=_symlink("etc", "/etc"), absent=(b"root:x:0:0",)),
    Case("symlink-loops", body("isi\n"), "warning", (warn("symlink_loop", None, "content/uji/loop.md"),
                                                    warn("symlink_loop", None, "content/uji/b.md"),
                                                    warn("symlink_loop", None, "content/uji/lingkar")),
         setup=_loop),
    Case("symlink-broken", body("isi\n"), "warning", (warn("symlink_loop", None, "content/uji/hilang.md"),),
         setup=_symlink("hilang.md", "/tidak/ada.md")),
    # --- only what is meant is published (see also tests/test_publishing_rules.py) ----------------
    Case("symlink-to-git-config", body("isi\n"), "warning",
         (warn("symlink_outside", None, "content/uji/media/x.txt"),), setup=_git_config_link,
         absent=(GIT_SECRET,), note="inside the workspace but outside the KIM's own folder"),
    Case("symlink-to-own-dotfile", {**body("isi\n"), "content/uji/.env": GIT_SECRET, "content/uji/media/ok.txt": b"ok"},
         "warning",
         (warn("symlink_outside", None, "content/uji/media/env.txt"),), setup=_symlink("media/env.txt", "../.env"),
         absent=(GIT_SECRET,)),
    Case("html-in-media", {**body("isi\n"), "content/uji/media/brosur.html": b"<script>alert(1)</script>"}, "error",
         (err("file_active_content", None, "content/uji/media/brosur.html"),)),
    Case("404-html-in-kim-folder", {**body("isi\n"), "content/uji/404.html": b"<script>alert(1)</script>"}, "error",
         (err("file_active_content", None, "content/uji/404.html"),)),
    Case("script-in-halaman", {**body("isi\n"), "content/uji/halaman/app.js": b"alert(1)"}, "error",
         (err("file_active_content", None, "content/uji/halaman/app.js"),)),
    Case("svg-script-and-handlers", {**body("![logo](media/logo.svg)\n"), "content/uji/media/logo.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
        b'<a href="javascript:alert(3)"><circle r="4"/></a></svg>')}, "safe", title="Judul", absent=(b"alert(",)),
    Case("svg-billion-laughs", {**body("isi\n"), "content/uji/media/lol.svg": (
        b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&d;&d;&d;&d;</text></svg>')}, "error",
         (err("svg_doctype", None, "content/uji/media/lol.svg"),)),
    Case("heic-photo", {**body("isi\n"), "content/uji/media/foto.heic": b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64},
         "error", (err("picture_format_refused", None, "content/uji/media/foto.heic"),)),
    Case("jpeg-named-pdf", {**body("isi\n"), "content/uji/media/surat.pdf": b"\xff\xd8\xff\xe1" + b"Exif" * 16},
         "error", (err("picture_misnamed", None, "content/uji/media/surat.pdf"),)),
    # --- references to files outside, Windows paths, images ----------------------------------------
    Case("image-field-outside", front("title: t\ndate: 2025-01-02\nimage: ../../../etc/passwd\n"), "warning",
         (warn("link_outside", 4),), absent=(b"root:x:0:0", b"etc/passwd")),
    Case("image-links-outside", body("![x](../../../etc/passwd) [y](../../kimsite.yaml) "
                                     "![z](%2e%2e/%2e%2e/etc/passwd) ![w](..\\..\\etc\\passwd)\n"), "warning",
         (warn("link_outside", 5), warn("link_missing", 5)), absent=(b"root:x:0:0",),
         note="Markdown reads ..\\..\\ as escaped dots: a harmless missing file named '....'"),
    Case("image-absolute-path", body("![x](/etc/passwd)\n"), "safe", title="Judul", absent=(b"root:x:0:0",),
         note="a root-relative URL is only a link on the web site; no file is read or copied"),
    Case("image-windows-path", {**front("title: t\ndate: 2025-01-02\nimage: 'media\\logo.svg'\n",
                                        "![logo](media\\logo.svg)\n"),
                                "content/uji/media/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>'},
         "safe", note="backslashes are read as folder separators"),
    Case("image-drive-letter", front("title: t\ndate: 2025-01-02\nimage: 'C:\\Users\\Budi\\foto.jpg'\n"),
         "warning", (warn("link_outside", 4),)),
    # --- the site file (sites/uji.yaml) ----------------------------------------------------------------
    Case("site-javascript-website", {**body("isi\n"), **site(SITE_FILE + 'contact:\n  website: "JaVa\\tScRiPt:alert(1)"\n')},
         "error", (err("link_bad_web", 4, SITE_PATH),), article=None),
    Case("site-entity-social-link", {**body("isi\n"), **site(SITE_FILE + "social:\n  x: '&#106;avascript:alert(1)'\n")},
         "error", (err("link_bad_social", 4, SITE_PATH),), article=None),
    Case("site-email-as-list", {**body("isi\n"), **site(SITE_FILE + "contact:\n  email: [1, 2]\n")}, "error",
         (err("field_not_text", 4, SITE_PATH),), article=None, note="was published as mailto:[1, 2]"),
    Case("site-name-million-characters", {**body("isi\n"), **site("name: " + "x" * 1_000_000 + "\nkecamatan: M\n")},
         "error", (err("field_too_long", 1, SITE_PATH),), article=None, note="was a Pillow error"),
    Case("site-windows-1252", {**body("isi\n"), **site("name: KIM Kafé\nkecamatan: Maniis\n".encode("cp1252"))},
         "warning", (warn("file_not_utf8", 1, SITE_PATH),)),
    Case("site-yes-and-on-keys", {**body("isi\n"), **site(SITE_FILE + "yes: 1\non: 2\n")}, "warning",
         (warn("field_unknown", 3, SITE_PATH), warn("field_unknown", 4, SITE_PATH)),
         note="YAML reads both as true: they were one key, reported on no line"),
    Case("yaml-boolean-and-null-keys", front("title: t\ndate: 2025-01-02\nyes: 1\n~: 2\nOn: 3\n"), "warning",
         (warn("field_unknown", 4), warn("field_unknown", 5), warn("field_unknown", 6)),
         note="YAML reads yes/On as true and ~ as null; they were reported on no line"),
    Case("yaml-unicode-line-separators", front('title: "Ju\u2028dul\u2029 \x85x"\ndate: 2025-02-30\n'), "error",
         (err("date_invalid", 3),), note="YAML counts U+2028/U+2029/U+0085 as line breaks; the file does not"),
    Case("site-values-close-tags", {**body("isi\n"), **site(
        "name: '</script><script>alert(1)</script>'\nkecamatan: '</title><svg onload=alert(2)>'\n"
        "desa: '\" onmouseover=\"alert(3)'\ndescription: '<img src=x onerror=alert(4)>'\n"
        "pengurus:\n  - role: '<b onclick=alert(5)>'\n    name: '</dd><script>alert(6)</script>'\n")}, "safe",
         absent=(b"<script>alert", b"<svg onload", b"<img src=x", b"<b onclick")),
]

def _fifo(name: str) -> Callable[[Path], None]:
    """A named pipe in the KIM's folder: opening it for reading would wait for a writer forever."""
    def setup(root: Path) -> None:
        (root / "content/uji" / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / "content/uji" / name)
    return setup


PRODUK = "title: t\ndate: 2025-01-02\ntype: produk\nprodusen: Bu Entin\n"  # line 6 comes next

# Twenty more, tried after the list above was green (the price cases were found broken: 1.001 was
# refused, .inf and 5000 digits were tracebacks; a value of 5000 characters was quoted whole).
CASES += [
    Case("price-yaml-float", front(PRODUK + "harga: 1.001\n"), "safe", note="YAML's float 1.001 was refused"),
    Case("price-octal-looking", front(PRODUK + "harga: 075000\n"), "safe", note="YAML 1.1 reads 075000 as octal"),
    Case("price-infinite", front(PRODUK + "harga: .inf\n"), "error", (err("price_invalid", 6),),
         note="was OverflowError"),
    Case("price-5000-digits", front(PRODUK + "harga: '" + "9" * 5000 + "'\n"), "error", (err("price_invalid", 6),),
         note="was ValueError (integer string conversion limit); the message now quotes 300 characters"),
    Case("price-over-a-trillion", front(PRODUK + "harga: 1.000.000.000.000\n"), "error", (err("price_invalid", 6),)),
    Case("whatsapp-too-long", front(PRODUK + "whatsapp: '+62 812 3456 7890 1234567'\n"), "error",
         (err("whatsapp_invalid", 6),)),
    Case("editor-photo-group-outside", front("title: t\ndate: 2025-01-02\nimage:\n  src: ../../../.git/config\n"
                                             "  alt: x\n"), "warning", (warn("link_outside", 4),)),
    Case("editor-photo-group-handler-key", front("title: t\ndate: 2025-01-02\nimage:\n  src: media/a.jpg\n"
                                                 "  onerror: alert(1)\n"), "error", (err("image_mapping_keys", 4),)),
    Case("editor-new-category-script", front("title: t\ndate: 2025-01-02\nkategori_baru: '<script>alert(1)</script>'\n"),
         "safe", absent=(b"<script>alert(1)",)),
    Case("editor-new-category-dotdot", front("title: t\ndate: 2025-01-02\nkategori_baru: '..'\n"), "safe",
         note="a category named .. gets the folder kategori/lainnya/, not kategori/../"),
    Case("named-pipe-as-article", body("isi\n"), "safe", setup=_fifo("b.md"), note="must not wait for a writer"),
    Case("named-pipe-in-media", body("isi\n"), "safe", setup=_fifo("media/x.jpg")),
    Case("folder-named-like-article", {**body("isi\n"), "content/uji/b.md/c.txt": b"x"}, "safe"),
    Case("date-of-a-megabyte", front("title: t\ndate: '" + "1" * 1_000_000 + "'\n"), "error", (err("date_invalid", 3),),
         note="the message quotes 300 characters, not the megabyte"),
    Case("date-hour-25", front("title: t\ndate: 2025-01-02T25:00:00\n"), "error", (err("date_invalid", 3),)),
    Case("title-right-to-left-override", front("title: \"laporan\u202efdp.exe\"\ndate: 2025-01-02\n"), "safe"),
    Case("slug-windows-device-name", front("title: t\ndate: 2025-01-02\nslug: CON\n"), "safe",
         article="uji/2025/01/con/index.html"),
    Case("blockquotes-100000-deep", body(">" * 100_000 + " x\n"), "safe", limit=15.0),
    Case("reference-url-with-newline-script", front("title: t\ndate: 2025-01-02\ntype: klarifikasi\nklaim: k\n"
                                                    "label: HOAKS\nrujukan:\n  - url: \"https://x.id/\\n<script>alert(1)"
                                                    "</script>\"\n"), "safe", absent=(b"<script>alert(1)",)),
    Case("named-pipe-as-site-file", body("isi\n"), "safe", setup=lambda root: os.mkfifo(root / "sites/b.yaml")),
]


# Image cases whose handling belongs to the image pipeline: the build must not crash; the
# file is either reported (an error naming the article or the image) or published as-is.
IMAGE_CASES: list[Case] = [
    Case("corrupt-jpeg", {**front("title: t\ndate: 2025-01-02\nimage: media/rusak.jpg\n", "![x](media/rusak.jpg)\n"),
                          "content/uji/media/rusak.jpg": b"\xff\xd8\xff\xe0" + b"sampah" * 100},
         "image", note="garbage with a JPEG signature"),
    Case("huge-declared-png", {**front("title: t\ndate: 2025-01-02\n", "![x](media/besar.png)\n"),
                               "content/uji/media/besar.png": png_header(100_000, 100_000)},
         "image", note="10 gigapixels declared, a few bytes of data (decompression bomb)"),
    Case("image-not-an-image", {**front("title: t\ndate: 2025-01-02\nimage: media/foto.png\n"),
                                "content/uji/media/foto.png": b"<html>bukan gambar</html>"},
         "image"),
]
