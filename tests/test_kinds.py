"""KIM article types: hoax clarifications (klarifikasi), agenda events and village products.

The fixture workspace tests/fixtures/kinds/ is built once with a fixed clock and checked
against the committed golden snippets in tests/golden_kinds/ (regenerate ON PURPOSE with
`python tests/regen_golden_kinds.py`), and by meaning: titles with the verdict, feeds,
calendars parsed back with icalendar, WhatsApp links, front-matter validation.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import sys
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest

from kimsite.base.file_rules import PHOTO_SUFFIXES, is_svg, picture_format
from kimsite.base.messages import message
from kimsite.parse.article import ParseSettings, parse_source
from kimsite.build import BuildOptions, build
from kimsite.schema.fields import HOAX_LABELS
from kimsite.schema.article_types import format_price, parse_price, verdict_title, whatsapp_link, whatsapp_number
from kimsite.model.model import SourceFile

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
from regen_golden_kinds import GOLDEN, NOW, SELECTION, build_fixture, golden_name, snapshot  # noqa: E402

UTC = timezone.utc
JAKARTA = ZoneInfo("Asia/Jakarta")
BASE = "https://contoh.github.io/kim/"
REGEN_HINT = "if the change is intended, run `python tests/regen_golden_kinds.py` and review the diff"


# --- helpers ----------------------------------------------------------------------------------

class Page(HTMLParser):
    """Title, h1 text, anchors (href, class, text), images and JSON-LD blocks of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self.anchors: list[dict[str, str]] = []
        self.images: list[str] = []
        self.jsonld: list[str] = []
        self.text_parts: list[str] = []
        self._stack: list[str] = []
        self._anchor: dict[str, str] | None = None
        self._script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self._stack.append(tag)
        if tag == "a" and "href" in attributes:
            self._anchor = {"href": attributes["href"], "class": attributes.get("class", ""), "text": ""}
            self.anchors.append(self._anchor)
        elif tag == "img":
            self.images.append(attributes.get("src", ""))
        elif tag == "script":
            self._script = attributes.get("type") == "application/ld+json"
            if self._script:
                self.jsonld.append("")

    def handle_endtag(self, tag):
        if tag == "a":
            self._anchor = None
        if tag == "script":
            self._script = False
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if self._script:
            self.jsonld[-1] += data
            return
        if "title" in self._stack:
            self.title += data
        if "h1" in self._stack:
            self.h1 += data
        if self._anchor is not None:
            self._anchor["text"] += data
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def page(output: Path, path: str) -> Page:
    return Page((output / path).read_text(encoding="utf-8"))


def card_titles(output: Path, path: str) -> list[str]:
    """Text of the links inside <h2 class="card-title"> of a list page."""
    html = (output / path).read_text(encoding="utf-8")
    return [" ".join(re.sub(r"<[^>]+>", "", m).split())
            for m in re.findall(r'<h2 class="card-title">(.*?)</h2>', html, re.S)]


def calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(path: Path) -> list:
    return list(calendar(path).walk("VEVENT"))


def parse(text: str, rel: str = "2026-01-01-uji.md", site: str = "kim-uji"):
    source = SourceFile(site, f"content/{site}/{rel}", rel, "article")
    return parse_source(source, text.encode("utf-8"), ParseSettings("Asia/Jakarta", "default", "id"))


def codes(result) -> list[str]:
    return [p.code for p in result.problems if p.severity == "error"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("kinds") / "ws")


# --- golden -------------------------------------------------------------------------------------

def test_golden_output(built):
    expected_names = {golden_name(path) for path in SELECTION}
    assert {p.name for p in GOLDEN.iterdir()} == expected_names, REGEN_HINT
    for name, text in snapshot(built).items():
        expected = (GOLDEN / name).read_bytes().decode("utf-8")
        if text != expected:
            diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                f"golden/{name}", f"built/{name}", n=2))
            pytest.fail(f"{name} differs from the golden file ({REGEN_HINT}):\n{diff[:4000]}")


