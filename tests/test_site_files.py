"""Site files (sites/<slug>.yaml) and kimsite.yaml are untrusted input, read like articles.

Every link a site file puts on a page is a web, e-mail, telephone or WhatsApp address;
values have types and length limits; the encoding is checked; keys such as `yes:` are
reported on their own line; a bad base_url names its file and line (or --base-url). Each
failing case asserts the exact problem (severity, file, line, code), that the inputs are
untouched and that the previous output is exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG
from kimsite.build import BuildOptions, build
from kimsite.workspace.config import SiteConfig, load_site_config, load_workspace_config
from kimsite.base.problems import KimsiteError, Problem

SITE = "sites/uji.yaml"
BASE_SITE = "name: KIM Uji\nkecamatan: Maniis\n"
ARTICLE = "---\ntitle: Judul\ndate: 2025-01-02\n---\nisi\n"
SAFE_SCHEMES = ("https:", "http:", "mailto:", "tel:")


def make(root: Path, site: str | bytes = BASE_SITE, config: str | bytes = MINIMAL_CONFIG) -> Path:
    files = {"kimsite.yaml": config, SITE: site, "content/uji/a.md": ARTICLE}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".kimsite" not in p.parts}


def keys(problems: list[Problem], severity: str | None = None) -> set[tuple]:
    return {(p.severity, p.file, p.line, p.code) for p in problems if severity in (None, p.severity)}


def fails_cleanly(root: Path, site: str | bytes | None = None, config: str | bytes | None = None,
                  **options) -> list[Problem]:
    """Build a good site, break the inputs, build again: the second build must fail with the
    inputs untouched, the first output exactly as it was and no staging folder left."""
    build(make(root), BuildOptions(jobs=1))
    before = snapshot(root / "_site")
    if site is not None:
        (root / SITE).write_bytes(site if isinstance(site, bytes) else site.encode("utf-8"))
    if config is not None:
        (root / "kimsite.yaml").write_bytes(config if isinstance(config, bytes) else config.encode("utf-8"))
    inputs = {p: p.read_bytes() for p in (root / SITE, root / "kimsite.yaml")}
    with pytest.raises(KimsiteError) as failure:
        build(root, BuildOptions(jobs=1, **options))
    assert {p: p.read_bytes() for p in inputs} == inputs
    assert snapshot(root / "_site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("._site")) == []
    return failure.value.problems


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value is not None)


def hrefs(page: Path) -> list[str]:
    parser = _Hrefs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


def scheme_of(href: str) -> str:
    cleaned = "".join(ch for ch in unescape(href) if ch > " " and ch != "\x7f").lower()
    head = cleaned.split("/", 1)[0].split("?", 1)[0]
    return head[:head.index(":") + 1] if ":" in head else ""


# --- links ----------------------------------------------------------------------------------------

HOSTILE_LINKS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\\tscript:alert(1)",
    "java\\nscript:alert(1)", "\\x01javascript:alert(1)", "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "file:///etc/passwd",
    "//evil.example/x", "/relatif/saja", "../../etc/passwd", "https://", "https:evil.example", "http:\\\\evil.example",
    "https://[::1/", "https://ok.example:99999/", "https://ok.example/\\\" onmouseover=\\\"alert(1)",
]


def site_problems(site: str | bytes) -> tuple[SiteConfig | None, list[Problem]]:
    """The site file read as a build reads it (without building: the link matrix is large)."""
    return load_site_config("uji", SITE, site if isinstance(site, bytes) else site.encode("utf-8"), "Asia/Jakarta")


LINK_PLACES = {  # where a link is written -> (site file, line of the link, message code)
    "contact.website": (BASE_SITE + 'contact:\n  email: kim@contoh.id\n  website: "{value}"\n', 5, "link_bad_web"),
    "social.facebook": (BASE_SITE + 'social:\n  tiktok: "@kim"\n  facebook: "{value}"\n', 5, "link_bad_social"),
    "url": (BASE_SITE + 'feed: https://kim.example/feed.xml\nurl: "{value}"\n', 4, "link_bad_web"),
    "feed": (BASE_SITE + 'url: https://kim.example/\nfeed: "{value}"\n', 4, "link_bad_web"),
}


@pytest.mark.parametrize("value", HOSTILE_LINKS)
@pytest.mark.parametrize("where", sorted(LINK_PLACES))
def test_every_unsafe_link_is_an_error_on_its_line(where, value):
    template, line, code = LINK_PLACES[where]
    config, problems = site_problems(template.replace("{value}", value))
    assert config is None
    assert keys(problems, "error") == {("error", SITE, line, code)}


@pytest.mark.parametrize("where", sorted(LINK_PLACES))
def test_an_unsafe_link_stops_the_build_and_keeps_the_previous_site(tmp_path, where):
    template, line, code = LINK_PLACES[where]
    problems = fails_cleanly(tmp_path / "ws", site=template.replace("{value}", "java\\tscript:alert(1)"))
    assert keys(problems, "error") == {("error", SITE, line, code)}


@pytest.mark.parametrize("where,value,code", [
    ("email", "javascript:alert(1)", "link_bad_email"),
    ("email", "kim@contoh.id?body=<script>", "link_bad_email"),
    ("email", "kim?cc=semua@contoh.id", "link_bad_email"),
    ("email", "kim#x@contoh.id", "link_bad_email"),
    ("email", "bukan surel", "link_bad_email"),
    ("whatsapp", "javascript:alert(1)", "link_bad_whatsapp"),
    ("whatsapp", "https://wa.me/javascript:alert(1)", "link_bad_whatsapp"),
    ("whatsapp", "https://evil.example/6281234567890", "link_bad_whatsapp"),
    ("phone", "javascript:alert(1)", "link_bad_phone"),
    ("phone", "tel:javascript:alert(1)", "link_bad_phone"),
])
def test_contact_values_must_be_their_kind(where, value, code):
    _config, problems = site_problems(f'{BASE_SITE}contact:\n  address: Jl. Raya 1\n  {where}: "{value}"\n')
    assert keys(problems, "error") == {("error", SITE, 5, code)}


@pytest.mark.parametrize("value,ok", [("javascript:alert(1)", False), ("../../.git/config", False),
                                      ("/etc/passwd", False), ("media/logo.png", True),
                                      ("https://kim.example/logo.png", True)])
def test_logo_is_a_web_address_or_a_file_of_the_kim(value, ok):
    config, problems = site_problems(f"{BASE_SITE}logo: '{value}'\n")
    assert keys(problems, "error") == (set() if ok else {("error", SITE, 3, "link_bad_logo")})
    assert (config is not None and config.logo == value) == ok


def test_the_profile_page_links_only_safe_addresses(tmp_path):
    site = BASE_SITE + (
        "url: https://kim-uji.blogspot.com/\n"
        "contact:\n  email: 'mailto:kim@contoh.id'\n  whatsapp: https://wa.me/6281234567890\n"
        "  phone: 'tel:(0264) 123456'\n  website: HTTPS://KIM-UJI.example/\n  address: Jl. Raya 1\n"
        "social:\n  instagram: https://instagram.com/kimuji\n  tiktok: '@kimuji'\n")
    root = make(tmp_path / "ws", site=site)
    build(root, BuildOptions(jobs=1))
    page = root / "_site/uji/profil/index.html"
    links = hrefs(page)
    assert "mailto:kim@contoh.id" in links  # "mailto:" written once, not twice
    assert "https://wa.me/6281234567890" in links
    assert "HTTPS://KIM-UJI.example/" in links
    assert "https://instagram.com/kimuji" in links
    for path in (root / "_site").rglob("*.html"):
        for href in hrefs(path):
            assert scheme_of(href) in ("", *SAFE_SCHEMES), (path, href)
    assert b"javascript:" not in page.read_bytes().lower()


# --- types and lengths ------------------------------------------------------------------------------

@pytest.mark.parametrize("site,line,code", [
    (BASE_SITE + "desa: [a]\n", 3, "field_not_text"),
    ("name: [KIM, Uji]\nkecamatan: Maniis\n", 1, "field_not_text"),
    (BASE_SITE + "description: {a: b}\n", 3, "field_not_text"),
    (BASE_SITE + "contact:\n  email: [1, 2]\n", 4, "field_not_text"),
    (BASE_SITE + "contact:\n  address: Jl. Raya\n  whatsapp: {nomor: 1}\n", 5, "field_not_text"),
    (BASE_SITE + "contact: kim@contoh.id\n", 3, "field_not_mapping"),
    (BASE_SITE + "social: [https://instagram.com/kim]\n", 3, "field_not_mapping"),
    (BASE_SITE + "pengurus:\n  - role: Ketua\n    name: [Asep, Ujang]\n", 4, "field_not_text"),
    (BASE_SITE + "pengurus:\n  - Asep\n  - [Ujang]\n", 5, "field_not_text"),
    (BASE_SITE + "pengurus: Asep\n", 3, "field_not_list"),
    (BASE_SITE + "founded: [2020]\n", 3, "date_invalid"),
    (BASE_SITE + "sk: true\nkim_id: 12\n", None, None),  # YAML's true and 12 keep their text: no error
])
def test_values_of_the_wrong_type_are_errors_never_python_text(site, line, code):
    config, problems = site_problems(site)
    if code is None:
        assert config is not None and (config.sk, config.kim_id) == ("true", "12")
        return
    assert config is None
    assert keys(problems, "error") == {("error", SITE, line, code)}


def test_a_list_where_text_is_expected_stops_the_build(tmp_path):
    problems = fails_cleanly(tmp_path / "ws", site=BASE_SITE + "contact:\n  email: [1, 2]\n")
    assert keys(problems, "error") == {("error", SITE, 4, "field_not_text")}


def test_portal_lists_are_typed(tmp_path):
    root = make(tmp_path / "ws")
    build(root, BuildOptions(jobs=1))
    (root / "sites/portal.yaml").write_text("kind: portal\nname: Portal\nkecamatan:\n  - Maniis\n  - [Plered]\n"
                                            "members:\n  - uji\n  - javascript://evil.example/%0aalert(1)\n",
                                            encoding="utf-8")
    with pytest.raises(KimsiteError) as failure:
        build(root, BuildOptions(jobs=1))
    assert keys(failure.value.problems, "error") == {("error", "sites/portal.yaml", 5, "field_not_text"),
                                                     ("error", "sites/portal.yaml", 8, "link_bad_web")}


@pytest.mark.parametrize("key,size,line", [("name", 1_000_000, 1), ("description", 1_000_000, 3),
                                            ("desa", 101, 3), ("sk", 5000, 3)])
def test_text_fields_have_length_limits(key, size, line):
    text = ("x" * size) if key != "name" else "KIM " + "x" * size
    site = f"{key}: {text}\nkecamatan: Maniis\n" if key == "name" else f"{BASE_SITE}{key}: {text}\n"
    _config, problems = site_problems(site)
    assert keys(problems, "error") == {("error", SITE, line, "field_too_long")}


def test_a_million_character_name_stops_the_build_with_a_message(tmp_path):
    problems = fails_cleanly(tmp_path / "ws", site="name: " + "x" * 1_000_000 + "\nkecamatan: Maniis\n")
    assert keys(problems, "error") == {("error", SITE, 1, "field_too_long")}


def test_a_long_description_without_spaces_draws_a_card(tmp_path):
    """A 2,000-character word (the description limit) is cut to fit the share card; measuring it
    character by character took more than half a minute."""
    root = make(tmp_path / "ws", site=BASE_SITE + "description: " + "Ab" * 1000 + "\n")
    build(root, BuildOptions(jobs=1))
    assert (root / "_site/uji/og.jpg").read_bytes().startswith(b"\xff\xd8")


# --- encoding, keys and lines -----------------------------------------------------------------------

def test_a_windows_1252_site_file_warns_like_an_article(tmp_path):
    site = "name: KIM Kafé Warga\nkecamatan: Maniis\ndesa: Cikéris\n".encode("cp1252")
    root = make(tmp_path / "ws", site=site)
    result = build(root, BuildOptions(jobs=1))
    assert ("warning", SITE, 1, "file_not_utf8") in keys(result.problems)
    profile = (root / "_site/uji/profil/index.html").read_text(encoding="utf-8")
    assert "KIM Kafé Warga" in profile and "Cikéris" in profile and "\ufffd" not in profile


def test_a_windows_1252_kimsite_yaml_warns(tmp_path):
    config = (MINIMAL_CONFIG + "title: Situs KIM Kafé\n").encode("cp1252")
    result = build(make(tmp_path / "ws", config=config), BuildOptions(jobs=1))
    assert ("warning", "kimsite.yaml", 7, "file_not_utf8") in keys(result.problems)


def test_binary_site_file_is_an_error():
    _config, problems = site_problems(b"name: KIM\x00Uji\nkecamatan: Maniis\n")
    assert keys(problems, "error") == {("error", SITE, 1, "file_binary")}


def test_yaml_keys_read_as_booleans_or_null_are_reported_on_their_own_lines(tmp_path):
    site = BASE_SITE + "desa: Citamiang\nyes: 1\nOn: x\n~: kosong\nno: 2\n"
    result = build(make(tmp_path / "ws", site=site), BuildOptions(jobs=1))
    unknown = {(p.line, dict(p.args)["field"]) for p in result.problems if p.code == "field_unknown"}
    assert unknown == {(4, "yes"), (5, "On"), (6, "~"), (7, "no")}


def test_unicode_line_separators_inside_values_do_not_shift_lines():
    _config, problems = site_problems('name: "KIM\u2028Uji"\nkecamatan: "Ma\u2029niis\x85"\nfoo: 1\n'
                                      'contact:\n  website: x\n')
    assert keys(problems) >= {("warning", SITE, 3, "field_unknown"), ("error", SITE, 5, "link_bad_web")}


def test_yaml_boolean_keys_in_kimsite_yaml_are_reported_on_their_lines(tmp_path):
    result = build(make(tmp_path / "ws", config=MINIMAL_CONFIG + "off: true\n"), BuildOptions(jobs=1))
    assert ("warning", "kimsite.yaml", 7, "field_unknown") in keys(result.problems)


def test_unknown_keys_suggest_the_known_one(tmp_path):
    site = BASE_SITE + "descripton: KIM desa\ncontact:\n  emial: kim@contoh.id\n"
    result = build(make(tmp_path / "ws", site=site), BuildOptions(jobs=1))
    texts = {(p.line, p.text("en")) for p in result.problems if p.code == "field_unknown"}
    assert (3, 'the key "descripton" is unknown and ignored (did you mean "description"?)') in texts
    assert (5, 'the key "contact.emial" is unknown and ignored (did you mean "contact.email"?)') in texts \
        or (5, 'the key "contact.emial" is unknown and ignored (did you mean "email"?)') in texts


def test_unknown_kimsite_yaml_key_suggests_the_known_one(tmp_path):
    result = build(make(tmp_path / "ws", config=MINIMAL_CONFIG + "per_pgae: 5\n"), BuildOptions(jobs=1))
    texts = [p.text("en") for p in result.problems if p.code == "field_unknown" and p.line == 7]
    assert texts == ['the key "per_pgae" is unknown and ignored (did you mean "per_page"?)']


def test_kimsite_yaml_title_has_a_length_limit(tmp_path):
    problems = fails_cleanly(tmp_path / "ws", config=MINIMAL_CONFIG + "title: " + "x" * 100_000 + "\n")
    assert keys(problems, "error") == {("error", "kimsite.yaml", 7, "field_too_long")}


# --- base_url -----------------------------------------------------------------------------------------

BAD_BASE_URLS = ["https://[::1/", "http://exa mple.com/", "https://:80/", "https://example.org:99999/",
                 "https://example.org:0/", "https://example.org:abc/", "ftp://example.org/", "example.org/repo/",
                 "https://user:rahasia@example.org/", 'https://example.org/"><script>/', "https://exa_mple..org/",
                 "https://example.org/?x=1", "javascript:alert(1)//example.org/",
                 "https://example.org//evil.example/", "https://example.org/repo/../", "https://" + "a" * 600 + ".org/"]


@pytest.mark.parametrize("value", BAD_BASE_URLS)
def test_a_malformed_base_url_in_kimsite_yaml_names_its_line(tmp_path, value):
    config = MINIMAL_CONFIG.replace("base_url: https://example.github.io/repo/\n", "") + f"base_url: '{value}'\n"
    (tmp_path / "kimsite.yaml").write_text(config, encoding="utf-8")
    _config, problems = load_workspace_config(tmp_path)
    assert keys(problems, "error") == {("error", "kimsite.yaml", 6, "config_bad_base_url")}


def test_a_malformed_base_url_stops_the_build_and_keeps_the_previous_site(tmp_path):
    config = MINIMAL_CONFIG.replace("https://example.github.io/repo/", "'https://example.org:99999/'")
    problems = fails_cleanly(tmp_path / "ws", config=config)
    assert keys(problems, "error") == {("error", "kimsite.yaml", 1, "config_bad_base_url")}


@pytest.mark.parametrize("value", ["https://[::1]:8443/repo/", "http://127.0.0.1:8000/", "https://bücher.example/",
                                   "HTTPS://Example.GitHub.io/Repo"])
def test_valid_base_urls_are_accepted(tmp_path, value):
    (tmp_path / "kimsite.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    config, problems = load_workspace_config(tmp_path, value)
    assert not keys(problems, "error")
    assert config.base_url.endswith("/") and config.base_url.lower().startswith(value.lower()[:12])


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    env.pop("KIMSITE_LANG", None)
    return subprocess.run([sys.executable, "-m", "kimsite", *args, "-C", str(root)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)


@pytest.mark.parametrize("lang,words", [("id", "tidak dapat dipakai"), ("en", "cannot be used")])
def test_a_malformed_base_url_option_is_a_message(tmp_path, lang, words):
    root = make(tmp_path / "ws")
    assert run_cli(root, "build").returncode == 0
    before = snapshot(root / "_site")
    result = run_cli(root, "build", "--base-url", "https://[::1/", "--lang", lang)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f'--base-url: "https://[::1/" {words}' in result.stderr
    assert snapshot(root / "_site") == before


def test_a_bad_site_file_is_reported_by_the_command_line(tmp_path):
    root = make(tmp_path / "ws", site=BASE_SITE + 'contact:\n  website: "JaVaScRiPt:alert(1)"\n')
    result = run_cli(root, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'sites/uji.yaml:4: galat: contact.website: "JaVaScRiPt:alert(1)"' in result.stderr
    assert not (root / "_site").exists()


def test_an_unreadable_site_file_is_a_message(tmp_path, monkeypatch):
    from kimsite.workspace import sources

    real_read = sources.read

    def read(root, entry):
        if entry.path == SITE:
            raise PermissionError(13, "Permission denied")
        return real_read(root, entry)

    root = make(tmp_path / "ws")
    monkeypatch.setattr(sources, "read", read)
    with pytest.raises(KimsiteError) as failure:
        build(root, BuildOptions(jobs=1))
    assert ("error", SITE, None, "file_unreadable") in keys(failure.value.problems)


@pytest.mark.parametrize("value", ["Asia", "America", "x" * 300, "../../../etc/passwd", "/etc/localtime", "Asia/"])
def test_a_timezone_that_is_a_folder_or_a_path_is_a_message(tmp_path, value):
    """`timezone: Asia` named a folder of the time zone database and crashed the build."""
    (tmp_path / "kimsite.yaml").write_text(MINIMAL_CONFIG.replace("Asia/Jakarta", f"'{value}'"), encoding="utf-8")
    _config, problems = load_workspace_config(tmp_path)
    assert keys(problems, "error") == {("error", "kimsite.yaml", 3, "config_bad_timezone")}


def test_control_characters_in_kimsite_yaml_never_reach_a_page(tmp_path):
    root = make(tmp_path / "ws", config=MINIMAL_CONFIG + 'title: "Situs\\x01 \\x1bKIM\\x7f"\n')
    result = build(root, BuildOptions(jobs=1))
    assert ("warning", "kimsite.yaml", 7, "field_control_chars") in keys(result.problems)
    for path in (root / "_site").rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".csv", ".opml"):
            data = path.read_bytes()
            assert not any(byte in data for byte in (b"\x01", b"\x1b", b"\x7f")), path


def test_numbers_yaml_would_change_keep_the_text_written():
    """YAML reads 0264123456 as an octal number (47228718) and 1:30 as 90: a telephone number
    or a list item keeps the characters typed."""
    config, problems = site_problems(BASE_SITE + "contact:\n  phone: 0264123456\n  whatsapp: +6281234567890\n"
                                                 "  address: 1:30\n")
    assert not keys(problems, "error")
    assert dict(config.contact) == {"phone": "0264123456", "whatsapp": "+6281234567890", "address": "1:30"}
    config, problems = site_problems("kind: portal\nname: Portal\nkecamatan: [0123, yes, 1_000]\n")
    assert config.kecamatan_list == ("0123", "yes", "1_000")


def test_unknown_fetch_settings_suggest_the_known_one(tmp_path):
    (tmp_path / "kimsite.yaml").write_text(MINIMAL_CONFIG + "fetch:\n  timout: 5\n", encoding="utf-8")
    _config, problems = load_workspace_config(tmp_path)
    assert [(p.line, p.text("en")) for p in problems] == [
        (8, 'the key "fetch.timout" is unknown and ignored (did you mean "fetch.timeout"?)')]
