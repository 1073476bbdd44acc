"""Round trip: whatever the editor writes with the generated configuration passes
`kimsite check` with no error and no warning, and builds.

Entries are made from the configuration itself, for every collection and every field: each
field gets a value the editor's own validation would accept (required, maxlength, pattern,
options), or stays empty when optional. They are written the way the editor serialises
them: YAML front matter with plain scalars where YAML 1.2 allows (the editor's YAML
library) and, as a second form, PyYAML's quoting; empty optional fields both present and
omitted; pictures uploaded into the KIM's media/ folder.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from kimsite.parse.article import ParseSettings, parse_source
from kimsite.build import BuildOptions, build
from kimsite.commands.check import collect
from kimsite.cli import main
from kimsite.cms import widgets
from kimsite.model.assemble import RESERVED_PAGE_SLUGS
from kimsite.schema.article_types import parse_price, whatsapp_number
from kimsite.model.model import SourceFile
from kimsite.base.slugs import slugify
from conftest import write_workspace

WIB = timezone(timedelta(hours=7))
NOW = datetime(2025, 8, 1, 12, tzinfo=WIB)

# A value the editor accepts for each field the configuration may hold (by field name).
SAMPLES = {
    "title": "Panen Raya Padi Gadu di Desa Maju",
    "date": "2025-07-01T09:30:00+07:00",
    "summary": "Warga Desa Maju memanen padi gadu bersama penyuluh pertanian.",
    "category": "Pertanian",
    "tags": ["panen", "padi gadu"],
    "kategori_baru": "Kesehatan Warga",
    "image": {"src": "media/panen-raya.webp", "alt": "Petani memanen padi di sawah Desa Maju",
              "caption": "Panen raya di Desa Maju", "credit": "Dok. KIM Maju"},
    "author": "Siti Aminah",
    "draft": False,
    "body": "Warga berkumpul sejak pagi.\n\n![Sawah menguning](media/sawah.webp)\n\nSelesai.\n",
    "klaim": "Pesan berantai menyebut bantuan tunai dibagikan lewat tautan.",
    "sumber_klaim": "Pesan berantai WhatsApp",
    "tanggal_klaim": "2025-06-28T07:00:00+07:00",
    "label": "HOAKS",
    "rujukan": [{"judul": "Penjelasan Kominfo", "url": "https://www.komdigi.go.id/berita/hoaks"},
                {"url": "https://cekfakta.example.id/artikel/123"}],
    "mulai": "2025-07-10T08:00:00+07:00",
    "selesai": "2025-07-10T12:00:00+07:00",
    "tempat": "Balai Desa Maju",
    "penyelenggara": "Pemerintah Desa Maju",
    "produsen": "Ibu-ibu PKK Desa Maju",
    "harga": "Rp 25.000",
    "desa": "Maju",
    "whatsapp": "0812-3456-7890",
    "foto": ["media/keripik-1.webp", "media/keripik-2.webp"],
    "menu_order": 2,
    "menu": True,
}
EMPTY = {"string": "", "text": "", "markdown": "", "datetime": "", "image": "", "list": [], "number": "",
         "boolean": False, "select": None, "object": None}
PICTURES = ("panen-raya.webp", "sawah.webp", "keripik-1.webp", "keripik-2.webp")


def picture() -> bytes:
    """A photo as the editor uploads it: WebP, at most 2048 px, no metadata."""
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (1200, 800), (90, 140, 60)).save(buffer, "WEBP", quality=85)
    return buffer.getvalue()


def accepted(field: dict, value) -> bool:
    """What the editor's validation lets through for one field."""
    if value in ("", [], None):
        return not field.get("required", True)
    if isinstance(value, str):
        if len(value) > field.get("maxlength", 10 ** 6):
            return False
        pattern = field.get("pattern")
        if pattern and not re.search(pattern[0], value):
            return False
        if field.get("widget") == "select" and value not in field["options"]:
            return False
    if isinstance(value, dict):  # an object: each subfield as the editor validates it
        inner = {sub["name"]: sub for sub in field["fields"]}
        return set(value) <= set(inner) and all(accepted(sub, value.get(name, "")) for name, sub in inner.items())
    if isinstance(value, list) and len(value) > field.get("max", 10 ** 6):
        return False
    if isinstance(value, list) and "field" in field:
        return all(accepted(field["field"], item) for item in value)
    if isinstance(value, list) and "fields" in field:
        inner = {sub["name"]: sub for sub in field["fields"]}
        return all(accepted(inner[key], item.get(key, "")) for item in value for key in inner)
    return True