# --- klarifikasi ---------------------------------------------------------------------------------

def test_clarification_page_shows_verdict(built):
    doc = page(built, "kim-uji/2026/05/hoaks-bantuan-2-juta/index.html")
    assert doc.title.startswith("[HOAKS] Pesan Berantai Bantuan Rp 2 Juta adalah Hoaks")
    assert doc.h1 == "[HOAKS] Pesan Berantai Bantuan Rp 2 Juta adalah Hoaks"
    html = (built / "kim-uji/2026/05/hoaks-bantuan-2-juta/index.html").read_text()
    assert '<p class="verdict verdict-false">HOAKS</p>' in html
    assert "Grup WhatsApp warga" in doc.text and "Sabtu, 2 Mei 2026" in doc.text
    refs = [a for a in doc.anchors if a["href"].startswith(("https://diskominfo", "https://turnbackhoax"))]
    assert [a["text"] for a in refs] == ["Klarifikasi Diskominfo tentang tautan bantuan palsu",
                                         "https://turnbackhoax.id/contoh-klarifikasi"]
    # a lowercase label is normalized; BENAR is shown green
    assert page(built, "kim-uji/2026/06/cetak-ktp-berbayar/index.html").h1.startswith("[SALAH] ")
    assert 'verdict-true">BENAR<' in (built / "kim-dua/2026/02/benar-cek-kesehatan/index.html").read_text()


def test_claim_review_jsonld(built):
    doc = page(built, "kim-uji/2026/05/hoaks-bantuan-2-juta/index.html")
    reviews = [json.loads(block) for block in doc.jsonld if '"ClaimReview"' in block]
    assert len(reviews) == 1
    review = reviews[0]
    assert review["reviewRating"]["alternateName"] == "HOAKS"
    assert review["url"] == BASE + "kim-uji/2026/05/hoaks-bantuan-2-juta/"
    assert review["claimReviewed"].startswith("Pemkab membagikan bantuan tunai")
    assert review["itemReviewed"]["datePublished"] == "2026-05-02"


def test_claim_review_cannot_break_out_of_script(make_workspace):
    evil = "</script><script>alert(1)</script> & <!--"
    root = make_workspace({
        "sites/kim-x.yaml": "name: KIM X\nkecamatan: Maniis\n",
        "content/kim-x/2026-01-05-uji.md": f"""\
            ---
            type: klarifikasi
            title: 'Judul {evil}'
            date: 2026-01-05 10:00
            klaim: '{evil}'
            label: HOAKS
            ---

            Isi.
            """,
    })
    output = build(root, BuildOptions(now=NOW)).output_dir
    html = (output / "kim-x/2026/01/uji/index.html").read_text()
    assert "<script>alert(1)" not in html
    doc = Page(html)
    review = next(json.loads(block) for block in doc.jsonld if '"ClaimReview"' in block)
    assert review["claimReviewed"] == evil
    assert doc.h1 == f"[HOAKS] Judul {evil}"


def test_cek_fakta_lists(built):
    assert card_titles(built, "kim-uji/cek-fakta/index.html") == [
        "[SALAH] Cetak Ulang KTP Elektronik Dipungut Rp 50 Ribu?",
        "[HOAKS] Pesan Berantai Bantuan Rp 2 Juta adalah Hoaks",
    ]
    # the portal gathers every KIM's clarifications, newest first, 2 per page
    first = card_titles(built, "cek-fakta/index.html")
    second = card_titles(built, "cek-fakta/halaman/2/index.html")
    assert first + second == ["[SALAH] Cetak Ulang KTP Elektronik Dipungut Rp 50 Ribu?",
                              "[HOAKS] Pesan Berantai Bantuan Rp 2 Juta adalah Hoaks",
                              "[BENAR] Cek Kesehatan Gratis di Puskesmas"]
    portal = page(built, "cek-fakta/index.html")
    assert {"KIM Uji Sejahtera"} <= {a["text"] for a in portal.anchors}
    assert "/kim/cek-fakta/halaman/2/" in {a["href"] for a in portal.anchors}


