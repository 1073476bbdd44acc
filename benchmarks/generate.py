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


VERDICTS = ("HOAKS", "SALAH", "MENYESATKAN", "BENAR")


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
            # One article in 50 is a hoax clarification (kimsite draws a verdict card for each by
            # default); chosen without the random generator, so the rest of the corpus is unchanged.
            "verdict": VERDICTS[number // 50 % len(VERDICTS)] if number % 50 == 25 else "",
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
        kind = (f"type: klarifikasi\nklaim: {json.dumps(item['summary'], ensure_ascii=False)}\n"
                f"label: {item['verdict']}\n" if item["verdict"] else "")
        text = (f"---\ntitle: {item['title']}\ndate: {item['date']:%Y-%m-%d %H:%M}\n{kind}"
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

# Two template sets for Hugo, as themes. "comparable" puts on every page what kimsite's default
# theme does (description, canonical link, Open Graph and Twitter tags, JSON-LD for articles,
# skip link, masthead with search form and menu, footer; on articles a category kicker, reading
# time, lead, share links and labelled neighbours; cards on lists), so Hugo's templates do work
# comparable to kimsite's. "minimal" is the bare set of earlier runs, still built so that its
# ratios stay visible.
MINIMAL_BASEOF = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ .Title }} – {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head><body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>
"""
MINIMAL_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "Monday, 2 January 2006 15.04" }} · {{ .Params.author }}</p>
{{ with .Params.categories }}{{ range . }}<a href="{{ (site.GetPage (printf "/categories/%s" (urlize .))).RelPermalink }}">{{ . }}</a>{{ end }}{{ end }}
<p>{{ .Summary }}</p>{{ .Content }}
<p>{{ range .Params.tags }}<a href="{{ (site.GetPage (printf "/tags/%s" (urlize .))).RelPermalink }}">#{{ . }}</a> {{ end }}</p>
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}
"""
MINIMAL_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range (.Paginate .RegularPagesRecursive).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "2 January 2006" }} · {{ .Params.summary }}</p></article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
"""
HUGO_TERMS = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
"""


