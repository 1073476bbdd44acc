"""Property tests (Hypothesis): slugs, dates, front-matter splitting, URL building, sanitizing.

Each property runs a bounded number of examples (the whole file stays well under 30 s).
Also: `kimsite build --strict` fails on a warning and passes without one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from kimsite.parse.article import ParseSettings, parse_source
from kimsite.base.dates import MAX_YEAR, MIN_YEAR, DateError, parse_datetime, zone
from kimsite.schema.frontmatter import decode_text, split_front_matter
from kimsite.base.links import localize
from kimsite.parse.markup import markdown_to_html
from kimsite.model.model import SourceFile
from kimsite.parse.sanitize import sanitize_html
from kimsite.base.slugs import MAX_SLUG_LENGTH, slug_from_filename, slugify
from kimsite.base.urls import Urls, term_slug

# Nothing is written into the repository: no example database, and Hypothesis' own cache
# (it would create .hypothesis/ in the working folder) goes to a temporary folder.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="kimsite-hypothesis-"))
FAST = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WIB = zone("Asia/Jakarta")

# Text with the characters that matter here: separators, dots, percent signs, accents, emoji.
nasty_text = st.text(alphabet=st.sampled_from(list("aZ09-_./\\%2eE .:?#&;<>\"'\t\n\u00e9\u0301\u200b\U0001F389İß")) |
                     st.characters(), max_size=120)


# --- slugs -------------------------------------------------------------------------------------

@FAST
@given(nasty_text)
@example("../../etc/passwd")
@example("%2e%2e%2f")
@example("..")
@example("Rapat Warga: RT 03/RW 05")
@example("-" * 200)
@example("a-" * 100)
def test_slugify_is_a_clean_url_part(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or SLUG.match(slug), slug
    assert not any(bad in slug for bad in ("/", "\\", ".", ".."))
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slugify(slug) == slug  # idempotent


@FAST
@given(nasty_text)
def test_file_name_slugs_are_clean_too(stem: str) -> None:
    slug = slug_from_filename(stem)
    assert slug == "" or SLUG.match(slug)
    assert SLUG.match(term_slug(stem))  # category and tag slugs are never empty


# --- dates ----------------------------------------------------------------------------------------

valid_moments = st.datetimes(min_value=datetime(MIN_YEAR, 1, 1), max_value=datetime(MAX_YEAR, 12, 31, 23, 59))
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@FAST
@given(valid_moments.map(lambda d: d.replace(second=0, microsecond=0)), offsets,
       st.sampled_from(["{d} {t}", "{d}T{t}", "{d} {t}{o}", "{d}T{t}:00{o}"]))
def test_valid_dates_round_trip(moment: datetime, offset: timezone, pattern: str) -> None:
    aware = moment.replace(tzinfo=offset)
    minutes = int(offset.utcoffset(None).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    text = pattern.format(d=moment.strftime("%Y-%m-%d"), t=moment.strftime("%H:%M"),
                          o=f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
    parsed = parse_datetime(text, WIB)
    expected = aware if "{o}" in pattern else moment.replace(tzinfo=WIB)
    assert parsed == expected
    assert (parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute) == \
        (moment.year, moment.month, moment.day, moment.hour, moment.minute)


@FAST
@given(st.dates(min_value=datetime(MIN_YEAR, 1, 1).date(), max_value=datetime(MAX_YEAR, 12, 31).date()))
def test_plain_dates_round_trip(day) -> None:
    parsed = parse_datetime(day.isoformat(), WIB)
    assert parsed.date() == day and parsed.tzinfo is WIB


@FAST
@given(st.one_of(nasty_text, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                 st.from_regex(r"\A\d{1,6}-\d{1,3}-\d{1,3}( \d{1,3}[:.]\d{1,3}([:.]\d{1,3})?)?"
                               r"( ?(Z|[+-]\d{2}:?\d{2}|WIB|WITA|WIT))?\Z")))
@example("2025-02-30")
@example("0000-01-01")
@example("2025-01-01 24:00")
@example("2025-01-01 10:00 +99:99")
def test_date_parsing_raises_only_date_error(value: object) -> None:
    try:
        result = parse_datetime(value, WIB)
    except DateError as exc:
        assert exc.code in ("date_invalid", "date_out_of_range")
    else:
        assert result.tzinfo is not None and MIN_YEAR <= result.year <= MAX_YEAR


# --- front matter ------------------------------------------------------------------------------------

@FAST
@given(st.text(max_size=400))
@example("---")
@example("---\n---")
@example("---\n...\n")
@example("---\ntitle: x\n---\n")
@example("\n---\n")
def test_splitting_never_raises_and_reconstructs(text: str) -> None:
    split, problems = split_front_matter(text, "f.md")
    if split is None:
        assert len(problems) == 1 and problems[0].severity == "error" and problems[0].line == 1
        return
    assert not problems
    assert text.startswith("---")
    start = text.index("\n") + 1
    assert text[start:start + len(split.front_matter)] == split.front_matter
    closing_end = len(text) - len(split.body)
    closing = text[start + len(split.front_matter):closing_end].rstrip("\n")
    assert closing.rstrip(" \t") in ("---", "...")
    assert text.endswith(split.body)
    assert split.body_line == text.count("\n", 0, closing_end) + 1


front_line = st.text(alphabet=st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=40)


@FAST
@given(st.lists(front_line, max_size=6), st.text(max_size=200))
def test_split_gives_back_what_was_joined(lines: list[str], body: str) -> None:
    assume(not any(re.match(r"^(?:---|\.\.\.)[ \t]*$", line) for line in lines))
    front = "".join(line + "\n" for line in lines)
    split, problems = split_front_matter(f"---\n{front}---\n{body}", "f.md")
    assert not problems and split is not None
    assert split.front_matter == front and split.body == body
    assert split.front_matter_line == 2 and split.body_line == len(lines) + 3


@FAST
@given(st.binary(max_size=600))
@example(b"\xff\xfe\x00")
@example(b"\xfe\xff\xd8\x00")
@example(b"\xef\xbb\xbf\r\r\n")
def test_decoding_never_raises(raw: bytes) -> None:
    text, problems = decode_text(raw, "f.md")
    if text is None:
        assert problems and problems[0].severity == "error"
    else:
        assert "\r" not in text and "\x00" not in text and not text.startswith("\ufeff")


@FAST
@given(st.lists(st.text(max_size=40) | st.sampled_from(["\x01", "\x7f", "\x85", "\t", "\n", "\ufffe", "\u00e9",
                                                         "a" * 300]), max_size=12).map("".join))
def test_control_character_checks_agree_with_the_pattern(text: str) -> None:
    from kimsite.schema.frontmatter import _FORBIDDEN, _has_forbidden, strip_control_chars

    assert _has_forbidden(text) == (_FORBIDDEN.search(text) is not None)
    assert strip_control_chars(text) == _FORBIDDEN.sub("", text)


@FAST
@given(st.text(alphabet=st.sampled_from(list("<[`\\*_ab \n]>")), max_size=200))
def test_mark_count_equals_the_character_class(text: str) -> None:
    from kimsite.parse.markup import _marks_in

    assert _marks_in(text) == len(re.findall(r"[<\[`\\*_]", text))


# --- URL building ----------------------------------------------------------------------------------

@FAST
@given(nasty_text, nasty_text, st.datetimes(min_value=datetime(MIN_YEAR, 1, 1),
                                             max_value=datetime(MAX_YEAR, 12, 31)),
       st.integers(min_value=1, max_value=10_000), st.booleans())
def test_output_paths_stay_inside_the_output(site_text: str, slug_text: str, moment: datetime, page: int,
                                              alone: bool) -> None:
    output = Path("/srv/kimsite-property/_site")  # resolved lexically; it need not exist
    site = slugify(site_text) or "kim"
    slug = slugify(slug_text) or "x"
    urls = Urls("https://example.org/repo/", "/repo/", ((site, "" if alone else f"{site}/"),), "Asia/Jakarta")
    locations = [urls.article(site, moment, slug), urls.page(site, slug), urls.home(site, page),
                 urls.category(site, term_slug(slug_text), page), urls.tag(site, term_slug(slug_text), page),
                 urls.archive(site, moment.year), urls.profile(site), urls.feed(site, "rss", term_slug(slug_text)),
                 urls.feed(site, "atom")]
    for location in locations:
        path = (output / urls.output_path(location)).resolve()
        assert path.is_relative_to(output.resolve()), location
        assert path != output.resolve()
        assert urls.url(location).startswith("/repo/") and ".." not in urls.url(location).split("/")


@FAST
@given(st.text(alphabet=st.sampled_from(list("ab./\\%2e5cf?#:")), max_size=30),
       st.sampled_from(["", "sub", "sub/dalam"]))
@example("../../etc/passwd", "")
@example("%2e%2e/%2e%2e/x", "sub")
@example("..\\..\\x", "")
@example("....//x", "sub")
def test_local_links_never_leave_the_kim_folder(target: str, folder: str) -> None:
    attribute = f'<a href="{target.replace(chr(34), "")}">x</a>'
    markup, refs, _escaping = localize(attribute, folder)
    for ref in refs:
        resolved = Path("/kim") / ref.target
        assert resolved.resolve().is_relative_to(Path("/kim")), ref
        assert not ref.target.startswith(("../", "/")) and ref.target != ".."


_LINK_PIECES = ['href="', 'src="', '"', "x", " ", "-", "_", "\u00e9", "media/a.jpg", "../b", "a.md", "#x",
                "http://a", "<a ", ">", "data-", "\u0301"]


@FAST
@given(st.lists(st.sampled_from(_LINK_PIECES), max_size=14), st.sampled_from(["", "sub"]))
@example(["x", 'href="', 'href="', "media/a.jpg", '"'], "")
def test_quick_link_pattern_equals_exact_pattern(pieces: list[str], folder: str) -> None:
    """localize's quick scan (no leading word boundary) gives what the exact pattern gives."""
    import kimsite.base.links as links_module

    markup = "".join(pieces)
    quick = localize(markup, folder)
    exact_pattern = links_module._URL_ATTRIBUTE
    original = links_module._sub_url_attributes
    links_module._sub_url_attributes = lambda text, replace: exact_pattern.sub(replace, text)
    try:
        assert localize(markup, folder) == quick
    finally:
        links_module._sub_url_attributes = original