def uploaded(value, public_folder: str):
    """Pictures as the editor names them: its public folder for the collection, then the file."""
    if isinstance(value, str):
        return value.replace("media/", public_folder + "/")
    if isinstance(value, list):
        return [uploaded(item, public_folder) if isinstance(item, str) else item for item in value]
    if isinstance(value, dict):
        return {key: uploaded(item, public_folder) for key, item in value.items()}
    return value


def entry(collection: dict, full: bool) -> dict:
    values = {}
    for field in collection["fields"]:
        name, widget = field["name"], field.get("widget", "string")
        if widget == "hidden":
            values[name] = field["default"]
            continue
        assert name in SAMPLES, f"no sample value for the field {name}: add one"
        value = SAMPLES[name] if full or field.get("required", True) else EMPTY[widget]
        assert accepted(field, value), (collection["name"], name, value)
        values[name] = uploaded(copy.deepcopy(value), collection["public_folder"])  # copies: no YAML anchors
    return values


# --- serialising as the editor does --------------------------------------------------------

_YAML12_NOT_STRING = re.compile(r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
                                r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
                                r"|\.nan|\.NaN|\.NAN)$")


def plain_or_quoted(text: str) -> str:
    """A string as a YAML 1.2 library writes it: plain unless it would read back as something else."""
    needs_quotes = (not text or _YAML12_NOT_STRING.match(text) or text[0] in "!&*-?:,[]{}#|>@`\"'%"
                    or ": " in text or " #" in text or text != text.strip() or "\n" in text)
    return "'" + text.replace("'", "''") + "'" if needs_quotes else text


def editor_yaml(values: dict) -> str:
    lines = []
    for key, value in values.items():
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif value is None:
            lines.append(f"{key}: null")
        elif isinstance(value, int):
            lines.append(f"{key}: {value}")
        elif isinstance(value, list) and not value:
            lines.append(f"{key}: []")
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {name}: {plain_or_quoted(item)}" for name, item in value.items())
        elif isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                if isinstance(item, dict):
                    pairs = [f"{k}: {plain_or_quoted(v)}" for k, v in item.items()]
                    lines.append("  - " + pairs[0])
                    lines.extend("    " + pair for pair in pairs[1:])
                else:
                    lines.append(f"  - {plain_or_quoted(item)}")
        else:
            lines.append(f"{key}: {plain_or_quoted(value)}")
    return "\n".join(lines) + "\n"


def serialise(values: dict, style: str, omit_empty: bool) -> str:
    values = dict(values)
    body = values.pop("body", "")
    if omit_empty:
        values = {key: value for key, value in values.items() if value not in ("", [], None)}
    front = editor_yaml(values) if style == "editor" else yaml.safe_dump(values, sort_keys=False,
                                                                          allow_unicode=True)
    return f"---\n{front}---\n{body}"