@pytest.mark.parametrize("scope", ["kim-uji/", ""])
@pytest.mark.parametrize("fmt", ["feed.xml", "atom.xml"])
def test_cek_fakta_feeds(built, scope, fmt):
    feed = feedparser.parse((built / f"{scope}cek-fakta/{fmt}").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    assert "[HOAKS] Pesan Berantai Bantuan Rp 2 Juta adalah Hoaks" in titles
    assert all(re.match(r"^\[(%s)\] " % "|".join(HOAX_LABELS), title) for title in titles)
    assert len(titles) == (2 if scope else 3)
    for entry in feed.entries:
        assert entry.link.startswith(BASE) and entry.id.startswith(BASE)
    self_links = [link.href for link in feed.feed.get("links", []) if link.rel == "self"]
    assert self_links == [f"{BASE}{scope}cek-fakta/{fmt}"]
    hoax = next(e for e in feed.entries if e.title.startswith("[HOAKS]"))
    content = hoax.content[0].value if "content" in hoax else hoax.description
    assert "Pemkab membagikan bantuan tunai" in content


@pytest.mark.parametrize("label", HOAX_LABELS)
def test_each_label_is_accepted(label):
    result = parse(f"---\ntype: klarifikasi\ntitle: Uji\ndate: 2026-01-01\nklaim: Klaim\nlabel: {label}\n---\nIsi\n")
    assert codes(result) == []
    assert result.document.field("label") == label


def test_lowercase_label_is_normalized():
    result = parse("---\ntype: klarifikasi\ntitle: Uji\ndate: 2026-01-01\nklaim: Klaim\nlabel: ' menyesatkan '\n---\n")
    assert codes(result) == [] and result.document.field("label") == "MENYESATKAN"


def test_unknown_label_lists_the_allowed_ones():
    result = parse("---\ntype: klarifikasi\ntitle: Uji\ndate: 2026-01-01\nklaim: Klaim\nlabel: PALSU\n---\n")
    assert result.document is None
    problem = next(p for p in result.problems if p.severity == "error")
    assert problem.code == "field_bad_choice" and problem.line == 6
    text = problem.text("id")
    assert "PALSU" in text and all(label in text for label in HOAX_LABELS)


def test_clarification_requires_claim_and_label():
    result = parse("---\ntype: klarifikasi\ntitle: Uji\ndate: 2026-01-01\n---\n")
    required = {dict(p.args)["field"] for p in result.problems if p.code == "field_required"}
    assert required == {"klaim", "label"}


def test_bad_reference_is_an_error():
    result = parse("---\ntype: klarifikasi\ntitle: Uji\ndate: 2026-01-01\nklaim: K\nlabel: HOAKS\n"
                   "rujukan:\n  - judul: Situs\n    url: bukan-alamat\n---\n")
    assert codes(result) == ["field_bad_url"]


def test_verdict_title_is_not_doubled():
    assert verdict_title("Judul", "HOAKS") == "[HOAKS] Judul"
    assert verdict_title("[HOAKS] Judul", "HOAKS") == "[HOAKS] Judul"


# --- agenda ---------------------------------------------------------------------------------------

def test_event_calendar_times_and_zone(built):
    (event,) = events(built / "kim-uji/agenda/2026-11-posyandu-balita.ics")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == datetime(2026, 12, 5, 1, 0, tzinfo=UTC)  # 08.00 WIB
    assert end == datetime(2026, 12, 5, 4, 0, tzinfo=UTC)
    assert event["dtstart"].params["TZID"] == "Asia/Jakarta"
    assert start.utcoffset() == timedelta(hours=7)
    assert str(event["uid"]) == BASE + "kim-uji/2026/11/posyandu-balita/"
    assert str(event["url"]) == BASE + "kim-uji/2026/11/posyandu-balita/"
    assert event.decoded("dtstamp") == datetime(2026, 11, 17, 2, 0, tzinfo=UTC)  # the article date
    assert str(event["summary"]) == "Posyandu Balita Desember"
    assert str(event["location"]) == "Balai Desa Citamiang, RT 02/RW 01"
    assert "Kader Posyandu Melati" in str(event["description"])
    cal = calendar(built / "kim-uji/agenda/2026-11-posyandu-balita.ics")
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Jakarta"]


def test_event_written_in_another_zone(built):
    (event,) = events(built / "kim-uji/agenda/2026-11-rapat-koordinasi.ics")
    assert event.decoded("dtstart") == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 19.00 WITA
    assert "dtend" not in event


def test_calendar_feeds(built):
    kim = events(built / "kim-uji/agenda.ics")
    assert [str(e["summary"]) for e in kim] == ["Musyawarah Desa RKPDes 2027", "Rapat Koordinasi KIM se-Kabupaten",
                                               "Posyandu Balita Desember"]
    portal = events(built / "agenda.ics")
    assert len(portal) == 4
    festival = next(e for e in portal if "Keramik" in str(e["summary"]))
    assert festival.decoded("dtstart") == datetime(2027, 1, 16, 9, 0, tzinfo=JAKARTA)
    assert festival.decoded("dtend") == datetime(2027, 1, 18, 17, 0, tzinfo=JAKARTA)
    assert len({str(e["uid"]) for e in portal}) == 4


def test_agenda_page_orders_upcoming_then_past(built):
    html = (built / "kim-uji/agenda/index.html").read_text()
    upcoming, past = html.split('class="events events-past"')
    assert re.findall(r'<h3 class="card-title"><a [^>]*>([^<]*)<', upcoming) == [
        "Rapat Koordinasi KIM se-Kabupaten", "Posyandu Balita Desember"]
    assert re.findall(r'<h3 class="card-title"><a [^>]*>([^<]*)<', past) == ["Musyawarah Desa RKPDes 2027"]
    assert "Sabtu, 5 Desember 2026 08.00" in html and "11.00</time> WIB" in html
    # every calendar link of the agenda page and of the event page exists
    doc = page(built, "kim-uji/agenda/index.html")
    event_page = page(built, "kim-uji/2026/11/posyandu-balita/index.html")
    for anchor in doc.anchors + event_page.anchors:
        if anchor["href"].endswith(".ics"):
            assert (built / anchor["href"].removeprefix("/kim/")).is_file(), anchor["href"]
    assert any(a["href"] == "/kim/kim-uji/agenda/2026-11-posyandu-balita.ics" for a in event_page.anchors)


def test_agenda_moves_with_the_build_date_incrementally(tmp_path):
    later = datetime(2026, 12, 6, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    output = build_fixture(tmp_path / "inc")
    agenda = output / "kim-uji/agenda/index.html"
    assert "Posyandu" in agenda.read_text().split("events-past")[0]
    result = build(tmp_path / "inc", BuildOptions(now=later))
    assert "Posyandu" in agenda.read_text().split("events-past")[1]
    assert result.rendered < result.outputs
    clean = build_fixture(tmp_path / "clean", now=later)
    for path in ("kim-uji/agenda/index.html", "agenda/index.html", "kim-uji/agenda.ics"):
        assert (output / path).read_bytes() == (clean / path).read_bytes(), path


@pytest.mark.parametrize("fields, code", [
    ("mulai: 2026-12-05 11:00\nselesai: 2026-12-05 08:00\ntempat: Balai", "agenda_end_before_start"),
    ("mulai: 2026-13-05 08:00\ntempat: Balai", "date_invalid"),
    ("mulai: besok pagi\ntempat: Balai", "date_invalid"),
    ("tempat: Balai", "field_required"),
    ("mulai: 2026-12-05 08:00", "field_required"),
])
def test_agenda_validation(fields, code):
    result = parse(f"---\ntype: agenda\ntitle: Uji\ndate: 2026-01-01\n{fields}\n---\n")
    assert code in codes(result)
    if code == "agenda_end_before_start":
        problem = next(p for p in result.problems if p.code == code)
        assert problem.line == 6 and problem.file == "content/kim-uji/2026-01-01-uji.md"


def test_agenda_dates_with_zone_words():
    result = parse("---\ntype: agenda\ntitle: Uji\ndate: 2026-01-01\nmulai: 2026-12-05 08:00 WIT\n"
                   "selesai: 2026-12-05 08:30 WIB\ntempat: Balai\n---\n")
    assert codes(result) == []
    assert result.document.field("mulai").astimezone(UTC) == datetime(2026, 12, 4, 23, 0, tzinfo=UTC)


# --- produk ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["081234567890", "0812-3456-7890", "+6281234567890", "+62 812 3456 7890",
                                     "6281234567890", "81234567890", "+62 (0)812-3456-7890"])