@FAST
@given(st.lists(st.sampled_from(['href="', 'src="', "href", "src", "hre", "f", "s", "rc", "h", '="', "=", '"', "x",
                                 " ", "\n"]), max_size=20))
@example(['="', "src", '="', "x", '"'])
@example(["src", "href", '="', '"'])
def test_url_attribute_finder_equals_the_regex(pieces: list[str]) -> None:
    """links._sub_url_attributes finds and replaces exactly what re.sub with the pattern does."""
    from kimsite.base.links import _QUICK_URL_ATTRIBUTE, _sub_url_attributes

    markup = "".join(pieces)

    def replace(match: re.Match[str]) -> str:
        return f"[{match.start()}:{match.group(1)}:{match.group(2)}]"

    assert _sub_url_attributes(markup, replace) == _QUICK_URL_ATTRIBUTE.sub(replace, markup)


# --- sanitizing -------------------------------------------------------------------------------------

DANGEROUS = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.example/a.js>", "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">', "<img src=x onerror=alert(1)//", '<svg onload="alert(1)">',
    '<a href="javascript:alert(1)">', '<a href="JaVaScRiPt:alert(1)">', '<a href="&#106;avascript:alert(1)">',
    '<a href="&#x6A;avascript&#x3A;alert(1)">', '<a href=" javascript:alert(1)">', '<a href="java\tscript:x">',
    '<a href="java&#10;script:x">', '<a href="vbscript:msgbox(1)">', '<a href="data:text/html,<script>x</script>">',
    '<iframe src="https://x.example/">', "<object data=x>", "<embed src=x>", "<style>*{}</style>",
    '<body onload="alert(1)">', '<div style="background:url(javascript:alert(1))">', "<math><mtext>",
    '<form action="javascript:alert(1)"><button>', '<input onfocus=alert(1) autofocus>', "<!--", "-->",
    "<![CDATA[", "]]>", '"', "'", ">", "<", "&", "&#", "=", " ", "\n", "<p ", "<a ", "<img ", " on", "onerror",
    "=alert(1)", 'href="', 'src="', "javascript:", "data:", "<details open ontoggle=alert(1)>",
    '<img srcset="javascript:alert(1) 1x">', '<source srcset="data:x">', "<base href=//x.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "<template><script>x</script></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "<xmp><script>x</script></xmp>",
]
MARKDOWN_DANGEROUS = DANGEROUS + [
    "[a](javascript:alert(1))", "![a](javascript:alert(1))", "[a]( JAVASCRIPT:alert(1) )", "<javascript:alert(1)>",
    "[a][r]\n\n[r]: javascript:alert(1)\n", '[a](https://x.example/ "t\\" onmouseover=\\"x")', "`", "*", "> ",
    "- ", "\n\n", "    ", "[", "](", ")",
]
_BAD_URL = re.compile(r"^(?:javascript|vbscript|data|file):", re.IGNORECASE)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "iframe", "object", "embed", "style", "svg", "math", "form", "base", "meta",
                   "input", "button", "template", "noscript", "xmp", "body"):
            self.bad.append(tag)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.bad.append(f"{tag}[{name}]")
            if value and name in ("href", "src", "srcset", "action", "formaction", "poster", "background"):
                # What a browser does: strip leading/trailing C0 controls and spaces, drop tabs and newlines.
                cleaned = re.sub(r"[\t\n\r]", "", unescape(value)).strip("".join(map(chr, range(0x21))))
                if _BAD_URL.match(cleaned) or re.search(r",(?:javascript|vbscript|data):", cleaned, re.I):
                    self.bad.append(f"{tag}[{name}={value!r}]")
            if name == "style":
                self.bad.append(f"{tag}[style]")

    handle_startendtag = handle_starttag