def file_name(collection: dict, values: dict, variant: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", values["title"].lower()).strip("-") + f"-{variant}"
    if collection["slug"] == "{{slug}}":
        return f"{slug}.md"
    day = datetime.fromisoformat(values["date"]).date()
    return f"{day:%Y-%m-%d}-{slug}.md"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = write_workspace(tmp_path_factory.mktemp("roundtrip") / "ws", {
        "sites/maju.yaml": "name: KIM Maju\nkecamatan: Sukasari\ndesa: Maju\n",
        "content/maju/2025-06-01-awal.md": "---\ntitle: Awal\ndate: 2025-06-01\ncategory: Pertanian\n"
                                           "summary: Tulisan pertama.\n---\nIsi.\n",
    })
    result = CliRunner().invoke(main, ["cms", "-C", str(root)])
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((root / "admin/config.yml").read_text(encoding="utf-8"))
    written = []
    for collection in config["collections"]:
        if "name" not in collection:
            continue
        folder = root / collection["folder"]
        folder.mkdir(parents=True, exist_ok=True)
        for full in (True, False):
            for style in ("editor", "pyyaml"):
                for omit_empty in ((False, True) if not full else (False,)):
                    values = entry(collection, full)
                    values["title"] += f" {len(written) + 1}"  # one URL each
                    variant = f"{'full' if full else 'empty'}-{style}-{int(omit_empty)}"
                    path = folder / file_name(collection, values, variant)
                    path.write_text(serialise(values, style, omit_empty), encoding="utf-8")
                    written.append(path)
    media = root / "content/maju/media"
    media.mkdir(parents=True)
    for name in PICTURES:
        (media / name).write_bytes(picture())
    return root


def test_every_collection_and_field_was_written(workspace):
    sources = list((workspace / "content/maju").rglob("*.md"))
    types = {yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1]).get("type") for path in sources}
    assert types == {None, "berita", "klarifikasi", "agenda", "produk"}
    # full and empty, each in both YAML forms, empty ones with and without the empty keys
    assert len(list((workspace / "content/maju/halaman").glob("*.md"))) == 6
    assert len(sources) == 1 + 5 * 6


def test_check_reports_nothing(workspace):
    problems = collect(workspace, None, False, False)
    assert [p.format("en") for p in problems] == []


def test_entries_build_into_pages(workspace):
    result = build(workspace, BuildOptions(jobs=1, now=NOW))
    assert result.problems == []
    site = workspace / "_site/maju"
    pages = {path.relative_to(site).as_posix() for path in site.rglob("index.html")}
    article = next(path for path in pages if path.startswith("2025/07/panen-raya-padi-gadu-di-desa-maju-")
                   and path.endswith("full-editor-0/index.html"))
    html = (site / article).read_text(encoding="utf-8")
    assert "Petani memanen padi di sawah Desa Maju" in html and "Sawah menguning" in html
    assert "Panen raya di Desa Maju" in html and "Dok. KIM Maju" in html  # the photo group's caption, credit
    # kategori_baru (a new category) replaces the choice among the existing ones
    assert any(path.startswith("kategori/kesehatan-warga/") for path in pages)
    assert "kategori/kesehatan-warga/" in html
    assert any(path.startswith("cek-fakta/") for path in pages)
    assert any(path.startswith("agenda/") for path in pages)
    assert any(path.startswith("potensi-desa/") for path in pages)
    produk = [(site / path).read_text(encoding="utf-8") for path in pages if "full-editor" in path]
    assert any("https://wa.me/6281234567890" in page for page in produk)
    assert any("Rp25.000" in page for page in produk)
    assert any("[HOAKS]" in page for page in produk)
    assert any(re.match(r"^panen-raya-padi-gadu-di-desa-maju-\d+-full-editor-0/index\.html$", path) for path in pages)


# --- the patterns accept nothing the build refuses --------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.from_regex(widgets.PRICE_PATTERN, fullmatch=True))
def test_price_pattern_only_accepts_prices(text):
    assert parse_price(text) is not None
    # The editor quotes strings YAML would read as numbers ('25.000'), so the value stays text.
    assert parse_price(yaml.safe_load(f"harga: {plain_or_quoted(text)}")["harga"]) is not None
    # Typed by hand without quotes (harga: 1.001 is a YAML number), kimsite reads the same amount.
    for written in (text, plain_or_quoted(text)):
        parsed = parse_source(SourceFile("kim-a", "content/kim-a/2025-01-01-a.md", "2025-01-01-a.md", "article"),
                              f"---\ntitle: A\ndate: 2025-01-01\ntype: produk\nprodusen: B\nharga: {written}\n---\n"
                              .encode(), ParseSettings("Asia/Jakarta", "default", "id"))
        assert [p.code for p in parsed.problems] == [], written
        assert dict(parsed.document.fields)["harga"] == parse_price(text), written


