"""What a drawn share card costs, part by part, and what cheaper cards would cost.

    python benchmarks/cards.py            # 300 cards of each kind
    python benchmarks/cards.py --cards 1000

CPU time of this process (time.process_time), so that a busy machine inflates the figures
less than wall-clock time would. Reported per card: the news card and the verdict card as
kimsite draws them (1200×630 JPEG, quality 82), their parts (copying the per-KIM layer,
drawing the title, encoding), and the same drawing encoded in cheaper ways (lower quality,
half size 600×315, PNG), with the average size of each.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kimsite.media import og_card  # noqa: E402

WORDS = ("warga desa kecamatan posyandu balita jalan rusak bantuan sosial pendaftaran tautan pesan "
         "berantai kerja bakti panen raya musyawarah anggaran dana desa sekolah banjir").split()


def titles(count: int) -> list[str]:
    rng = random.Random(1)
    return [" ".join(rng.choices(WORDS, k=rng.randint(5, 14))).capitalize() + f" {n}" for n in range(count)]


def per_card(label: str, work, items: list[str]) -> tuple[str, float, float]:
    sizes = 0
    started = time.process_time()
    for title in items:
        sizes += len(work(title) or b"")
    seconds = time.process_time() - started
    return label, seconds / len(items) * 1000, sizes / len(items) / 1024


def encoded(image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, **options)
    return buffer.getvalue()


def drawn(title: str):
    """The news card's pixels before encoding (as og_card._draw makes them)."""
    from PIL import Image

    data = og_card.draw_card(title, "KIM Maju Bersama", "Kecamatan Maniis · Desa Citamiang")
    return Image.open(io.BytesIO(data)).convert("RGB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=300)
    count = parser.parse_args().cards
    items = titles(count)
    name, place = "KIM Maju Bersama", "Kecamatan Maniis · Desa Citamiang"
    og_card.draw_card("pemanasan", name, place)  # fonts and the per-KIM layers loaded once
    og_card.draw_card("pemanasan", name, place, "HOAKS", "false")
    background = og_card._background(name, place)
    sample = drawn(items[0])
    half = sample.resize((600, 315))
    rows = [
        per_card("news card (share_cards: article)", lambda t: og_card.draw_card(t, name, place), items),
        per_card("verdict card (every klarifikasi)", lambda t: og_card.draw_card(t, name, place, "HOAKS", "false"),
                 items),
        per_card("  part: copying the per-KIM layer", lambda t: background.copy() and b"", items),
        per_card("  part: JPEG q82 encoding, 1200×630", lambda t: encoded(sample, format="JPEG", quality=82), items),
        per_card("  cheaper: JPEG q60, 1200×630", lambda t: encoded(sample, format="JPEG", quality=60), items),
        per_card("  cheaper: JPEG q82 encoding, 600×315", lambda t: encoded(half, format="JPEG", quality=82), items),
        per_card("  dearer: PNG, 1200×630", lambda t: encoded(sample, format="PNG"), items),
    ]
    print(f"{count} cards each; CPU milliseconds per card (this process), average size")
    print("| card | ms | KB |\n|---|---:|---:|")
    for label, ms, kb in rows:
        print(f"| {label} | {ms:.2f} | {kb:.0f} |")


if __name__ == "__main__":
    main()