def assert_clean(markup: str) -> None:
    assert "<script" not in markup.lower()
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    assert not collector.bad, (collector.bad, markup[:300])


@FAST
@given(st.lists(st.sampled_from(DANGEROUS) | st.text(max_size=8), max_size=25).map("".join))
def test_sanitizer_lets_no_script_through(markup: str) -> None:
    clean = sanitize_html(markup)
    assert_clean(clean)
    assert_clean(sanitize_html(clean))  # re-cleaning (e.g. remote HTML cleaned twice) stays clean


@SLOW
@given(st.lists(st.sampled_from(MARKDOWN_DANGEROUS) | st.text(max_size=8), max_size=25).map("".join),
       st.sampled_from(["default", "gfm"]))
def test_markdown_output_lets_no_script_through(text: str, dialect: str) -> None:
    assert_clean(markdown_to_html(text, dialect))


@SLOW
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: ("---\ntitle: t\ndate: 2025-01-02\n---\n" + t)
                                                             .encode("utf-8", "surrogatepass")))
def test_parse_source_never_raises(raw: bytes) -> None:
    source = SourceFile("uji", "content/uji/a.md", "a.md", "article")
    parsed = parse_source(source, raw, ParseSettings("Asia/Jakarta", "default", "id"))
    assert all(p.file == "content/uji/a.md" for p in parsed.problems)
    if parsed.document is not None:
        assert_clean(parsed.body_html)