@settings(max_examples=300, deadline=None)
@given(st.from_regex(widgets.WHATSAPP_PATTERN, fullmatch=True))
def test_whatsapp_pattern_only_accepts_numbers(text):
    assert whatsapp_number(text) is not None
    assert whatsapp_number(yaml.safe_load(f"wa: '{text}'")["wa"]) is not None


@pytest.mark.parametrize("text", ["Rp 25.000", "25000", "Rp. 1.500.000", "rp15.000,-", "75.000,00"])
def test_price_pattern_accepts_what_people_write(text):
    assert re.search(widgets.PRICE_PATTERN, text)


@pytest.mark.parametrize("text", ["0", "Rp 0", "25.00", "-5000", "25000-40000", "gratis", "1,5 juta"])
def test_price_pattern_refuses(text):
    assert not re.search(widgets.PRICE_PATTERN, text)


@pytest.mark.parametrize("text", ["081234567890", "+62 812-3456-7890", "6281234567890", "0812 3456 789"])
def test_whatsapp_pattern_accepts_what_people_write(text):
    assert re.search(widgets.WHATSAPP_PATTERN, text)


@pytest.mark.parametrize("text", ["021-555-1234", "0812", "+1 415 555 0100", "0812345678901234", "08a1234567"])
def test_whatsapp_pattern_refuses(text):
    assert not re.search(widgets.WHATSAPP_PATTERN, text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.sampled_from(sorted(RESERVED_PAGE_SLUGS)).map(lambda w: f" {w.upper()}!"),
                 st.from_regex(r"\A[ -]?(?:cek[ -]fakta|potensi desa|\d{4}|profil)[ .!]?\Z")))
def test_page_titles_the_editor_accepts_make_usable_slugs(text):
    if re.search(widgets.PAGE_TITLE_PATTERN, text):
        slug = slugify(text)
        assert slug and slug not in RESERVED_PAGE_SLUGS and not re.fullmatch(r"\d{4}", slug)


@pytest.mark.parametrize("text", ["Profil", "cek fakta", "2024", "Agenda", "!!!", "  "])
def test_page_title_pattern_refuses(text):
    assert not re.search(widgets.PAGE_TITLE_PATTERN, text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_article_titles_the_editor_accepts_make_a_slug(text):
    if re.search(widgets.TITLE_PATTERN, text):
        assert slugify(text)


def _parsed(front: str):
    source = SourceFile("kim-a", "content/kim-a/2025-01-01-a.md", "2025-01-01-a.md", "article")
    return parse_source(source, f"---\ntitle: A\ndate: 2025-01-01\n{front}---\nIsi.\n".encode(),
                        ParseSettings("Asia/Jakarta", "default", "id"))


def test_the_editors_photo_group_and_new_category_read_as_the_plain_keys():
    parsed = _parsed("image:\n  src: media/a.webp\n  alt: Foto A\n  caption: Di sawah\n  credit: KIM A\n"
                     "category: Lama\nkategori_baru: Kesehatan\n")
    document = parsed.document
    assert parsed.problems == ()
    assert (document.image, document.image_alt, document.image_caption, document.image_credit, document.category) \
        == ("media/a.webp", "Foto A", "Di sawah", "KIM A", "Kesehatan")
    assert _parsed("kategori_baru: ''\ncategory: Lama\nimage: null\n").document.category == "Lama"


@pytest.mark.parametrize("front, code", [
    ("image:\n  src: media/a.webp\n  judul: x\n", "image_mapping_keys"),
    ("image:\n  src: [1]\n  alt: x\n", "field_not_text"),
    ("image:\n  src: media/a.webp\n  alt: x\nimage_alt: y\n", "field_alias_twice"),
    ("kategori_baru: [a, b]\n", "field_not_text"),
])
def test_odd_editor_forms_written_by_hand_are_errors_on_their_line(front, code):
    errors = [(p.code, p.line) for p in _parsed(front).problems if p.severity == "error"]
    assert errors == [(code, 4)]
