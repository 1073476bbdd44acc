"""`kimsite init`, `new-kim` and `new`: files a webmaster starts from, never overwriting any."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kimsite.base.dates import zone
from kimsite.workspace.git_remote import PLACEHOLDER_BASE_URL, derived_base_url
from kimsite.base.messages import message
from kimsite.base.problems import UsageError
from kimsite.base.slugs import slugify

WORKSPACE_CONFIG = """\
# Pengaturan workspace kimsite
# Alamat publik situs. Untuk GitHub Pages: https://NAMA-AKUN.github.io/NAMA-REPO/
# (workflow GitHub Actions memakai alamat Pages dengan sendirinya; kimsite deploy memakai nilai ini)
base_url: {base_url}
language: id            # bahasa situs: id (Indonesia) atau en (English)
timezone: Asia/Jakarta  # WIB. WITA: Asia/Makassar, WIT: Asia/Jayapura
theme: default
output: _site
markdown: default       # default (Python-Markdown) atau gfm (sama dengan pratinjau github.com)
"""

# .<output>.kimsite-*: what a build works in beside the output, and a replaced output while its
# own process deletes it (kimsite.write.trash): never to be committed by `git add .`.
GITIGNORE = "_site/\n.*.kimsite-*/\n.kimsite/\n__pycache__/\n"

# Git keeps no empty folder: without a file in it, media/ would not exist on github.com, where
# the guide has volunteers upload photos into it. Dotfiles are never published.
KEEP_FILE = ".gitkeep"
KEEP_TEXT = ("# Folder ini untuk foto dan berkas KIM (unggah di github.com: Add file → Upload files).\n"
             "# Berkas ini hanya menjaga agar folder tetap ada di git; tidak ikut diterbitkan.\n")

SITE_FILE = """\
# Data KIM. Kolom bertanda (wajib) harus diisi.
name: {name}                  # (wajib) nama lengkap KIM
kecamatan: {kecamatan}        # (wajib)
desa: {desa}
description: Kelompok Informasi Masyarakat {name_short} menyebarkan informasi pemerintah dan kabar desa.
# kode_wilayah: "32.14.12.2005"  # kode wilayah Kemendagri
# kim_id: ""                     # nomor registrasi KIM
# founded: 2020-01-15            # tanggal berdiri
# sk: "SK Kepala Desa No. ..."   # surat keputusan pembentukan
# pengurus:
#   - role: Ketua
#     name: Nama Ketua
# contact:
#   email: kim@example.id
#   whatsapp: "081234567890"
#   address: Jl. ..., Desa ..., Kecamatan ...
# social:
#   facebook: https://facebook.com/...
#   instagram: https://instagram.com/...
"""

ARTICLE = """\
---
# Judul artikel (wajib)
title: {title}
# Tanggal terbit (wajib), waktu setempat: TAHUN-BULAN-TANGGAL JAM:MENIT
date: {date}
# Ringkasan satu-dua kalimat: tampil di daftar artikel, feed dan saat dibagikan
summary: ""
# Satu kategori, misalnya Pemerintahan, Kesehatan, Pendidikan, Ekonomi, Lingkungan
category: {category}
# Beberapa tag, dipisah koma di dalam kurung siku
tags: []
# Nama penulis (hapus tanda # di depannya); tanpa nama, KIM ini yang tercatat sebagai penulis
# author: Nama Penulis
# Gambar utama (taruh berkasnya di folder media/) dan keterangannya untuk pembaca tunanetra
# image: media/nama-foto.jpg
# image_alt: Warga bergotong royong membersihkan saluran air
# Hapus tanda # di depan draft: true agar artikel belum diterbitkan
# draft: true
# Tanggal pembaruan, bila isi diubah setelah terbit
# updated: {date}
# Alamat pendek artikel (default: dari nama berkas, tanpa tanggal)
# slug: judul-singkat
{type_fields}---

Tulis isi artikel di sini. Pisahkan paragraf dengan satu baris kosong.

## Subjudul