# --- assembling: article order -----------------------------------------------------------------------

@FAST
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.sampled_from(["Asia/Jakarta", "Asia/Makassar"]),
                          st.booleans()), max_size=30))
@example([(2, 4, "Asia/Jakarta", False), (2, 5, "Asia/Jakarta", False), (1, 0, "Asia/Makassar", True)])
def test_articles_are_ordered_newest_first_then_by_path(specs: list) -> None:
    """assemble_site's two stable sorts give Document.sort_key's order, ties and time zones included."""
    from kimsite.model.assemble import PublishOptions, assemble_site, is_published
    from kimsite.workspace.config import SiteConfig

    source = SourceFile("uji", "content/uji/2025-01-01-a.md", "2025-01-01-a.md", "article")
    base = parse_source(source, b"---\ntitle: A\ndate: 2025-01-01\n---\nIsi.\n",
                        ParseSettings("Asia/Jakarta", "default", "id")).document
    docs = []
    for number, (day, hour, tz_name, draft) in enumerate(specs):
        moment = datetime(2025, 1, 1 + day, 8 + hour, tzinfo=zone(tz_name))
        docs.append(base._replace(source=f"content/uji/{(number * 7) % 11:02d}-{number}.md", date=moment,
                            draft=draft, slug=f"a-{number}"))
    config = SiteConfig(slug="uji", file="sites/uji.yaml", role="kim", name="KIM Uji", kecamatan="Maniis")
    options = PublishOptions(now=datetime(2025, 1, 3, 12, tzinfo=WIB))  # some articles are still to come
    model = assemble_site(config, docs, [], options, "Asia/Jakarta")
    expected = sorted((d for d in docs if is_published(d, options)), key=lambda d: d.sort_key)
    assert [d.source for d in model.articles] == [d.source for d in expected]
    assert all(d.date.tzinfo is WIB for d in model.articles)