def test_whatsapp_numbers(written):
    assert whatsapp_number(written) == "6281234567890"


@pytest.mark.parametrize("junk", ["", "12345", "021-555-1234", "+1 202 555 0100", "0812abc4567", "nomor saya",
                                  "6281", "08123456789012345", True])
def test_whatsapp_junk_is_rejected(junk):
    assert whatsapp_number(junk) is None


def test_whatsapp_link_is_url_encoded():
    link = whatsapp_link("6281234567890", "Halo, saya ingin memesan Kopi & Gula (1 kg)?")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert " " not in link and "&" not in parts.query.replace("text=", "", 1)
    assert parse_qs(parts.query)["text"] == ["Halo, saya ingin memesan Kopi & Gula (1 kg)?"]


def test_bad_whatsapp_number_is_an_error():
    result = parse("---\ntype: produk\ntitle: Uji\ndate: 2026-01-01\nprodusen: Bu Entin\nwhatsapp: 12345\n---\n")
    problem = next(p for p in result.problems if p.severity == "error")
    assert problem.code == "whatsapp_invalid" and problem.line == 6 and "12345" in problem.text("id")


@pytest.mark.parametrize("written, expected", [
    ("75000", (75000, 75000)), ("Rp 75.000", (75000, 75000)), ("Rp15.000,-", (15000, 15000)),
    ("15000-25000", (15000, 25000)), ("Rp 15.000 – Rp 25.000", (15000, 25000)), ("10.000 s/d 12.500", (10000, 12500)),
    (75000, (75000, 75000)), (75.0, (75000, 75000)), (1.5, (1500, 1500)),
])
def test_prices(written, expected):
    assert parse_price(written) == expected


