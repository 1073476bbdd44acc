"""Synthetic regency workspaces for benchmarks: N articles over K KIMs, plus the same
corpus laid out for Hugo and Pelican so all three build comparable sites.

    python benchmarks/generate.py --articles 10000 --kims 136 --out benchmarks/work/10000

Articles are 3–6 KB of Indonesian-like text with headings, lists, links and
emphasis; each has a category, 1–4 tags, an author and a date over two years.
Output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

KECAMATAN = ["Babakancikao", "Bojong", "Bungursari", "Campaka", "Cibatu", "Darangdan", "Jatiluhur",
             "Kiarapedes", "Maniis", "Pasawahan", "Plered", "Pondoksalam", "Purwakarta", "Sukasari",
             "Sukatani", "Tegalwaru", "Wanayasa"]
CATEGORIES = ["Pemerintahan", "Kesehatan", "Pendidikan", "Ekonomi", "Lingkungan", "Pertanian",
              "Sosial Budaya", "Cek Fakta", "Agenda", "Potensi Desa"]
TAGS = ["posyandu", "umkm", "bansos", "irigasi", "gotong royong", "wisata", "hoaks", "pilkada", "sekolah",
        "banjir", "jalan desa", "kesehatan", "pertanian", "koperasi", "karang taruna", "pkk", "bumdes",
        "internet desa", "sampah", "air bersih", "stunting", "vaksinasi", "pasar", "nelayan", "keramik",
        "kopi", "padi", "ternak", "budaya", "olahraga"]
WORDS = ("warga desa kecamatan kabupaten pemerintah program bantuan kegiatan masyarakat informasi "
         "pelayanan kesehatan pendidikan sekolah anak ibu bapak kepala dusun rukun tetangga jalan "
         "saluran air sawah panen petani pasar harga beras minyak gotong royong kerja bakti posyandu "
         "balita imunisasi vaksin puskesmas bidan kader relawan pemuda karang taruna olahraga lomba "
         "tujuh belas agustus musyawarah anggaran dana desa pembangunan jembatan irigasi sungai waduk "
         "ikan nelayan keramba wisata pengunjung kerajinan keramik tanah liat koperasi usaha mikro "
         "kecil menengah pelatihan digital internet sinyal aplikasi pendaftaran dokumen kependudukan "
         "kartu keluarga akta kelahiran hoaks klarifikasi pesan berantai grup media sosial resmi").split()


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    if rng.random() < 0.15:
        index = rng.randrange(len(words))
        words[index] = f"**{words[index]}**"
    if rng.random() < 0.08:
        index = rng.randrange(len(words))
        words[index] = f"[{words[index]}](https://purwakartakab.go.id/{words[index]})"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random) -> str:
    target = rng.randint(3000, 6000)
    parts: list[str] = []
    size = 0
    while size < target:
        roll = rng.random()
        if roll < 0.1 and parts:
            block = "## " + " ".join(rng.choices(WORDS, k=4)).capitalize()
        elif roll < 0.18:
            block = "\n".join("- " + sentence(rng) for _ in range(rng.randint(3, 5)))
        else:
            block = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        parts.append(block)
        size += len(block) + 2
    return "\n\n".join(parts) + "\n"


def corpus(articles: int, kims: int, seed: int):
    rng = random.Random(seed)
    start = datetime(2024, 11, 1, 7, 0)
    kim_slugs = [f"kim-{i:03d}-{KECAMATAN[i % len(KECAMATAN)].lower()}" for i in range(kims)]
    for number in range(articles):
        kim = kim_slugs[number % kims]
        moment = start + timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
        title_words = rng.choices(WORDS, k=rng.randint(5, 9))
        title = " ".join(title_words).capitalize() + f" {number}"
        slug = f"{'-'.join(title_words[:5])}-{number}"
        yield {
            "kim": kim, "date": moment, "title": title, "slug": slug,
            "summary": sentence(rng), "category": rng.choice(CATEGORIES),
            "tags": sorted(set(rng.sample(TAGS, rng.randint(1, 4)))),
            "author": rng.choice(["Siti Aminah", "Dedi Supriadi", "Rina Marlina", "Asep Hidayat", "Nurhayati"]),
            "body": body(rng),
        }, kim_slugs


def write_kimsite(out: Path, items: list[dict], kim_slugs: list[str], kims: int) -> None:
    (out / "sites").mkdir(parents=True)
    (out / "kimsite.yaml").write_text(
        "base_url: https://bench.example.id/\nlanguage: id\ntimezone: Asia/Jakarta\n"
        "theme: default\noutput: _site\nmarkdown: default\n", encoding="utf-8")
    for index, slug in enumerate(kim_slugs):
        kecamatan = KECAMATAN[index % len(KECAMATAN)]
        (out / "sites" / f"{slug}.yaml").write_text(
            f"name: KIM {slug[8:].title()} {index}\nkecamatan: {kecamatan}\ndesa: Desa {index}\n", encoding="utf-8")
    (out / "sites" / "portal.yaml").write_text(
        "kind: portal\nname: Portal KIM Kabupaten Contoh\nregion: Kabupaten Contoh\n"
        f"kecamatan: [{', '.join(KECAMATAN)}]\nmembers: all\n", encoding="utf-8")
    for item in items:
        folder = out / "content" / item["kim"]
        folder.mkdir(parents=True, exist_ok=True)
        tags = ", ".join(item["tags"])
        text = (f"---\ntitle: {item['title']}\ndate: {item['date']:%Y-%m-%d %H:%M}\n"
                f"summary: {json.dumps(item['summary'], ensure_ascii=False)}\n"
                f"category: {item['category']}\ntags: [{tags}]\nauthor: {item['author']}\n---\n\n{item['body']}")
        (folder / f"{item['date']:%Y-%m-%d}-{item['slug']}.md").write_text(text, encoding="utf-8")


HUGO_CONFIG = """baseURL = "https://bench.example.id/"
languageCode = "id"
title = "Portal KIM"
disableKinds = ["robotsTXT"]
[pagination]
  pagerSize = 10
