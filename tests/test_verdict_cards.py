"""Share cards by policy: a klarifikasi always travels with its verdict stamped in the label's
colour; other articles get their own picture, else the KIM's card (default) or their own card."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from kimsite.media import og_card
from kimsite.build import BuildOptions, build

BASE = "https://example.github.io/repo/"


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def clarification(title: str, label: str, image: str = "") -> str:
    picture = f"image: {image}\nimage_alt: Tangkapan layar pesan berantai\n" if image else ""
    return (f"---\ntitle: \"{title}\"\ndate: 2025-03-01 08:00\ntype: klarifikasi\n"
            f"klaim: Pendaftaran BLT lewat tautan WhatsApp\nlabel: {label}\n{picture}---\n\nPesan itu palsu.\n")


FILES: dict[str, str | bytes] = {
    "sites/kim-uji.yaml": "name: KIM Uji\nkecamatan: Maniis\ndesa: Citamiang\n",
    # the author already wrote the verdict in the title: it is not stamped twice
    "content/kim-uji/2025-03-01-hoaks-blt.md": clarification("[HOAKS] Pesan Berantai Pendaftaran BLT", "HOAKS",
                                                             "media/tangkapan.jpg"),
    "content/kim-uji/2025-03-02-menyesatkan.md": clarification("Video banjir bandang hari ini", "MENYESATKAN"),
    "content/kim-uji/2025-03-03-benar.md": clarification("Posyandu pindah ke balai desa", "BENAR"),
    "content/kim-uji/2025-03-04-berita.md": "---\ntitle: Kerja bakti di Citamiang\ndate: 2025-03-04 08:00\n---\n\nWarga.\n",
    "content/kim-uji/media/tangkapan.jpg": photo(),
}
SLUGS = {"hoaks-blt": "false", "menyesatkan": "warn", "benar": "true"}


class Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "property" in attrs:
            self.meta[attrs["property"]] = attrs.get("content") or ""


def meta(path: Path) -> dict[str, str]:
    page = Meta()
    page.feed(path.read_text(encoding="utf-8"))
    return page.meta


def built(make_workspace, policy: str | None) -> Path:
    config = "base_url: " + BASE + "\n" + (f"share_cards: {policy}\n" if policy else "")
    root = make_workspace({**FILES, "kimsite.yaml": config})
    result = build(root, BuildOptions())
    assert not result.problems, [problem.text("en") for problem in result.problems]
    return root / "_site"


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


@pytest.mark.parametrize("policy", [None, "site", "article"])
def test_every_clarification_travels_with_its_verdict_card(make_workspace, policy):
    site = built(make_workspace, policy)
    for slug, tone in SLUGS.items():
        tags = meta(site / f"kim-uji/2025/03/{slug}/index.html")
        assert tags["og:image"] == BASE + f"kim-uji/2025/03/{slug}/og.jpg", "not the hoax's screenshot"
        card_path = site / f"kim-uji/2025/03/{slug}/og.jpg"
        assert card_path.stat().st_size < 300 * 1024
        with Image.open(card_path) as card:
            assert card.format == "JPEG" and card.size == (1200, 630)
            rgb = card.convert("RGB")
            colour = og_card.VERDICT_COLOURS[tone]
            stamp = rgb.getpixel((og_card.MARGIN + 8, og_card.MARGIN + 32))
            assert near(stamp, colour), f"{slug}: stamp {stamp}, expected the label's colour {colour}"
            assert near(rgb.getpixel((8, 300)), colour), f"{slug}: the edge bar"
            assert near(rgb.getpixel((1150, 300)), og_card.PAPER), f"{slug}: a verdict card is white"
            assert near(rgb.getpixel((600, 620)), og_card.BAND), f"{slug}: the KIM's band"
        assert tags["og:image:alt"].startswith(f"[{slug.split('-')[0].upper()}]"), tags["og:image:alt"]
    hoax = (site / "kim-uji/2025/03/hoaks-blt/og.jpg").read_bytes()
    assert hoax == og_card.draw_card("Pesan Berantai Pendaftaran BLT", "KIM Uji", "Kecamatan Maniis · Desa Citamiang",
                                     "HOAKS", "false"), "the verdict is stamped, not repeated in the title"


@pytest.mark.parametrize("policy", [None, "site"])
def test_other_articles_share_their_kims_card_by_default(make_workspace, policy):
    site = built(make_workspace, policy)
    assert meta(site / "kim-uji/2025/03/berita/index.html")["og:image"] == BASE + "kim-uji/og.jpg"
    assert not (site / "kim-uji/2025/03/berita/og.jpg").exists()
    drawn = sorted(path.relative_to(site).as_posix() for path in site.rglob("og.jpg"))
    assert drawn == ["kim-uji/2025/03/benar/og.jpg", "kim-uji/2025/03/hoaks-blt/og.jpg",
                     "kim-uji/2025/03/menyesatkan/og.jpg", "kim-uji/og.jpg", "og.jpg"]


def test_share_cards_article_draws_news_cards_without_a_stamp(make_workspace):
    site = built(make_workspace, "article")
    assert meta(site / "kim-uji/2025/03/berita/index.html")["og:image"] == BASE + "kim-uji/2025/03/berita/og.jpg"
    with Image.open(site / "kim-uji/2025/03/berita/og.jpg") as card:
        assert near(card.convert("RGB").getpixel((1150, 300)), og_card.BACKGROUND), "a news card stays green"


def test_verdict_changes_the_card_and_its_cache_name():
    plain = og_card.card_file_name("Judul", "KIM Uji", "")
    assert plain == og_card.card_file_name("Judul", "KIM Uji", "", "")  # news cards keep their cache names
    names = {plain} | {og_card.card_file_name("Judul", "KIM Uji", "", label, tone)
                       for label, tone in (("HOAKS", "false"), ("SALAH", "false"), ("BENAR", "true"),
                                           ("BENAR", "false"))}
    assert len(names) == 5
    assert og_card.draw_card("Judul", "KIM Uji", "") != og_card.draw_card("Judul", "KIM Uji", "", "HOAKS", "false")


@pytest.mark.parametrize("verdict, tone", [("W" * 200, "false"), ("HOAKS", "no-such-tone"), ("\u202eHOAKS", "warn"),
                                           ("HOAKS", "")])
def test_worst_verdicts_still_draw_a_card(verdict, tone):
    data = og_card.draw_card("Kata " * 300, "K" * 500, "P" * 500, verdict, tone)
    with Image.open(io.BytesIO(data)) as card:
        assert card.size == (1200, 630) and card.format == "JPEG"
        # an unknown tone gets the amber stamp
        if tone in ("no-such-tone", ""):
            assert near(card.convert("RGB").getpixel((og_card.MARGIN + 8, og_card.MARGIN + 32)),
                        og_card.VERDICT_COLOURS["warn"])