- Daftar dimulai dengan tanda hubung
- Tautan: [teks tautan](https://contoh.go.id)
"""

# The category each type is filed under, as the demo and the sections name them.
TYPE_CATEGORY = {"berita": "Berita Desa", "klarifikasi": "Cek Fakta", "agenda": "Agenda", "produk": "Potensi Desa"}

TYPE_FIELDS = {
    "berita": """\
# Jenis tulisan: berita (bawaan), klarifikasi, agenda atau produk
# type: berita
""",
    "klarifikasi": """\
# Jenis tulisan: klarifikasi hoaks
type: klarifikasi
# Klaim persis seperti yang beredar (wajib)
klaim: ""
# Tempat klaim beredar, misalnya Grup WhatsApp warga, Facebook
sumber_klaim: ""
# Kapan klaim mulai beredar
tanggal_klaim: {day}
# Putusan (wajib): HOAKS, SALAH, DISINFORMASI, MISINFORMASI, MENYESATKAN atau BENAR
label: HOAKS
# Tautan klarifikasi resmi
rujukan:
  - judul: Klarifikasi resmi
    url: https://www.komdigi.go.id/
""",
    "agenda": """\
# Jenis tulisan: agenda kegiatan
type: agenda
# Waktu mulai (wajib) dan selesai
mulai: {date}
selesai: {date}
# Tempat kegiatan (wajib)
tempat: Balai Desa
penyelenggara: ""
""",
    "produk": """\
# Jenis tulisan: produk desa
type: produk
# Harga dalam rupiah: 75000 atau rentang "25000-40000"
harga:
# Nama pembuat atau penjual (wajib)
produsen: ""
desa: ""
# Nomor WhatsApp pemesanan: 08..., +62... atau 62...
whatsapp: ""
""",
}

EXAMPLE_PAGE = """\
---
title: Tentang Kami
menu_order: 1
---

Ceritakan siapa KIM ini, apa kegiatannya, dan bagaimana warga dapat menghubungi pengurus.
"""


def _write_new(path: Path, text: str, lang: str, created: list[str], root: Path) -> None:
    if path.exists():
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path
        raise UsageError(message("file_exists", lang, path=shown), exit_code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    created.append(message("created", lang, path=path.relative_to(root).as_posix()))


def init_workspace(directory: Path, lang: str, ci_only: bool = False) -> list[str]:
    directory = directory.resolve()
    created: list[str] = []
    if ci_only:
        from kimsite.commands.deploy import write_workflow

        return write_workflow(directory, lang)
    if (directory / "kimsite.yaml").exists():
        raise UsageError(message("init_exists", lang, path=directory), exit_code=1)
    from kimsite.workspace.config import workspace_above

    enclosing = workspace_above(directory)
    if enclosing is not None:  # a workspace inside another one's content/ is never what was meant
        raise UsageError(message("init_inside_workspace", lang, path=directory, workspace=enclosing), exit_code=1)
    directory.mkdir(parents=True, exist_ok=True)
    derived = derived_base_url(directory)
    base_url = derived or PLACEHOLDER_BASE_URL
    _write_new(directory / "kimsite.yaml", WORKSPACE_CONFIG.format(base_url=base_url), lang, created, directory)
    created.append(message("init_base_url_remote" if derived else "init_base_url_placeholder", lang, url=base_url))
    if not (directory / ".gitignore").exists():
        _write_new(directory / ".gitignore", GITIGNORE, lang, created, directory)
    created += new_kim(directory, "KIM Contoh", "Contoh", "Desa Contoh", "kim-contoh", lang, quiet=True)
    now = datetime.now(zone("Asia/Jakarta")).replace(second=0, microsecond=0)
    _write_new(directory / "content" / "kim-contoh" / f"{now:%Y-%m-%d}-selamat-datang.md",
               ARTICLE.format(title="Selamat Datang di Situs KIM Contoh", date=f"{now:%Y-%m-%d %H:%M}",
                              type_fields="", category=TYPE_CATEGORY["berita"]).replace('summary: ""', "summary: Artikel pertama situs ini."),
               lang, created, directory)
    try:
        from kimsite.commands.deploy import write_workflow

        created += write_workflow(directory, lang)
    except ImportError:
        pass
    created.append(message("init_done", lang, path=directory))
    return created


def new_kim(workspace: Path, name: str, kecamatan: str, desa: str, slug: str | None, lang: str,
            quiet: bool = False) -> list[str]:
    workspace = workspace.resolve()
    if not quiet:
        _require_workspace(workspace, lang)
    slug = slugify(slug or name)
    if not slug:
        raise UsageError(message("site_slug_invalid", lang, value=name))
    site_path = workspace / "sites" / f"{slug}.yaml"
    if site_path.exists():
        raise UsageError(message("new_kim_exists", lang, slug=slug, path=f"sites/{slug}.yaml"), exit_code=1)
    created: list[str] = []
    short = name[4:] if name.upper().startswith("KIM ") else name
    _write_new(workspace / "sites" / f"{slug}.yaml",
               SITE_FILE.format(name=_yaml_text(name), kecamatan=_yaml_text(kecamatan), desa=_yaml_text(desa),
                                name_short=short),
               lang, created, workspace)
    _write_new(workspace / "content" / slug / "halaman" / "tentang.md", EXAMPLE_PAGE, lang, created, workspace)
    keep = workspace / "content" / slug / "media" / KEEP_FILE
    if not keep.exists():
        _write_new(keep, KEEP_TEXT, lang, created, workspace)
    if not quiet:
        created.append(message("new_kim_next_steps", lang, path=f"sites/{slug}.yaml", slug=slug))
    return created


def new_article(workspace: Path, title: str, kim: str, kind: str, when: str | None, lang: str) -> list[str]:
    workspace = workspace.resolve()
    _require_workspace(workspace, lang)
    site_file = workspace / "sites" / f"{kim}.yaml"
    if not site_file.exists():
        choices = ", ".join(_local_kims(workspace)) or "-"
        raise UsageError(message("kim_unknown", lang, slug=kim, choices=choices))
    _require_local_kim(workspace, kim, site_file, lang)
    tz_name = _workspace_timezone(workspace)
    if when:
        from kimsite.base.dates import DateError, parse_datetime

        try:
            moment = parse_datetime(when, zone(tz_name))
        except DateError as exc:
            raise UsageError(message(exc.code, lang, field="--date", **exc.args_for_message)) from None
    else:
        moment = datetime.now(zone(tz_name)).replace(second=0, microsecond=0)
    slug = slugify(title)
    if not slug:
        raise UsageError(message("slug_invalid", lang, value=title))
    date_text = f"{moment:%Y-%m-%d %H:%M}"
    fields = TYPE_FIELDS[kind].format(date=date_text, day=f"{moment:%Y-%m-%d}")
    path = workspace / "content" / kim / f"{moment:%Y-%m-%d}-{slug}.md"
    created: list[str] = []
    _write_new(path, ARTICLE.format(title=_yaml_text(title), date=date_text, type_fields=fields,
                                         category=TYPE_CATEGORY[kind]), lang, created,
               workspace)
    created.append(message("new_next_steps", lang, path=path.relative_to(workspace).as_posix()))
    return created


def _require_workspace(workspace: Path, lang: str) -> None:
    if not (workspace / "kimsite.yaml").is_file():
        from kimsite.workspace.config import missing_workspace

        code, args = missing_workspace(workspace, "new_no_workspace")
        raise UsageError(message(code, lang, **args), exit_code=1)


def _site_kind(site_file: Path) -> tuple[str, bool]:
    """(kind, hosted elsewhere) of a site file, read leniently: the build reports its problems."""
    from kimsite.base.yamlio import load_mapping

    try:
        doc, _ = load_mapping(site_file.read_text(encoding="utf-8-sig", errors="replace"), site_file.name)
    except OSError:
        return "kim", False
    if doc is None:
        return "kim", False
    kind = str(doc.data.get("kind") or "kim").strip().lower()
    return kind, bool(doc.data.get("feed"))


def _local_kims(workspace: Path) -> list[str]:
    return sorted(p.stem for p in (workspace / "sites").glob("*.yaml")
                  if _site_kind(p) == ("kim", False))


def _require_local_kim(workspace: Path, kim: str, site_file: Path, lang: str) -> None:
    kind, remote = _site_kind(site_file)
    if kind == "portal":
        raise UsageError(message("new_kim_is_portal", lang, slug=kim))
    if remote:
        raise UsageError(message("new_kim_remote", lang, slug=kim))


def _yaml_text(value: str) -> str:
    """A YAML scalar that stays text whatever it contains."""
    import json

    plain = value and value.strip() == value and not any(c in value for c in ":#'\"{}[],&*!|>%@`") \
        and value.lower() not in ("yes", "no", "true", "false", "null", "on", "off", "~")
    return value if plain and not value[0].isdigit() else json.dumps(value, ensure_ascii=False)


def _workspace_timezone(workspace: Path) -> str:
    from kimsite.workspace.config import load_workspace_config

    config, _ = load_workspace_config(workspace)
    return config.timezone if config else "Asia/Jakarta"