[taxonomies]
  category = "categories"
  tag = "tags"
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS"]
[services.rss]
  limit = 20
[markup.goldmark.renderer]
  unsafe = true
"""

HUGO_BASEOF = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ .Title }} – {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "Monday, 2 January 2006 15.04" }} · {{ .Params.author }}</p>
{{ with .Params.categories }}{{ range . }}<a href="{{ (site.GetPage (printf "/categories/%s" (urlize .))).RelPermalink }}">{{ . }}</a>{{ end }}{{ end }}
<p>{{ .Summary }}</p>{{ .Content }}
<p>{{ range .Params.tags }}<a href="{{ (site.GetPage (printf "/tags/%s" (urlize .))).RelPermalink }}">#{{ . }}</a> {{ end }}</p>
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range (.Paginate .RegularPagesRecursive).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "2 January 2006" }} · {{ .Params.summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
"""
HUGO_TERMS = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
"""


def write_hugo(out: Path, items: list[dict], kim_slugs: list[str]) -> None:
    (out / "layouts" / "_default").mkdir(parents=True)
    (out / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (out / "layouts" / "_default" / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (out / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (out / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (out / "layouts" / "_default" / "terms.html").write_text(HUGO_TERMS, encoding="utf-8")
    for slug in kim_slugs:
        (out / "content" / slug).mkdir(parents=True, exist_ok=True)
        (out / "content" / slug / "_index.md").write_text(f"---\ntitle: {slug}\n---\n", encoding="utf-8")
    for item in items:
        tags = ", ".join(f'"{t}"' for t in item["tags"])
        text = (f"---\ntitle: \"{item['title']}\"\ndate: {item['date']:%Y-%m-%dT%H:%M:00+07:00}\n"
                f"summary: {json.dumps(item['summary'], ensure_ascii=False)}\ncategories: [\"{item['category']}\"]\ntags: [{tags}]\n"
                f"author: \"{item['author']}\"\nurl: /{item['kim']}/{item['date']:%Y/%m}/{item['slug']}/\n---\n\n"
                f"{item['body']}")
        (out / "content" / item["kim"] / f"{item['slug']}.md").write_text(text, encoding="utf-8")


PELICAN_CONFIG = """AUTHOR = "KIM"
SITENAME = "Portal KIM"
SITEURL = "https://bench.example.id"
PATH = "content"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
DEFAULT_PAGINATION = 10
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
TAG_FEED_RSS = "feeds/tag-{slug}.rss.xml"
FEED_MAX_ITEMS = 20
ARTICLE_URL = "{category}/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{date:%Y}/{date:%m}/{slug}/index.html"
RELATIVE_URLS = False
LOAD_CONTENT_CACHE = False
"""


def write_pelican(out: Path, items: list[dict]) -> None:
    (out / "content").mkdir(parents=True)
    (out / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    for item in items:
        text = (f"Title: {item['title']}\nDate: {item['date']:%Y-%m-%d %H:%M}\nCategory: {item['kim']}\n"
                f"Tags: {', '.join(item['tags'])}\nAuthor: {item['author']}\nSummary: {item['summary']}\n"
                f"Slug: {item['slug']}\n\n{item['body']}")
        (out / "content" / f"{item['date']:%Y-%m-%d}-{item['slug']}.md").write_text(text, encoding="utf-8")


def generate(out: Path, articles: int, kims: int, seed: int = 1) -> None:
    if out.exists():
        shutil.rmtree(out)
    items: list[dict] = []
    kim_slugs: list[str] = []
    for item, kim_slugs in corpus(articles, kims, seed):
        items.append(item)
    write_kimsite(out / "kimsite", items, kim_slugs, kims)
    write_hugo(out / "hugo", items, kim_slugs)
    write_pelican(out / "pelican", items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--kims", type=int, default=136)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generate(args.out, args.articles, args.kims, args.seed)
    print(f"{args.articles} articles over {args.kims} KIMs -> {args.out}")


if __name__ == "__main__":
    main()
