"""Time `kimsite import` on a generated WordPress export of 1,000 posts (or --posts N).

    python benchmarks/import_1000.py
    python benchmarks/import_1000.py --posts 5000 --rounds 1

The export is WXR 1.2 with what real KIM blogs hold: three to six paragraphs per post, a
[caption] picture on every post and a second picture on every third, a table on every tenth, a
YouTube [embed] on every twentieth, categories and tags, comments, attachments, drafts and a
few trashed posts. Pictures are served from 127.0.0.1 (a small JPEG each, by the tests' server), so the download
path is the real one (guarded client, one connection per picture, four at a time).

Measured, each in a fresh workspace, as the `kimsite` program (process start included):
import without pictures (--no-images), import with pictures, then `kimsite check` and a cold
`kimsite build` of the imported workspace. Prints a table; the median of --rounds runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from import_helpers import LoopbackServer  # noqa: E402 (the tests' picture server)

CATEGORIES = ["Pemerintahan", "Kesehatan", "Pendidikan", "Ekonomi", "Lingkungan", "Sosial Budaya"]
TAGS = ["posyandu", "bansos", "musdes", "stunting", "umkm", "kerja bakti", "vaksin", "pilkades", "banjir"]
SENTENCE = ("Warga Desa Sukamaju berkumpul di balai desa untuk membahas {topic} bersama perangkat desa, "
            "kader dan pengurus KIM, lalu menyepakati langkah berikutnya untuk bulan depan.")


def generate_export(posts: int, base: str) -> str:
    items = []
    for number in range(1, posts + 1):
        year, month, day = 2014 + number % 10, 1 + number % 12, 1 + number % 28
        topic = TAGS[number % len(TAGS)]
        paragraphs = "\n\n".join(SENTENCE.format(topic=f"{topic} ({number}-{part})") for part in range(3 + number % 4))
        body = (f'[caption id="attachment_{100000 + number}" align="aligncenter" width="300"]'
                f'<img src="{base}/wp-content/uploads/{year}/{month:02d}/foto-{number}.jpg" alt="" width="300" />'
                f' Kegiatan {topic} nomor {number}[/caption]\n\n{paragraphs}')
        if number % 3 == 0:
            body += f'\n\n<img src="{base}/wp-content/uploads/{year}/{month:02d}/tambahan-{number}.jpg" alt="Suasana" />'
        if number % 10 == 0:
            body += ("\n\n<table><tr><th>Kegiatan</th><th>Anggaran</th></tr>"
                     "<tr><td>Jalan</td><td>Rp 150.000.000</td></tr></table>")
        if number % 20 == 0:
            body += "\n\n[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]"
        status = "draft" if number % 25 == 0 else "trash" if number % 97 == 0 else "publish"
        slug = f"kegiatan-{topic.replace(' ', '-')}-{number}"
        comments = "".join(f"<wp:comment><wp:comment_id>{number}{c}</wp:comment_id><wp:comment_content>"
                           f"<![CDATA[Terima kasih infonya]]></wp:comment_content><wp:comment_approved>1"
                           f"</wp:comment_approved></wp:comment>" for c in range(number % 3))
        items.append(f"""<item><title><![CDATA[Kegiatan {topic} di Sukamaju nomor {number}]]></title>
<link>https://kimsukamaju.desa.id/{year}/{month:02d}/{day:02d}/{slug}/</link><dc:creator><![CDATA[admin]]></dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{number}</wp:post_id><wp:post_date><![CDATA[{year}-{month:02d}-{day:02d} 09:{number % 60:02d}:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{year}-{month:02d}-{day:02d} 02:{number % 60:02d}:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status><![CDATA[{status}]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type><wp:post_password><![CDATA[]]></wp:post_password>
<category domain="category" nicename="c"><![CDATA[{CATEGORIES[number % len(CATEGORIES)]}]]></category>
<category domain="post_tag" nicename="t"><![CDATA[{topic}]]></category>{comments}</item>
<item><title>foto-{number}</title><wp:post_id>{100000 + number}</wp:post_id><wp:post_parent>{number}</wp:post_parent>
<wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url>{base}/wp-content/uploads/{year}/{month:02d}/foto-{number}.jpg</wp:attachment_url></item>""")
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>KIM Suka Maju</title>
<link>https://kimsukamaju.desa.id</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://kimsukamaju.desa.id</wp:base_blog_url>
<wp:author><wp:author_login>admin</wp:author_login><wp:author_display_name><![CDATA[Dedi Kurniawan]]></wp:author_display_name></wp:author>
{"".join(items)}</channel></rss>
"""


def workspace(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "kimsite.yaml").write_text(
        "base_url: https://diskominfo.github.io/kim/\nlanguage: id\ntimezone: Asia/Jakarta\n"
        "fetch:\n  allow_hosts: [\"127.0.0.1\"]\n", encoding="utf-8")
    return folder


def timed(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kimsite", *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"kimsite {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with LoopbackServer() as server:
        measure(options, server)


def measure(options: argparse.Namespace, server: LoopbackServer) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="kimsite-import-bench-"))
    try:
        export = scratch / "kimsukamaju.WordPress.xml"
        export.write_text(generate_export(options.posts, server.base), encoding="utf-8")
        size_mb = export.stat().st_size / 1048576
        results: dict[str, list[float]] = {}
        for round_number in range(options.rounds):
            plain = workspace(scratch / f"plain-{round_number}")
            results.setdefault("import --no-images", []).append(
                timed("import", str(export), "--kim", "kim-suka-maju", "--kecamatan", "Sukamaju", "--no-images",
                      "-C", str(plain)))
            full = workspace(scratch / f"full-{round_number}")
            results.setdefault("import (pictures from loopback)", []).append(
                timed("import", str(export), "--kim", "kim-suka-maju", "--kecamatan", "Sukamaju", "-C", str(full)))
            results.setdefault("check (imported workspace)", []).append(timed("check", "-C", str(full)))
            results.setdefault("build, cold (imported workspace)", []).append(
                timed("build", "-C", str(full), "-o", str(scratch / f"out-{round_number}")))
        articles = len(list((scratch / "full-0" / "content" / "kim-suka-maju").glob("*.md")))
        pictures = len(list((scratch / "full-0" / "content" / "kim-suka-maju" / "media").iterdir()))
        print(f"export: {options.posts} posts, {size_mb:.1f} MB; imported {articles} articles, {pictures} pictures; "
              f"median of {options.rounds} rounds")
        print(f"| {'step':<34} | {'seconds':>8} | {'posts/s':>8} |")
        print(f"| {'-' * 34} | {'-' * 8}:| {'-' * 8}:|")
        for label, values in results.items():
            median = statistics.median(values)
            print(f"| {label:<34} | {median:8.2f} | {options.posts / median:8.0f} |")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
