"""`kimsite build` of a province portal of portals: 27 regency portals × 136 KIMs, all remote.

    python benchmarks/province_build.py                         # 27 × 136, 10 items per KIM feed
    python benchmarks/province_build.py --regencies 5 --kims 40 --rounds 1

The province workspace has no articles of its own: its portal lists, in one OPML file in
sites/, every regency's KIM feeds (grouped by regency and kecamatan, as each regency's kim.opml
is) and each regency's portal feed (category "portal"). What `kimsite fetch` would store is
written straight to feeds/ (remote.save): `--items` items per KIM feed and `--portal-items` per
portal feed, the portal's items being copies of its KIMs' newest (found and dropped as
duplicates by the build, as in real life). Each round builds cold (no _site/, no .kimsite/),
then again with nothing changed. Printed: seconds and peak RSS of each `python -m kimsite
build` (its own process; a build forks render workers whose memory is not counted here), the
number of remote items, and the largest pages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kimsite.fetch import remote  # noqa: E402

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
KECAMATAN_PER_REGENCY = 10
WORDS = ("warga desa gotong royong posyandu panen padi musyawarah balai jalan irigasi sekolah "
         "pasar bantuan sosial kesehatan ibu anak pemuda karang taruna lomba kebersihan").split()


def item(host: str, path: str, title: str, n: int, category: str = "") -> remote.RemoteItem:
    when = NOW - timedelta(days=n * 9 + len(title) % 7, hours=n)
    text = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(60))
    link = f"https://{host}/{path}"
    return remote.RemoteItem(id=link, title=title, link=link, summary=text[:200], html=f"<p>{text}</p>",
                             published=when, updated=when, author="", categories=(category,) if category else (),
                             first_seen=when)


def write_province(folder: Path, regencies: int, kims: int, items: int, portal_items: int) -> int:
    (folder / "sites").mkdir(parents=True)
    (folder / "kimsite.yaml").write_text("base_url: https://provinsi.example/\nlanguage: id\n"
                                         "timezone: Asia/Jakarta\n", encoding="utf-8")
    (folder / "sites/provinsi.yaml").write_text(
        "kind: portal\nname: Portal KIM Provinsi Contoh\nregion: Provinsi Contoh\nmembers:\n"
        "  - opml: sites/provinsi.opml\n", encoding="utf-8")
    outlines: list[str] = []
    stored = 0
    for r in range(regencies):
        host = f"kab-{r}.github.io"
        outlines.append(f'<outline text="Kabupaten {r}">')
        newest: list[remote.RemoteItem] = []
        for kecamatan in range(KECAMATAN_PER_REGENCY):
            outlines.append(f'  <outline text="Kecamatan K{r}-{kecamatan}">')
            for k in range(kecamatan, kims, KECAMATAN_PER_REGENCY):
                url = f"https://{host}/kim-{k}/feed.xml"
                name = f"KIM {r}-{k}"
                outlines.append(f'    <outline type="rss" text="{name}" xmlUrl="{url}" htmlUrl="https://{host}/kim-{k}/"/>')
                feed_items = tuple(item(host, f"kim-{k}/{n}/", f"Kabar {name} nomor {n}", n + k % 5)
                                   for n in range(items))
                newest.append(feed_items[0])
                remote.save(folder, url, remote.RemoteFeed(url=url, title=name, link=f"https://{host}/kim-{k}/",
                                                           items=feed_items, fetched_at=NOW, checked_at=NOW))
                stored += len(feed_items)
            outlines.append("  </outline>")
        outlines.append("</outline>")
        portal_url = f"https://{host}/feed.xml"
        outlines.append(f'<outline type="rss" category="portal" text="Kabupaten {r}" xmlUrl="{portal_url}" '
                        f'htmlUrl="https://{host}/"/>')
        newest.sort(key=lambda i: i.published, reverse=True)
        portal_feed_items = tuple(
            remote.RemoteItem(**{**{f: getattr(i, f) for f in i.__slots__}, "categories": (i.title.split(" nomor")[0][6:],)})
            for i in newest[:portal_items])
        remote.save(folder, portal_url, remote.RemoteFeed(url=portal_url, title=f"Portal Kabupaten {r}",
                                                          link=f"https://{host}/", items=portal_feed_items,
                                                          fetched_at=NOW, checked_at=NOW))
        stored += len(portal_feed_items)
    (folder / "sites/provinsi.opml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>Provinsi</title></head><body>\n'
        + "\n".join(outlines) + "\n</body></opml>\n", encoding="utf-8")
    return stored


def timed_build(folder: Path) -> tuple[float, float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KIMSITE_NOW": NOW.isoformat(), "KIMSITE_LANG": "en"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "kimsite", "build", "-C", str(folder)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(output)
    summary = next((line for line in output.splitlines() if " pages " in line), "")
    return seconds, usage.ru_maxrss / 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regencies", type=int, default=27)
    parser.add_argument("--kims", type=int, default=136)
    parser.add_argument("--items", type=int, default=10, help="items per KIM feed")
    parser.add_argument("--portal-items", type=int, default=50, help="items per regency portal feed")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kimsite")], check=False)
    with tempfile.TemporaryDirectory(prefix="kimsite-province-") as temporary:
        folder = Path(temporary) / "ws"
        started = time.perf_counter()
        stored = write_province(folder, args.regencies, args.kims, args.items, args.portal_items)
        print(f"workspace: {args.regencies} regencies × {args.kims} KIM feeds, {stored} remote items "
              f"(written in {time.perf_counter() - started:.1f} s)")
        cold, again, peaks = [], [], []
        last = ""
        for round_number in range(args.rounds):
            for name in ("_site", ".kimsite"):
                if (folder / name).exists():
                    (folder / name).rename(Path(temporary) / f"trash-{round_number}-{name.strip('.')}")
            seconds, peak, last = timed_build(folder)
            cold.append(seconds)
            peaks.append(peak)
            again.append(timed_build(folder)[0])
        pages = sorted(((path.stat().st_size, path.relative_to(folder / "_site").as_posix())
                        for path in (folder / "_site").rglob("*.html")), reverse=True)[:3]
        files = sum(1 for path in (folder / "_site").rglob("*") if path.is_file())
    print(f"kimsite: {last}")
    print("\n| build | median s | runs | peak RSS MB |")
    print("|---|---:|---|---:|")
    print(f"| province cold | {statistics.median(cold):.2f} | {', '.join(f'{s:.2f}' for s in cold)} | "
          f"{max(peaks):.0f} |")
    print(f"| province no-change | {statistics.median(again):.2f} | {', '.join(f'{s:.2f}' for s in again)} | |")
    print(f"\n{files} files; largest pages: " + ", ".join(f"{name} {size // 1024} KB" for size, name in pages))
    shutil.rmtree(Path(temporary), ignore_errors=True)


if __name__ == "__main__":
    main()