@pytest.mark.parametrize("junk", ["murah", "Rp", "25000-15000", "0", 0, -5, "75.00", True, "1.2.3"])
def test_bad_prices(junk):
    assert parse_price(junk) is None


@pytest.mark.parametrize("written, expected", [
    ("1.001", (1001, 1001)), ("75.000", (75000, 75000)), ("1.500", (1500, 1500)), ("'1.001'", (1001, 1001)),
    ("075000", (75000, 75000)), ("25000", (25000, 25000)), ("999.999", (999999, 999999)),
])
def test_price_read_as_written_in_front_matter(written, expected):
    """YAML reads `harga: 1.001` as the float 1.001 (1000.9999 when multiplied) and 075000 as
    octal; kimsite reads the text the author typed."""
    result = parse(f"---\ntype: produk\ntitle: Uji\ndate: 2026-01-01\nprodusen: Bu Entin\nharga: {written}\n---\n")
    assert codes(result) == []
    assert dict(result.document.fields)["harga"] == expected


@pytest.mark.parametrize("written", [".inf", "-.inf", ".nan", "1e20", "0x10", "1_000", "25000.50",
                                     "'" + "9" * 5000 + "'", "1.000.000.000.000", "-75000"],
                         ids=lambda written: written[:20])
def test_odd_numbers_as_price_are_an_error(written):
    result = parse(f"---\ntype: produk\ntitle: Uji\ndate: 2026-01-01\nprodusen: Bu Entin\nharga: {written}\n---\n")
    problem = next(p for p in result.problems if p.severity == "error")
    assert problem.code == "price_invalid" and problem.line == 6


