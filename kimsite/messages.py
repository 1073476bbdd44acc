"""Messages shown to webmasters, in Indonesian (default) and English.

Every message says what is wrong and what to do about it. Keys are stable;
tests and `kimsite check --format json` use them as codes.
"""

from __future__ import annotations

import os

# key: (Indonesian, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "label_error": ("galat", "error"),
    "label_warning": ("peringatan", "warning"),
    # --- reading files -------------------------------------------------------
    "file_unreadable": (
        "berkas tidak dapat dibaca ({reason})",
        "the file cannot be read ({reason})",
    ),
    "file_too_large": (
        "berkas terlalu besar ({size} MB; batasnya {limit} MB): pecah menjadi beberapa artikel",
        "the file is too large ({size} MB; the limit is {limit} MB): split it into several articles",
    ),
    "file_binary": (
        "berkas ini bukan teks (berisi data biner): simpan artikel sebagai teks UTF-8",
        "this file is not text (it holds binary data): save the article as UTF-8 text",
    ),
    "file_not_utf8": (
        "berkas tidak tersimpan sebagai UTF-8 ({encoding} dipakai sebagai gantinya): simpan ulang sebagai UTF-8",
        "the file is not saved as UTF-8 ({encoding} was used instead): save it again as UTF-8",
    ),
    "file_utf16": (
        "berkas tersimpan sebagai UTF-16: simpan ulang sebagai UTF-8",
        "the file is saved as UTF-16: save it again as UTF-8",
    ),
    "file_control_chars": (
        "berkas berisi karakter kendali yang tak terlihat; karakter itu dibuang",
        "the file contains invisible control characters; they were removed",
    ),
    "symlink_outside": (
        "tautan simbolik menunjuk ke luar workspace ({target}); berkas ini dilewati",
        "a symbolic link points outside the workspace ({target}); the file is skipped",
    ),
    "symlink_loop": (
        "tautan simbolik berputar atau rusak; berkas ini dilewati",
        "a symbolic link loops or is broken; the file is skipped",
    ),
    # --- YAML ----------------------------------------------------------------
    "yaml_syntax": (
        "YAML tidak valid: {detail}",
        "invalid YAML: {detail}",
    ),
    "yaml_duplicate_key": (
        "kunci \"{key}\" muncul dua kali (pertama di baris {first}): hapus salah satunya",
        "the key \"{key}\" appears twice (first on line {first}): remove one of them",
    ),
    "yaml_alias": (
        "anchor/alias YAML (& dan *) tidak didukung di sini: tulis nilainya langsung",
        "YAML anchors/aliases (& and *) are not supported here: write the value out",
    ),
    "yaml_tag": (
        "tag YAML \"{tag}\" tidak diizinkan: hapus tag itu",
        "the YAML tag \"{tag}\" is not allowed: remove it",
    ),
    "yaml_not_mapping": (
        "isi berkas harus berupa daftar kunci: nilai (mapping), bukan {kind}",
        "the file must hold key: value pairs (a mapping), not {kind}",
    ),
    # --- front matter ----------------------------------------------------------
    "fm_missing": (
        "artikel harus diawali front matter di antara dua baris \"---\" (judul dan tanggal)",
        "an article must start with front matter between two \"---\" lines (title and date)",
    ),
    "fm_unclosed": (
        "front matter dibuka dengan \"---\" tetapi tidak pernah ditutup: tambahkan baris \"---\" setelah data",
        "the front matter opens with \"---\" but is never closed: add a \"---\" line after it",
    ),
    "fm_empty_file": (
        "berkas kosong: isi dengan front matter (title, date) dan teks artikel, atau hapus berkasnya",
        "the file is empty: add front matter (title, date) and the article text, or delete the file",
    ),
    "field_required": (
        "\"{field}\" wajib diisi",
        "\"{field}\" is required",
    ),
    "field_unknown": (
        "kunci \"{field}\" tidak dikenal dan diabaikan{hint}",
        "the key \"{field}\" is unknown and ignored{hint}",
    ),
    "field_alias_twice": (
        "\"{field}\" dan \"{alias}\" berarti sama: pakai salah satunya saja",
        "\"{field}\" and \"{alias}\" mean the same: use only one of them",
    ),
    "field_not_text": (
        "{field}: harus berupa teks, bukan {kind}",
        "{field}: must be text, not {kind}",
    ),
    "field_empty": (
        "{field}: tidak boleh kosong",
        "{field}: must not be empty",
    ),
    "field_too_long": (
        "{field}: terlalu panjang ({length} karakter; maksimal {limit})",
        "{field}: too long ({length} characters; at most {limit})",
    ),
    "field_not_bool": (
        "{field}: harus true atau false, bukan \"{value}\"",
        "{field}: must be true or false, not \"{value}\"",
    ),
    "field_not_int": (
        "{field}: harus bilangan bulat, bukan \"{value}\"",
        "{field}: must be a whole number, not \"{value}\"",
    ),
    "field_not_list": (
        "{field}: harus berupa daftar, misalnya [satu, dua]",
        "{field}: must be a list, for example [one, two]",
    ),
    "field_tags_string": (
        "{field}: tulis sebagai daftar, misalnya [banjir, bantuan]; teks \"{value}\" dibaca sebagai daftar yang dipisah koma",
        "{field}: write it as a list, for example [flood, aid]; the text \"{value}\" was read as a comma-separated list",
    ),
    "field_bad_choice": (
        "{field}: \"{value}\" tidak dikenal; pilih salah satu dari: {choices}",
        "{field}: \"{value}\" is unknown; choose one of: {choices}",
    ),
    "field_bad_url": (
        "{field}: \"{value}\" bukan alamat web yang valid (harus diawali http:// atau https://)",
        "{field}: \"{value}\" is not a valid web address (it must start with http:// or https://)",
    ),
    "date_invalid": (
        "{field}: \"{value}\" bukan tanggal yang valid (tulis seperti 2021-12-21 atau 2021-12-21 10:05)",
        "{field}: \"{value}\" is not a valid date (write it like 2021-12-21 or 2021-12-21 10:05)",
    ),
    "date_out_of_range": (
        "{field}: tahun {year} di luar rentang yang masuk akal (1945–2100)",
        "{field}: the year {year} is outside the sensible range (1945–2100)",
    ),
    "date_updated_before": (
        "updated: tanggal pembaruan lebih awal dari tanggal terbit",
        "updated: the update date is earlier than the publication date",
    ),
    "slug_invalid": (
        "slug \"{value}\" tidak dapat dipakai (setelah dibersihkan kosong atau berisi ../): pakai huruf, angka dan tanda hubung",
        "the slug \"{value}\" cannot be used (empty after cleaning, or it contains ../): use letters, digits and dashes",
    ),
    "slug_reserved": (
        "slug halaman \"{value}\" dipakai oleh kimsite sendiri (kategori, tag, arsip, profil, …): pilih nama lain",
        "the page slug \"{value}\" is used by kimsite itself (kategori, tag, arsip, profil, …): choose another name",
    ),
    "url_conflict": (
        "alamat {url} juga dipakai oleh {other}: ubah slug salah satunya",
        "the address {url} is also used by {other}: change the slug of one of them",
    ),
    "link_outside": (
        "tautan \"{target}\" menunjuk ke luar folder KIM ini dan dihapus",
        "the link \"{target}\" points outside this KIM's folder and was removed",
    ),
    "link_missing": (
        "tautan \"{target}\" menunjuk ke berkas yang tidak ada",
        "the link \"{target}\" points to a file that does not exist",
    ),
    "link_draft": (
        "tautan \"{target}\" menunjuk ke artikel yang belum terbit (draft atau tanggal mendatang)",
        "the link \"{target}\" points to an article that is not published (draft or future date)",
    ),
    "unsafe_html_removed": (
        "HTML yang tidak aman ({what}) dibuang dari artikel",
        "unsafe HTML ({what}) was removed from the article",
    ),
    # --- workspace and sites -------------------------------------------------
    "workspace_missing": (
        "tidak ada kimsite.yaml di {path}: jalankan \"kimsite init\" atau pakai -C FOLDER",
        "there is no kimsite.yaml in {path}: run \"kimsite init\" or use -C FOLDER",
    ),
    "config_bad_timezone": (
        "timezone: \"{value}\" tidak dikenal; pakai Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)",
        "timezone: \"{value}\" is unknown; use Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)",
    ),
    "config_bad_base_url": (
        "base_url: \"{value}\" harus alamat lengkap, misalnya https://nama.github.io/repo/",
        "base_url: \"{value}\" must be a full address, for example https://name.github.io/repo/",
    ),
    "config_bad_output": (
        "output: \"{value}\" harus folder di dalam workspace, bukan workspace itu sendiri",
        "output: \"{value}\" must be a folder inside the workspace, not the workspace itself",
    ),
    "theme_missing": (
        "tema \"{value}\" tidak ditemukan di themes/; tema bawaan \"default\" dipakai",
        "the theme \"{value}\" was not found in themes/; the built-in \"default\" theme is used",
    ),
    "site_slug_invalid": (
        "nama berkas situs \"{value}\" tidak valid: pakai huruf kecil, angka dan tanda hubung (misalnya kim-maniis-harmonis.yaml)",
        "the site file name \"{value}\" is invalid: use lowercase letters, digits and dashes (for example kim-maniis-harmonis.yaml)",
    ),
    "site_slug_reserved": (
        "nama situs \"{value}\" bentrok dengan alamat yang dipakai portal: pilih nama lain",
        "the site name \"{value}\" clashes with an address used by the portal: choose another name",
    ),
    "content_without_site": (
        "folder content/{slug}/ tidak punya berkas sites/{slug}.yaml: buat dengan \"kimsite new-kim\"",
        "the folder content/{slug}/ has no sites/{slug}.yaml: create one with \"kimsite new-kim\"",
    ),
    "remote_with_content": (
        "KIM ini memakai feed: (situs di luar) tetapi juga punya folder content/{slug}/: pilih salah satu",
        "this KIM uses feed: (hosted elsewhere) but also has a content/{slug}/ folder: choose one",
    ),
    "remote_needs_url": (
        "KIM di luar dengan feed: juga perlu url: (alamat situsnya)",
        "a KIM hosted elsewhere with feed: also needs url: (the address of its site)",
    ),
    "site_unknown": (
        "situs \"{slug}\" tidak ada di sites/: pilih salah satu dari: {choices}",
        "there is no site \"{slug}\" in sites/: choose one of: {choices}",
    ),
    "site_not_kim": (
        "\"{slug}\" bukan KIM lokal (tidak bisa dibangun sendiri)",
        "\"{slug}\" is not a local KIM (it cannot be built alone)",
    ),
    "portal_twice": (
        "hanya boleh ada satu portal; portal lain: {other}",
        "there may be only one portal; the other one: {other}",
    ),
    "portal_member_unknown": (
        "members: \"{value}\" bukan situs di sites/ dan bukan alamat feed",
        "members: \"{value}\" is neither a site in sites/ nor a feed address",
    ),
    # --- build ---------------------------------------------------------------
    "template_error": (
        "templat {template} gagal: {detail}",
        "the template {template} failed: {detail}",
    ),
    "build_failed": (
        "pembangunan gagal: {count} galat. _site/ sebelumnya tidak diubah.",
        "build failed: {count} error(s). The previous _site/ was left unchanged.",
    ),
    "strict_failed": (
        "mode --strict: {count} peringatan dianggap galat. _site/ sebelumnya tidak diubah.",
        "--strict mode: {count} warning(s) count as errors. The previous _site/ was left unchanged.",
    ),
    "build_summary": (
        "{sites} situs, {articles} artikel, {pages} halaman ditulis ({written} berubah) dalam {seconds} dtk → {output}",
        "{sites} sites, {articles} articles, {pages} pages ({written} changed) in {seconds} s → {output}",
    ),
    "build_up_to_date": (
        "tidak ada perubahan; {output} sudah mutakhir ({seconds} dtk)",
        "nothing changed; {output} is up to date ({seconds} s)",
    ),
    "cache_invalid": (
        "cache di .kimsite/ rusak atau usang dan dibangun ulang",
        "the cache in .kimsite/ was damaged or stale and is rebuilt",
    ),
    "interrupted_recovered": (
        "pembangunan sebelumnya terhenti di tengah jalan; _site/ dipulihkan",
        "an earlier build stopped midway; _site/ was restored",
    ),
    # --- scaffolding ---------------------------------------------------------
    "init_exists": (
        "{path} sudah berisi kimsite.yaml: tidak ada yang ditimpa",
        "{path} already holds kimsite.yaml: nothing was overwritten",
    ),
    "init_done": (
        "workspace baru dibuat di {path}. Berikutnya: cd {path} && kimsite build",
        "new workspace created in {path}. Next: cd {path} && kimsite build",
    ),
    "file_exists": (
        "{path} sudah ada: tidak ditimpa",
        "{path} already exists: it was not overwritten",
    ),
    "created": ("dibuat: {path}", "created: {path}"),
    "check_summary": (
        "pemeriksaan selesai: {errors} galat, {warnings} peringatan",
        "check finished: {errors} error(s), {warnings} warning(s)",
    ),
    "field_other_type": (
        "kunci \"{field}\" bukan milik jenis \"{type}\" dan diabaikan: periksa kunci type:",
        "the key \"{field}\" does not belong to the type \"{type}\" and is ignored: check the type: key",
    ),
    "agenda_end_before_start": (
        "selesai: waktu selesai lebih awal dari waktu mulai",
        "selesai: the end time is earlier than the start time",
    ),
    "price_invalid": (
        "harga: \"{value}\" tidak dapat dibaca; tulis angka (75000) atau rentang (25000-40000)",
        "harga: \"{value}\" cannot be read; write a number (75000) or a range (25000-40000)",
    ),
    "whatsapp_invalid": (
        "whatsapp: \"{value}\" bukan nomor seluler Indonesia (tulis seperti 081234567890 atau +6281234567890)",
        "whatsapp: \"{value}\" is not an Indonesian mobile number (write it like 081234567890 or +6281234567890)",
    ),
    "kim_unknown": (
        "KIM \"{slug}\" tidak ada di sites/: pilih salah satu dari: {choices}",
        "there is no KIM \"{slug}\" in sites/: choose one of: {choices}",
    ),
}


def message(key: str, lang: str, **args: object) -> str:
    """The text of message `key` in `lang` ("id" or "en") with `args` filled in."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key + (" " + repr(args) if args else "")
    template = pair[1] if lang == "en" else pair[0]
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError):
        return template


def cli_language(option: str | None = None) -> str:
    """Language of command-line messages: --lang, then KIMSITE_LANG, then LANG; Indonesian by default."""
    for value in (option, os.environ.get("KIMSITE_LANG"), os.environ.get("LC_ALL"),
                  os.environ.get("LC_MESSAGES"), os.environ.get("LANG")):
        if value:
            return "en" if value.lower().startswith("en") else "id"
    return "id"