COMPARABLE_BASEOF = """<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}{{ with .CurrentSection }}{{ if ne .Title $.Title }} – {{ .Title }}{{ end }}{{ end }}</title>
{{ $description := (or .Params.summary .CurrentSection.Title) | truncate 300 }}<meta name="description" content="{{ $description }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="data:,">
{{ with .CurrentSection.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" title="{{ $.CurrentSection.Title }} (RSS)" href="{{ .RelPermalink }}">{{ end }}
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ $description }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:site_name" content="{{ .CurrentSection.Title }}">
<meta property="og:locale" content="id_ID">
<meta property="og:image" content="{{ .CurrentSection.Permalink }}og.jpg">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta property="og:image:alt" content="{{ .Title }}">
{{ if .IsPage }}<meta property="article:published_time" content="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">
<meta property="article:modified_time" content="{{ .Lastmod.Format "2006-01-02T15:04:05-07:00" }}">
{{ end }}<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{{ .Title }}">
<meta name="twitter:description" content="{{ $description }}">
<meta name="twitter:image" content="{{ .CurrentSection.Permalink }}og.jpg">
<meta name="twitter:image:alt" content="{{ .Title }}">
{{ if .IsPage }}<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "NewsArticle" "headline" .Title "description" $description "datePublished" (.Date.Format "2006-01-02T15:04:05-07:00") "dateModified" (.Lastmod.Format "2006-01-02T15:04:05-07:00") "author" (dict "@type" "Person" "name" .Params.author) "publisher" (dict "@type" "Organization" "name" .CurrentSection.Title "url" .CurrentSection.Permalink "logo" (dict "@type" "ImageObject" "url" (printf "%sog.jpg" .CurrentSection.Permalink))) "image" (slice (printf "%sog.jpg" .CurrentSection.Permalink)) "mainEntityOfPage" .Permalink "url" .Permalink "inLanguage" "id" "articleSection" (index .Params.categories 0) "keywords" (delimit .Params.tags ", ") | jsonify | safeJS }}</script>
{{ end }}</head>
<body>
<a class="skip" href="#isi">Langsung ke isi</a>
<header class="masthead">
  <div class="wrap">
    <p class="brand"><a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></p>
    <p class="where">Kecamatan {{ .CurrentSection.Title }}</p>
<form class="search" action="{{ .CurrentSection.RelPermalink }}cari/" role="search"><input type="search" name="q" aria-label="Cari artikel" placeholder="Kata kunci…"><button type="submit">Cari</button></form>
  </div>
  <nav class="menu" aria-label="Menu">
    <ul class="wrap">
      <li><a href="{{ .CurrentSection.RelPermalink }}">Beranda</a></li>
      <li><a href="{{ .CurrentSection.RelPermalink }}profil/">Profil</a></li>
    </ul>
  </nav>
</header>
<main id="isi" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap"><p>{{ .CurrentSection.Title }} · {{ site.Title }}</p>
<p><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a> · <a href="{{ .CurrentSection.RelPermalink }}index.xml">RSS</a></p></div></footer>
</body>
</html>
"""
COMPARABLE_SINGLE = """{{ define "main" }}<article class="post">
  <header>
    {{ range first 1 .Params.categories }}<p class="kicker"><a href="{{ (site.GetPage (printf "/categories/%s" (urlize .))).RelPermalink }}">{{ . }}</a></p>{{ end }}
    <h1>{{ .Title }}</h1>
    <p class="meta">
      <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "Monday, 2 January 2006 15.04" }} WIB</time>
      <br>Oleh {{ .Params.author }} · {{ .ReadingTime }} menit baca
    </p>
    <p class="lead">{{ .Params.summary }}</p>
  </header>
  <div class="body">
{{ .Content }}
  </div>
  <p class="tags">Tagar: {{ range .Params.tags }}<a href="{{ (site.GetPage (printf "/tags/%s" (urlize .))).RelPermalink }}">#{{ . }}</a> {{ end }}</p>
  {{ $url := .Permalink | urlquery }}{{ $text := printf "%s %s" .Title .Permalink | urlquery }}{{ $title := .Title | urlquery }}
  <nav class="share" aria-label="Bagikan">
  <p class="share-title">Bagikan:</p>
  <ul>
    <li><a class="share-wa" href="https://wa.me/?text={{ $text }}" rel="noopener">WhatsApp</a></li>
    <li><a class="share-fb" href="https://www.facebook.com/sharer/sharer.php?u={{ $url }}" rel="noopener">Facebook</a></li>
    <li><a class="share-tg" href="https://t.me/share/url?url={{ $url }}&amp;text={{ $title }}" rel="noopener">Telegram</a></li>
    <li><a class="share-x" href="https://twitter.com/intent/tweet?url={{ $url }}&amp;text={{ $title }}" rel="noopener">X</a></li>
    <li><a class="share-mail" href="mailto:?subject={{ $title }}&amp;body={{ $text }}">Surel</a></li>
  </ul>
  </nav>
</article>
<nav class="neighbours">
  {{ with .NextInSection }}<a class="newer" href="{{ .RelPermalink }}"><small>Lebih baru</small>{{ .Title }}</a>{{ end }}
  {{ with .PrevInSection }}<a class="older" href="{{ .RelPermalink }}"><small>Lebih lama</small>{{ .Title }}</a>{{ end }}
</nav>{{ end }}
"""
COMPARABLE_LIST = """{{ define "main" }}<h1 class="section-title">{{ .Title }}</h1>
{{ range (.Paginate .RegularPagesRecursive).Pages }}
<article class="card">
  <h2 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "Monday, 2 January 2006" }}</time>{{ range first 1 .Params.categories }} · {{ . }}{{ end }}</p>
  <p class="summary">{{ .Params.summary }}</p>
</article>{{ end }}
{{ template "_internal/pagination.html" . }}{{ end }}
"""
HUGO_THEMES = {
    "comparable": {"baseof": COMPARABLE_BASEOF, "single": COMPARABLE_SINGLE, "list": COMPARABLE_LIST,
                   "terms": HUGO_TERMS},
    "minimal": {"baseof": MINIMAL_BASEOF, "single": MINIMAL_SINGLE, "list": MINIMAL_LIST, "terms": HUGO_TERMS},
}


def write_hugo(out: Path, items: list[dict], kim_slugs: list[str]) -> None:
    out.mkdir(parents=True)
    (out / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for theme, templates in HUGO_THEMES.items():  # built with `hugo --theme <name>`
        folder = out / "themes" / theme / "layouts" / "_default"
        folder.mkdir(parents=True)
        for name, text in templates.items():
            (folder / f"{name}.html").write_text(text, encoding="utf-8")
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


def turns_options(description: str, articles: int) -> argparse.ArgumentParser:
    """The options of a benchmark that builds a generated corpus in rounds, this checkout and
    another one (`--compare DIR`) taking turns."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--articles", type=int, default=articles)
    parser.add_argument("--kims", type=int, default=136)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="a kimsite checkout to run too, taking turns")
    return parser


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