@pytest.mark.parametrize("number", [float("inf"), float("nan"), 1e20, 1.0001])
def test_odd_floats_are_not_prices(number):
    assert parse_price(number) is None


def test_price_format():
    assert format_price((75000, 75000)) == "Rp75.000"
    assert format_price((15000, 1250000)) == "Rp15.000 – Rp1.250.000"


def test_bad_price_is_an_error():
    result = parse("---\ntype: produk\ntitle: Uji\ndate: 2026-01-01\nprodusen: Bu Entin\nharga: murah sekali\n---\n")
    assert codes(result) == ["price_invalid"]


@pytest.mark.parametrize("photo, code", [("https://contoh.id/a.jpg", "photo_not_local"),
                                         ("../kim-lain/media/a.jpg", "photo_outside"),
                                         ("media/katalog.pdf", "photo_not_image")])
def test_bad_photos(photo, code):
    result = parse(f"---\ntype: produk\ntitle: Uji\ndate: 2026-01-01\nprodusen: Bu\nfoto: [{photo}]\n---\n")
    assert codes(result) == [code]


def test_photo_suffixes_are_the_ones_the_message_names():
    """foto: accepts exactly the suffixes photo_not_image lists (any case), each a picture kimsite
    publishes; a picture format it publishes but foto: does not name (.bmp) is refused."""
    for lang in ("id", "en"):
        listed = re.findall(r"\.[a-z]+", message("photo_not_image", lang, value="x").split("(", 1)[1])
        assert listed == list(PHOTO_SUFFIXES)
    for suffix in PHOTO_SUFFIXES:
        assert picture_format("a" + suffix) is not None or is_svg("a" + suffix)
        for name in (f"media/a{suffix}", f"media/A{suffix.upper()}"):
            result = parse(f"---\ntype: produk\ntitle: Uji\ndate: 2026-01-01\nprodusen: Bu\nfoto: [{name}]\n---\n")
            assert codes(result) == [], name
    result = parse("---\ntype: produk\ntitle: Uji\ndate: 2026-01-01\nprodusen: Bu\nfoto: [media/a.bmp]\n---\n")
    assert codes(result) == ["photo_not_image"]


def test_product_page(built):
    path = "kim-uji/2025/12/keripik-ikan-nila/index.html"
    doc = page(built, path)
    assert "Rp15.000 – Rp25.000" in doc.text
    assert "Kelompok Olahan Ikan Mekar Sari" in doc.text and "Citamiang" in doc.text
    order = next(a for a in doc.anchors if "button-wa" in a["class"])
    parts = urlsplit(order["href"])
    assert parts.netloc == "wa.me" and parts.path == "/6281377712345"
    message = parse_qs(parts.query)["text"][0]
    assert "Keripik Ikan Nila Citamiang" in message and "KIM Uji Sejahtera" in message
    assert message.endswith("/kim/kim-uji/2025/12/keripik-ikan-nila/"), "the order carries the page's address"
    photos = [src for src in doc.images if "/media/keripik" in src]
    # the resized copies (with their size), not the photos as uploaded
    assert [re.sub(r"\.\d+\.(jpg|png)$", "", src) for src in photos] == ["/kim/kim-uji/media/keripik",
                                                                     "/kim/kim-uji/media/keripik-kemasan"]
    for src in photos:
        assert (built / unquote(src).removeprefix("/kim/")).is_file()
    # a number written +62 ... works as well
    other = page(built, "kim-dua/2026/04/pot-tanah-liat/index.html")
    assert any(a["href"].startswith("https://wa.me/6281234567890?text=") for a in other.anchors)
    assert "Rp75.000" in other.text