@FAST
@given(st.lists(st.tuples(st.booleans(), st.lists(st.tuples(st.integers(0, 3), st.integers(0, 9)), max_size=8)),
                max_size=6))
def test_portal_entries_merge_newest_first_then_member_and_source(members_spec: list) -> None:
    from types import SimpleNamespace

    from kimsite.portal.model import Entry, _merged_order, merged_entries

    members = []
    for number, (local, items) in enumerate(members_spec):
        key = f"m{(number * 5) % 7}-{number}"
        entries = tuple(Entry(member=key, title="t", date=datetime(2025, 1, 1 + day, tzinfo=WIB),
                              updated=datetime(2025, 1, 1, tzinfo=WIB), summary="", token="",
                              source=f"content/{key}/{item:02d}.md" if local else "",
                              link=f"https://example.org/{item % 4}" if not local or item % 2 else "")
                        for day, item in dict.fromkeys(items))  # a source is listed once
        members.append(SimpleNamespace(entries=entries))
    expected = sorted((e for m in members for e in m.entries), key=_merged_order)
    assert merged_entries(members) == expected


# --- strict mode ---------------------------------------------------------------------------------------

def _strict_workspace(root: Path, extra_key: bool) -> Path:
    (root / "sites").mkdir(parents=True)
    (root / "content/uji").mkdir(parents=True)
    (root / "kimsite.yaml").write_text("base_url: https://example.org/\nlanguage: id\ntimezone: Asia/Jakarta\n"
                                       "theme: default\noutput: _site\nmarkdown: default\n", encoding="utf-8")
    (root / "sites/uji.yaml").write_text("name: KIM Uji\nkecamatan: Maniis\n", encoding="utf-8")
    (root / "content/uji/2025-01-02-rapat.md").write_text(
        "---\ntitle: Rapat\ndate: 2025-01-02\n" + ("warna: biru\n" if extra_key else "") + "---\nIsi.\n",
        encoding="utf-8")
    return root


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIMSITE_NOW": "2026-06-01T10:00:00+07:00", "KIMSITE_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "kimsite", "build", "-C", str(root), *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("strict", [False, True])
def test_strict_mode_fails_on_a_warning(tmp_path: Path, strict: bool) -> None:
    root = _strict_workspace(tmp_path / "ws", extra_key=True)
    result = _cli(root, *(["--strict"] if strict else []))
    assert "content/uji/2025-01-02-rapat.md:4: warning:" in result.stderr
    assert "Traceback" not in result.stderr
    if strict:
        assert result.returncode == 1, result.stderr
        assert not (root / "_site").exists()
    else:
        assert result.returncode == 0, result.stderr
        assert (root / "_site/uji/2025/01/rapat/index.html").is_file()


def test_strict_mode_passes_without_warnings(tmp_path: Path) -> None:
    root = _strict_workspace(tmp_path / "ws", extra_key=False)
    result = _cli(root, "--strict")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    assert (root / "_site/uji/2025/01/rapat/index.html").is_file()


# --- the fuzz target -----------------------------------------------------------------------------

def test_fuzz_target_runs(tmp_path: Path) -> None:
    """fuzz/fuzz_article.py works (a few seconds here; run it for longer by hand)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    result = subprocess.run([sys.executable, str(Path(__file__).resolve().parent.parent / "fuzz/fuzz_article.py"),
                             "--seconds", "3", "--seed", "1", "--build-every", "3"],
                            capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "no failure" in result.stdout
    assert not (tmp_path / ".hypothesis").exists()