def test_potensi_desa_pages(built):
    kim = page(built, "kim-uji/potensi-desa/index.html")
    (src,) = kim.images  # the first photo, through the image pipeline
    assert src.startswith("/kim/kim-uji/media/keripik.") and (built / src.removeprefix("/kim/")).is_file()
    portal = (built / "potensi-desa/index.html").read_text()
    assert card_titles(built, "potensi-desa/index.html") == ["Pot Tanah Liat untuk Tanaman",
                                                             "Keripik Ikan Nila Citamiang"]
    assert portal.count("https://wa.me/") == 2


# --- menus and incremental builds ---------------------------------------------------------------------

def test_section_menu_links(built):
    home = page(built, "kim-uji/index.html")
    hrefs = {a["href"]: a["text"] for a in home.anchors}
    assert hrefs["/kim/kim-uji/cek-fakta/"] == "Cek Fakta"
    assert hrefs["/kim/kim-uji/agenda/"] == "Agenda"
    assert hrefs["/kim/kim-uji/potensi-desa/"] == "Potensi Desa"
    portal = {a["href"] for a in page(built, "agenda/index.html").anchors}
    assert {"/kim/cek-fakta/", "/kim/agenda/", "/kim/potensi-desa/"} <= portal


def test_first_clarification_adds_menu_link_incrementally(make_workspace, tmp_path):
    files = {
        "sites/kim-x.yaml": "name: KIM X\nkecamatan: Maniis\n",
        "content/kim-x/2026-01-05-berita.md": "---\ntitle: Berita\ndate: 2026-01-05\n---\nIsi.\n",
        "content/kim-x/2025-12-01-lama.md": "---\ntitle: Lama\ndate: 2025-12-01\n---\nIsi.\n",
        "content/kim-x/halaman/tentang.md": "---\ntitle: Tentang\n---\nIsi.\n",
    }
    root = make_workspace(files)
    build(root, BuildOptions(now=NOW))
    home = root / "_site/kim-x/index.html"
    assert "cek-fakta/" not in home.read_text()
    added = "---\ntype: klarifikasi\ntitle: Kabar\ndate: 2026-02-01\nklaim: K\nlabel: HOAKS\n---\nIsi.\n"
    (root / "content/kim-x/2026-02-01-kabar.md").write_text(added)
    build(root, BuildOptions(now=NOW))
    clean = make_workspace({**files, "content/kim-x/2026-02-01-kabar.md": added}, name="clean")
    build(clean, BuildOptions(now=NOW))
    for path in ("kim-x/index.html", "kim-x/2026/01/berita/index.html", "kim-x/profil/index.html",
                 "kim-x/2025/12/lama/index.html", "kim-x/tentang/index.html",
                 "kim-x/cek-fakta/index.html", "kim-x/cek-fakta/feed.xml"):
        assert (root / "_site" / path).read_bytes() == (clean / "_site" / path).read_bytes(), path
    assert "/repo/kim-x/cek-fakta/" in home.read_text()


# --- the demo regency -----------------------------------------------------------------------------------

def test_demo_portal_cek_fakta(demo_copy):
    now = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=7)))
    output = build(demo_copy, BuildOptions(now=now)).output_dir
    clarifications = [p for p in (demo_copy / "content").rglob("*.md")
                      if re.search(r"^type: klarifikasi$", p.read_text(encoding="utf-8"), re.M)]
    assert len(clarifications) >= 3
    titles = []
    number = 1
    while True:
        path = "cek-fakta/index.html" if number == 1 else f"cek-fakta/halaman/{number}/index.html"
        if not (output / path).is_file():
            break
        titles += card_titles(output, path)
        number += 1
    assert len(titles) == len(clarifications)
    assert all(re.match(r"^\[(%s)\] " % "|".join(HOAX_LABELS), title) for title in titles)
    for fmt in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((output / "cek-fakta" / fmt).read_bytes())
        assert feed.bozo == 0
        assert len(feed.entries) == len(clarifications)
        assert any(entry.title.startswith("[HOAKS] ") for entry in feed.entries)
    # every demo type section exists and each event calendar parses
    assert len(events(output / "agenda.ics")) >= 3
    assert len(card_titles(output, "potensi-desa/index.html")) >= 3
    # a KIM without clarifications gets no Cek Fakta link
    for kim in sorted(p.name for p in (demo_copy / "content").iterdir()):
        has = any(p.parent.name == kim for p in clarifications)
        home = (output / kim / "index.html").read_text(encoding="utf-8")
        assert (f'href="/kim/{kim}/cek-fakta/"' in home) == has, kim


def test_empty_optional_fields_are_absent():
    result = parse("---\ntype: produk\ntitle: Uji\ndate: 2026-01-01\nproducer: Bu Entin\nharga: ''\nwhatsapp: ''\n---\n")
    assert codes(result) == [] and result.document.field("harga") is None


def test_problem_line_follows_the_alias():
    result = parse("---\ntype: produk\ntitle: Uji\ndate: 2026-01-01\nproducer: Bu Entin\nprice: gratis\n---\n")
    problem = next(p for p in result.problems if p.code == "price_invalid")
    assert problem.line == 6


def test_single_site_build_has_the_sections_at_its_root(tmp_path):
    output = build_fixture(tmp_path / "alone", site="kim-uji")
    for path in ("cek-fakta/index.html", "cek-fakta/feed.xml", "agenda/index.html", "agenda.ics",
                 "agenda/2026-11-posyandu-balita.ics", "potensi-desa/index.html"):
        assert (output / path).is_file(), path
    event_page = page(output, "2026/11/posyandu-balita/index.html")
    assert "/kim/agenda/2026-11-posyandu-balita.ics" in {a["href"] for a in event_page.anchors}
    (event,) = events(output / "agenda/2026-11-posyandu-balita.ics")
    assert str(event["uid"]) == BASE + "2026/11/posyandu-balita/"


def test_edited_verdict_reaches_every_list_incrementally(tmp_path):
    output = build_fixture(tmp_path / "inc")
    source = tmp_path / "inc/content/kim-dua/2026-02-24-benar-cek-kesehatan.md"
    source.write_text(source.read_text().replace("label: BENAR", "label: MENYESATKAN"))
    result = build(tmp_path / "inc", BuildOptions(now=NOW))
    assert 0 < result.rendered < result.outputs
    shutil.copytree(tmp_path / "inc", tmp_path / "clean",
                    ignore=shutil.ignore_patterns("_site", ".kimsite", ".*kimsite-*"))
    clean = build(tmp_path / "clean", BuildOptions(now=NOW)).output_dir
    for path in ("cek-fakta/index.html", "cek-fakta/halaman/2/index.html", "cek-fakta/feed.xml",
                 "cek-fakta/atom.xml", "kim-dua/cek-fakta/index.html", "kim-dua/cek-fakta/feed.xml",
                 "kim-dua/2026/02/benar-cek-kesehatan/index.html"):
        assert (output / path).read_bytes() == (clean / path).read_bytes(), path
    titles = card_titles(output, "cek-fakta/index.html") + card_titles(output, "cek-fakta/halaman/2/index.html")
    assert "[MENYESATKAN] Cek Kesehatan Gratis di Puskesmas" in titles
