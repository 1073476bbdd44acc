"""Messages shown to webmasters, in Indonesian (default) and English.

Every message says what is wrong and what to do about it. Keys are stable;
tests and `kimsite check --format json` use them as codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from kimsite.base.plurals import choose_forms

# How to split a workspace that nears its host's limits (output_size)
_SPLIT_ID = ("pecah workspace: satu workspace (satu situs GitHub Pages) per kecamatan atau per kelompok KIM, "
             "lalu satu portal kabupaten yang anggotanya feed portal-portal itu (members: - opml: ..., "
             "lihat panduan, \"Portal dari portal\"); perkecil juga gambar yang besar")
_SPLIT_EN = ("split the workspace: one workspace (one GitHub Pages site) per kecamatan or group of KIMs, "
             "then one regency portal whose members are those portals' feeds (members: - opml: ..., "
             "see the guide, \"Portal of portals\"); also shrink large pictures")

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
        "tautan simbolik menunjuk ke {target}, di luar folder {folder} atau ke berkas tersembunyi; berkas ini "
        "dilewati: salin berkasnya ke {folder} bila memang ingin diterbitkan",
        "a symbolic link points to {target}, outside the folder {folder} or to a hidden file; the file is "
        "skipped: copy the file into {folder} if it is meant to be published",
    ),
    "symlink_loop": (
        "tautan simbolik berputar atau rusak; berkas ini dilewati",
        "a symbolic link loops or is broken; the file is skipped",
    ),
    # --- only what is meant is published (file types, pictures, SVG, themes) ----
    "symlink_folder": (
        "tautan simbolik ke sebuah folder tidak diikuti; isinya tidak diterbitkan: salin berkasnya ke sini",
        "a symbolic link to a folder is not followed; its files are not published: copy the files here",
    ),
    "file_active_content": (
        "berkas {suffix} tidak diterbitkan, karena peramban menjalankan skrip di dalamnya atas nama situs KIM: "
        "untuk dokumen, unggah PDF lalu tautkan; untuk isi halaman, tulis berkas Markdown di halaman/",
        "{suffix} files are not published, because browsers run the script inside them as the KIM site: "
        "for a document, upload a PDF and link to it; for a page, write a Markdown file in halaman/",
    ),
    "picture_format_refused": (
        "gambar {suffix} dapat menyimpan lokasi (GPS) dan tidak dapat dibersihkan oleh kimsite: simpan ulang "
        "sebagai JPG atau PNG (misalnya lewat Bagikan > Simpan sebagai JPG di ponsel)",
        "{suffix} pictures can hold a location (GPS) that kimsite cannot remove: save it again as JPG or PNG "
        "(e.g. with Share > Save as JPG on a phone)",
    ),
    "picture_misnamed": (
        "berkas ini sebenarnya gambar {format} dengan nama {suffix}; data lokasinya (GPS) hanya dibuang dari "
        "gambar bernama .jpg, .png, .webp, .gif dan sejenisnya: ganti akhiran namanya (misalnya .jpg)",
        "this file is really a {format} picture named {suffix}; its location data (GPS) is only removed from "
        "pictures named .jpg, .png, .webp, .gif and the like: change the end of its name (e.g. .jpg)",
    ),
    "image_name_taken": (
        "nama berkas ini sama dengan {generated}, versi gambar {image} yang dibuat kimsite: ganti nama salah "
        "satunya (misalnya {suggestion})",
        "this file has the same name as {generated}, the version of the picture {image} kimsite makes: rename "
        "one of them (e.g. {suggestion})",
    ),
    "image_too_many_frames": (
        "gambar bergerak {image} terlalu besar ({frames} bingkai, {megapixels} megapiksel seluruhnya; batas "
        "{limit}): perpendek atau perkecil dulu",
        "the animated picture {image} is too large ({frames} frames, {megapixels} megapixels in all; limit "
        "{limit}): shorten it or make it smaller first",
    ),
    "video_has_location": (
        "video ini menyimpan tempat perekamannya (lokasi GPS), dan kimsite tidak dapat menghapusnya dari video: "
        "matikan lokasi di pengaturan kamera ponsel lalu rekam ulang, hapus lokasinya dengan aplikasi penyunting "
        "video, atau unggah ke YouTube dan tautkan",
        "this video holds the place it was filmed (a GPS location), which kimsite cannot remove from a video: "
        "turn location off in the phone camera's settings and film again, remove it with a video editing app, "
        "or upload it to YouTube and link to it",
    ),
    "svg_invalid": (
        "SVG ini tidak dapat dibaca sebagai XML ({reason}), jadi tidak diterbitkan: simpan ulang dari aplikasi "
        "gambarnya (Inkscape: Simpan sebagai > SVG Polos) atau ubah menjadi PNG",
        "this SVG cannot be read as XML ({reason}), so it is not published: save it again from the drawing "
        "program (Inkscape: Save As > Plain SVG) or turn it into a PNG",
    ),
    "svg_doctype": (
        "SVG ini memakai DOCTYPE atau ENTITY, yang dapat membaca berkas lain atau membengkak tanpa batas, jadi "
        "tidak diterbitkan: hapus baris <!DOCTYPE ...> atau simpan ulang sebagai SVG Polos",
        "this SVG uses a DOCTYPE or ENTITY, which can read other files or grow without limit, so it is not "
        "published: remove the <!DOCTYPE ...> line or save it again as Plain SVG",
    ),
    "svg_not_svg": (
        "berkas ini tidak berisi gambar SVG (elemen utamanya <{root}>, bukan <svg xmlns=\"http://www.w3.org/2000/svg\">): "
        "simpan ulang sebagai SVG atau ubah menjadi PNG",
        "this file holds no SVG picture (its main element is <{root}>, not <svg xmlns=\"http://www.w3.org/2000/svg\">): "
        "save it again as SVG or turn it into a PNG",
    ),
    "svg_too_large": (
        "SVG ini berukuran {size} MB, melebihi batas {limit} MB: sederhanakan gambarnya atau ubah menjadi PNG",
        "this SVG is {size} MB, over the {limit} MB limit: simplify the drawing or turn it into a PNG",
    ),
    "theme_bad_name": (
        "theme: \"{value}\" bukan nama tema: tulis nama satu folder di themes/ (tanpa /, \\ atau ..), "
        "atau default untuk tema bawaan",
        "theme: \"{value}\" is not a theme name: write the name of one folder in themes/ (no /, \\ or ..), "
        "or default for the built-in theme",
    ),
    "theme_symlink": (
        "folder tema themes/{value} adalah tautan simbolik dan tidak dipakai; tema bawaan \"default\" dipakai: "
        "salin temanya ke themes/{value}",
        "the theme folder themes/{value} is a symbolic link and is not used; the built-in \"default\" theme is "
        "used: copy the theme into themes/{value}",
    ),
    "theme_link_outside": (
        "berkas tema ini tautan simbolik ke {target}, di luar folder tema atau ke berkas tersembunyi; {what}",
        "this theme file is a symbolic link to {target}, outside the theme folder or to a hidden file; {what}",
    ),
    "theme_link_skipped": (
        "berkas ini dilewati",
        "the file is skipped",
    ),
    "theme_link_template": (
        "templat ini tidak dipakai: salin isinya ke folder tema",
        "the template is not used: copy its text into the theme folder",
    ),
    # --- YAML ----------------------------------------------------------------
    "yaml_syntax": (
        "YAML tidak valid: {detail}",
        "invalid YAML: {detail}",
    ),
    "yaml_tab": (
        "baris ini menjorok dengan Tab, yang tidak boleh di YAML: ganti Tab dengan spasi (dua spasi per tingkat)",
        "this line is indented with a Tab, which YAML does not allow: replace the Tab with spaces (two per level)",
    ),
    "yaml_colon": (
        "nilai {key} berisi titik dua dan spasi (\": \"), yang dibaca YAML sebagai kunci baru: apit nilainya "
        "dengan tanda kutip lurus, misalnya {key}: \"{value}\"",
        "the value of {key} holds a colon and a space (\": \"), which YAML reads as a new key: put the value "
        "between straight quotes, e.g. {key}: \"{value}\"",
    ),
    "yaml_smart_quotes": (
        "nilai {key} diapit tanda kutip miring (“…” atau ‘…’), yang tidak dikenal YAML: apit nilainya dengan "
        "tanda kutip lurus \"…\" (ketik ulang tanda kutipnya; ponsel dan pengolah kata sering mengubahnya)",
        "the value of {key} is between curly quotes (“…” or ‘…’), which YAML does not know: put it between "
        "straight quotes \"…\" (type the quotes again; phones and word processors often change them)",
    ),
    "yaml_smart_quotes_kept": (
        "nilai {key} diapit tanda kutip miring (“…”), yang ikut tampil sebagai bagian teksnya: hapus tanda kutip "
        "itu, atau ganti dengan tanda kutip lurus \"…\"",
        "the value of {key} is between curly quotes (“…”), which show as part of the text: remove them, or use "
        "straight quotes \"…\"",
    ),
    "yaml_unclosed_quote": (
        "tanda kutip di baris ini tidak ditutup ({quote}): tambahkan tanda kutip penutup yang sama di akhir nilai",
        "the quote on this line is never closed ({quote}): add the same closing quote at the end of the value",
    ),
    "yaml_unclosed_bracket": (
        "kurung di baris ini tidak ditutup ({written}): tutup daftar dengan ] (atau }}), atau apit nilainya "
        "dengan tanda kutip lurus bila kurung itu bagian dari teks",
        "the bracket on this line is never closed ({written}): close the list with ] (or }}), or put the value "
        "between straight quotes if the bracket is part of the text",
    ),
    "yaml_indented": (
        "baris {key} menjorok (diawali spasi) di bawah kunci yang bukan daftar: hapus spasi di awal baris",
        "the line {key} is indented (starts with spaces) under a key that is not a list: remove the spaces at "
        "its start",
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
    # --- content written for other generators (Jekyll, Hugo, Notepad) --------------------
    "markdown_name_near_miss": (
        "berkas ini tidak dibaca sebagai artikel karena namanya tidak berakhiran .md: ganti namanya menjadi "
        "{fix} (di Windows, tampilkan akhiran nama berkas lewat View > File name extensions)",
        "this file is not read as an article because its name does not end in .md: rename it to {fix} "
        "(on Windows, show file name extensions with View > File name extensions)",
    ),
    "hugo_index_page": (
        "_index.md adalah halaman daftar milik Hugo dan tidak diterbitkan: tulis keterangan KIM di "
        "description: pada sites/<kim>.yaml, atau jadikan halaman biasa di halaman/nama.md",
        "_index.md is a Hugo list page and is not published: write the KIM's description in description: "
        "of sites/<kim>.yaml, or make it an ordinary page in halaman/name.md",
    ),
    "fm_toml": (
        "front matter ini ditulis dalam TOML (gaya Hugo, di antara baris \"+++\"); kimsite membaca YAML: "
        "ganti kedua baris +++ dengan ---, lalu tulis tiap kunci sebagai kunci: nilai, misalnya "
        "title: \"Judul\" (titik dua, bukan tanda =)",
        "this front matter is written in TOML (Hugo style, between \"+++\" lines); kimsite reads YAML: "
        "replace both +++ lines with ---, then write each key as key: value, e.g. title: \"Title\" "
        "(a colon, not =)",
    ),
    "hugo_figure": (
        "{written} adalah shortcode Hugo yang tidak dijalankan kimsite (akan tampil sebagai teks): tulis "
        "gambarnya sebagai ![keterangan](media/nama-berkas.jpg)",
        "{written} is a Hugo shortcode kimsite does not run (it would show as text): write the picture as "
        "![description](media/file-name.jpg)",
    ),
    "hugo_shortcode": (
        "{written} adalah shortcode Hugo \"{name}\" yang tidak dijalankan kimsite (akan tampil sebagai teks): "
        "tulis isinya dengan Markdown biasa, atau hapus; hanya {{{{< youtube ID >}}}} yang dikenal",
        "{written} is the Hugo shortcode \"{name}\", which kimsite does not run (it would show as text): "
        "write its content in plain Markdown, or remove it; only {{{{< youtube ID >}}}} is known",
    ),
    "youtube_shortcode_form": (
        "{written} tidak dapat ditampilkan sebagai video (akan tampil sebagai teks): tulis {{{{< youtube ID >}}}} "
        "dengan ID video 11 karakter, boleh diikuti judul dalam tanda kutip, sendirian di barisnya",
        "{written} cannot be shown as a video (it would show as text): write {{{{< youtube ID >}}}} with the "
        "11-character video ID, optionally followed by a title in quotes, alone on its line",
    ),
    "liquid_include": (
        "{written} adalah perintah templat Jekyll (Liquid) yang tidak dijalankan kimsite (akan tampil "
        "sebagai teks): salin isi berkas yang disertakan langsung ke artikel, atau hapus baris ini",
        "{written} is a Jekyll (Liquid) template tag kimsite does not run (it would show as text): copy the "
        "included file's text into the article, or remove this line",
    ),
    "liquid_tag": (
        "{written} adalah perintah templat Jekyll (Liquid) \"{name}\" yang tidak dijalankan kimsite (akan "
        "tampil sebagai teks): tulis hasilnya dengan Markdown biasa, atau hapus",
        "{written} is the Jekyll (Liquid) template tag \"{name}\", which kimsite does not run (it would show "
        "as text): write its result in plain Markdown, or remove it",
    ),
    "template_variable": (
        "{written} adalah variabel templat (Jekyll/Hugo) yang tidak diisi kimsite (akan tampil sebagai teks): "
        "tulis teksnya langsung, misalnya nama KIM atau alamatnya",
        "{written} is a template variable (Jekyll/Hugo) kimsite does not fill in (it would show as text): "
        "write the text itself, e.g. the KIM's name or address",
    ),
    "field_required": (
        "\"{field}\" wajib diisi",
        "\"{field}\" is required",
    ),
    "field_required_typo": (
        "\"{field}\" wajib diisi: di baris ini tertulis \"{written}\"; maksud Anda \"{field}\"? perbaiki ejaannya",
        "\"{field}\" is required: this line says \"{written}\"; did you mean \"{field}\"? correct the spelling",
    ),
    "field_unknown": (
        "kunci \"{field}\" tidak dikenal dan diabaikan{hint}",
        "the key \"{field}\" is unknown and ignored{hint}",
    ),
    "hint_did_you_mean": (' (maksud Anda "{suggestion}"?)', ' (did you mean "{suggestion}"?)'),
    "image_mapping_keys": (
        "{field}: sebagai pasangan hanya boleh berisi src: (berkas foto), alt: (keterangannya), caption: dan "
        "credit:, bukan {keys}",
        "{field}: as a mapping it may only hold src: (the picture file), alt: (its description), caption: and "
        "credit:, not {keys}",
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
    "date_ambiguous": (
        "{field}: \"{value}\" dapat dibaca {first} atau {second}: tulis {first_iso} untuk {first}, atau "
        "{second_iso} untuk {second}",
        "{field}: \"{value}\" can be read as {first} or {second}: write {first_iso} for {first}, or "
        "{second_iso} for {second}",
    ),
    "date_numeric": (
        "{field}: tulis \"{value}\" ({reading}) sebagai {iso}, agar tidak tertukar antara hari dan bulan",
        "{field}: write \"{value}\" ({reading}) as {iso}, so that day and month cannot be mixed up",
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
    "link_missing_article": (
        "tautan \"{target}\" menunjuk ke artikel yang tidak ada{hint}; di situs, tautan itu mengarah ke beranda "
        "KIM: perbaiki nama berkas di tautannya (huruf besar/kecil juga dibedakan)",
        "the link \"{target}\" points to an article that does not exist{hint}; on the site it leads to the KIM's "
        "home page: correct the file name in the link (upper and lower case differ too)",
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
    "init_inside_workspace": (
        "{path} ada di dalam workspace {workspace} (yang memuat kimsite.yaml); workspace baru tidak dibuat di "
        "dalamnya: jalankan perintah di {workspace}, atau buat workspace baru di folder lain",
        "{path} is inside the workspace {workspace} (which holds kimsite.yaml); no new workspace is made inside it: "
        "run commands in {workspace}, or make the new workspace in another folder",
    ),
    "workspace_in_parent": (
        "tidak ada kimsite.yaml di {path}: ini subfolder dari workspace {workspace}; pindah ke folder itu "
        "(cd {up}) lalu jalankan perintahnya lagi, atau pakai -C {workspace}. Jangan jalankan kimsite init di sini",
        "there is no kimsite.yaml in {path}: this is a subfolder of the workspace {workspace}; move to that folder "
        "(cd {up}) and run the command again, or use -C {workspace}. Do not run kimsite init here",
    ),
    "config_bad_timezone": (
        "timezone: \"{value}\" tidak dikenal; pakai Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)",
        "timezone: \"{value}\" is unknown; use Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)",
    ),
    "config_bad_base_url": (
        "base_url: \"{value}\" tidak dapat dipakai ({reason}): tulis alamat lengkap, misalnya "
        "https://nama.github.io/repo/",
        "base_url: \"{value}\" cannot be used ({reason}): write a full address, for example "
        "https://name.github.io/repo/",
    ),
    "config_bad_output": (
        "output: \"{value}\" harus folder di dalam workspace, bukan workspace itu sendiri",
        "output: \"{value}\" must be a folder inside the workspace, not the workspace itself",
    ),
    "yaml_without_libyaml": (
        "PyYAML terpasang tanpa libyaml: front matter dibaca beberapa kali lebih lambat; "
        "pasang ulang dengan \"pip install --force-reinstall pyyaml\"",
        "PyYAML is installed without libyaml: front matter is read several times slower; "
        "reinstall it with \"pip install --force-reinstall pyyaml\"",
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
    "portal_kecamatan_unlisted": (
        "kecamatan \"{value}\" tidak ada di daftar kecamatan portal ({portal}): periksa ejaannya atau tambahkan ke daftar",
        "the kecamatan \"{value}\" is not in the portal's kecamatan list ({portal}): check its spelling or add it",
    ),
    # --- build ---------------------------------------------------------------
    "template_error": (
        "templat {template} gagal saat membuat {page}: {detail}",
        "the template {template} failed while making {page}: {detail}",
    ),
    "build_failed": (
        "pembangunan gagal: {count} galat. _site/ sebelumnya tidak diubah.",
        "build failed: {count} {count|error|errors}. The previous _site/ was left unchanged.",
    ),
    "strict_failed": (
        "mode --strict: {count} peringatan dianggap galat. _site/ sebelumnya tidak diubah.",
        "--strict mode: {count} {count|warning counts|warnings count} as errors. The previous _site/ was left unchanged.",
    ),
    "build_summary": (
        "{sites} situs, {articles} artikel, {pages} halaman ditulis ({written} berubah) dalam {seconds} dtk → {output}",
        "{sites} {sites|site|sites}, {articles} {articles|article|articles}, {pages} {pages|page|pages} ({written} changed) "
        "in {seconds} s → {output}",
    ),
    "build_left_out": (
        "tidak diterbitkan: {drafts} draf dan {future} artikel bertanggal mendatang (terbit pada build pertama "
        "setelah tanggalnya; lihat dulu dengan kimsite serve --drafts --future)",
        "not published: {drafts} {drafts|draft|drafts} and {future} future-dated {future|article|articles} "
        "(published by the first build after their date; preview them with kimsite serve --drafts --future)",
    ),
    "build_size": (
        "ukuran hasil: {size} MB dalam {files} berkas (batas GitHub Pages: {limit} MB)",
        "output size: {size} MB in {files} files (GitHub Pages limit: {limit} MB)",
    ),
    "output_near_size": (
        "hasil sudah {size} MB, {percent}% dari batas GitHub Pages ({limit} MB); " + _SPLIT_ID,
        "the output is already {size} MB, {percent}% of GitHub Pages' limit ({limit} MB); " + _SPLIT_EN,
    ),
    "output_over_size": (
        "hasil {size} MB melebihi batas GitHub Pages ({limit} MB) dan tidak akan diterbitkan; " + _SPLIT_ID,
        "the output, {size} MB, exceeds GitHub Pages' limit ({limit} MB) and will not be published; "
        + _SPLIT_EN,
    ),
    "output_many_files": (
        "hasil berisi {files} berkas (batas yang dianjurkan {limit}): penerbitan menjadi lambat; " + _SPLIT_ID,
        "the output holds {files} files (recommended limit {limit}): publishing gets slow; " + _SPLIT_EN,
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
    # --- output folder, state and locking (the output is kimsite's alone) ----------
    "output_forbidden": (
        "folder output \"{output}\" ({real}) adalah {what}; setiap build mengganti seluruh isi folder output "
        "dengan situs. Tulis output: _site (atau nama folder baru lain di dalam workspace)",
        "the output folder \"{output}\" ({real}) is {what}; every build replaces all of the output folder with "
        "the site. Write output: _site (or another new folder name inside the workspace) instead",
    ),
    "output_what_workspace": ("workspace itu sendiri", "the workspace itself"),
    "output_what_holds_workspace": ("folder yang memuat workspace", "a folder that holds the workspace"),
    "output_what_inside": (
        "{name} atau folder di dalamnya, yang dibaca atau dipakai kimsite",
        "{name} or a folder inside it, which kimsite reads or uses",
    ),
    "output_what_holds": ("folder yang memuat {name}", "a folder that holds {name}"),
    "output_is_link": (
        "folder output \"{output}\" adalah tautan (symlink) ke {real}; kimsite tidak menulis lewat tautan: "
        "hapus tautan itu (kimsite membuat foldernya sendiri) atau tulis output: _site",
        "the output folder \"{output}\" is a link (symlink) to {real}; kimsite does not write through links: "
        "delete the link (kimsite makes the folder itself) or write output: _site instead",
    ),
    "output_not_folder": (
        "output \"{output}\" ({real}) adalah berkas, bukan folder; kimsite tidak menimpanya: "
        "tulis output: _site atau nama folder baru lain",
        "the output \"{output}\" ({real}) is a file, not a folder; kimsite does not overwrite it: "
        "write output: _site or another new folder name instead",
    ),
    "output_not_ours": (
        "folder output \"{output}\" ({real}) sudah berisi berkas yang tidak dibuat kimsite; kimsite tidak "
        "menghapus atau mengganti folder itu. Pindahkan isinya ke tempat lain, atau tulis output: _site "
        "(atau nama folder baru lain)",
        "the output folder \"{output}\" ({real}) already holds files kimsite did not make; kimsite does not "
        "delete or replace that folder. Move its files elsewhere, or write output: _site (or another new "
        "folder name) instead",
    ),
    "state_not_folder": (
        "{folder} adalah {kind}, bukan folder; kimsite menyimpan cache dan kuncinya di folder {folder}/ dan "
        "tidak menghapus apa yang tidak dibuatnya: pindahkan atau hapus {folder} lalu jalankan lagi",
        "{folder} is a {kind}, not a folder; kimsite keeps its cache and lock in the folder {folder}/ and does "
        "not delete what it did not make: move or delete {folder}, then run again",
    ),
    "state_moved_aside": (
        "{folder} adalah {kind}, bukan folder tempat kimsite menyimpan cache dan kuncinya: dipindahkan (tidak "
        "dihapus) menjadi {aside}; pembangunan ini dimulai dari awal",
        "{folder} was a {kind}, not the folder where kimsite keeps its cache and lock: moved (not deleted) to "
        "{aside}; this build starts afresh",
    ),
    "state_kind_file": ("berkas", "file"),
    "state_kind_link": ("tautan (symlink) ke {target}", "link (symlink) to {target}"),
    "state_unwritable": (
        "folder {folder}/ tidak dapat ditulis ({reason}): beri izin tulis pada folder itu, atau hapus folder itu "
        "(isinya hanya cache)",
        "the folder {folder}/ cannot be written ({reason}): give it write permission, or delete it (it only "
        "holds a cache)",
    ),
    "build_locked": (
        "pembangunan lain sedang berjalan di workspace ini (kunci {lock}; sudah ditunggu {seconds} dtk): "
        "tunggu sampai selesai, lalu jalankan lagi",
        "another build is running in this workspace (lock {lock}; waited {seconds} s): wait until it ends, "
        "then run again",
    ),
    "state_entry_discarded": (
        "{path} bukan folder atau berkas yang disimpan kimsite di sana (misalnya sebuah tautan) dan dibuang tanpa "
        "diikuti; isinya dibuat ulang",
        "{path} was not the folder or file kimsite keeps there (a link, for example) and was removed without "
        "being followed; its contents are made again",
    ),
    "journal_invalid": (
        "jurnal pembangunan di .kimsite/ tidak sah (rusak, bentuknya salah, atau menyebut jalur di luar folder "
        "output) dan dibuang tanpa dijalankan; pembangunan ini dimulai dari awal",
        "the build journal in .kimsite/ was not valid (damaged, the wrong shape, or naming paths outside the "
        "output folder) and was discarded unread; this build starts afresh",
    ),
    "disk_full": (
        "disk penuh saat menulis {path}: kosongkan ruang disk, lalu bangun lagi",
        "the disk is full while writing {path}: free some disk space, then build again",
    ),
    "write_denied": (
        "tidak boleh menulis {path} ({reason}): beri izin tulis pada folder itu, atau jalankan kimsite sebagai "
        "pemilik workspace",
        "not allowed to write {path} ({reason}): give that folder write permission, or run kimsite as the "
        "workspace's owner",
    ),
    "name_too_long": (
        "nama berkas terlalu panjang untuk sistem berkas: {path}; pendekkan nama berkas sumbernya di content/",
        "a file name is too long for the file system: {path}; shorten the name of its source file in content/",
    ),
    "write_failed": (
        "{path} tidak dapat ditulis atau dibaca ({reason}): periksa disk dan folder itu, lalu bangun lagi",
        "{path} cannot be written or read ({reason}): check the disk and that folder, then build again",
    ),
    "cache_failed": (
        "cache {path} tidak dapat dipakai ({reason}): hapus folder .kimsite/ atau bangun dengan --no-cache",
        "the cache {path} cannot be used ({reason}): delete the folder .kimsite/ or build with --no-cache",
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
    # --- kimsite serve (preview) ----------------------------------------------
    "serve_ready": (
        "pratinjau siap di {url} (simpan berkas untuk memperbarui; Ctrl+C untuk berhenti)",
        "preview ready at {url} (save a file to update it; Ctrl+C to stop)",
    ),
    "serve_rebuilt": (
        "berubah: {changed} → dibangun ulang dalam {seconds} dtk ({written} berkas diperbarui)",
        "changed: {changed} → rebuilt in {seconds} s ({written} files updated)",
    ),
    "serve_failed": (
        "{count} galat: perbaiki berkas di atas lalu simpan lagi (browser juga menampilkan daftarnya)",
        "{count} {count|error|errors}: fix the files above and save again (the browser shows the list too)",
    ),
    "serve_recovered": (
        "galat sudah diperbaiki; situs tampil kembali",
        "the errors are fixed; the site is shown again",
    ),
    "serve_crash": (
        "kesalahan tak terduga saat membangun ({detail}); simpan lagi untuk mencoba ulang",
        "unexpected failure while building ({detail}); save again to retry",
    ),
    "serve_port_busy": (
        "tidak dapat membuka {host}:{port} ({reason}): port itu mungkin sudah dipakai; pilih yang lain, misalnya --port 8001",
        "cannot open {host}:{port} ({reason}): the port may already be in use; choose another, for example --port 8001",
    ),
    "serve_stopped": ("pratinjau dihentikan", "preview stopped"),
    "interrupted": (
        "dihentikan (Ctrl+C): tidak ada berkas yang tertinggal setengah jadi, dan folder output tetap seperti "
        "hasil pembangunan terakhir yang selesai",
        "stopped (Ctrl+C): no file was left half-written, and the output folder is as the last finished build "
        "left it",
    ),
    "serve_warnings_title": (
        "⚠ {count} peringatan dari build terakhir (hanya tampil di pratinjau, tidak ikut terbit)",
        "⚠ {count} {count|warning|warnings} from the last build (shown only in the preview, never published)",
    ),
    "serve_error_title": ("Situs belum bisa dibangun", "The site cannot be built yet"),
    "serve_error_intro": (
        "Ada {count} galat. Perbaiki berkas berikut lalu simpan; halaman ini memuat ulang sendiri.",
        "{count} {count|error|errors}. Fix the files below and save; this page reloads by itself.",
    ),
    "serve_error_hint": (
        "Angka setelah titik dua adalah nomor baris di berkas itu.",
        "The number after the colon is the line number in that file.",
    ),
    # --- kimsite check -----------------------------------------------------------
    "summary_required": (
        "kategori \"{category}\" mewajibkan ringkasan: isi summary: (atau ringkasan:) dengan satu-dua kalimat",
        "the category \"{category}\" requires a summary: fill in summary: with one or two sentences",
    ),
    "title_too_long_share": (
        "judul {length} karakter; saat dibagikan (WhatsApp, Facebook) hanya sekitar {limit} karakter yang tampil: persingkat",
        "the title has {length} characters; when shared (WhatsApp, Facebook) only about {limit} show: shorten it",
    ),
    "image_alt_field_missing": (
        "image: gambar utama tidak punya keterangan: tambahkan image_alt: (atau keterangan_gambar:)",
        "image: the main image has no description: add image_alt:",
    ),
    "editor_hidden_extension": (
        "{name} tidak tampil di editor web (/admin/): editor hanya membaca berkas yang berakhiran .md "
        "(huruf kecil); ganti namanya menjadi {suggestion} agar bisa disunting di sana (situs tetap memuatnya)",
        "{name} does not show in the web editor (/admin/): the editor reads only files ending in .md "
        "(lower case); rename it to {suggestion} to edit it there (the site includes it either way)",
    ),
    "portal_logo_unused": (
        "logo: portal belum menampilkan logo (ikonnya memakai inisial nama portal); baris ini tidak "
        "berpengaruh dan boleh dihapus",
        "logo: the portal does not show a logo yet (its icons use the initials of the portal's name); "
        "this line has no effect and may be removed",
    ),
    "logo_missing": (
        "logo: berkas \"{target}\" tidak ada di folder content/{site}/: periksa nama berkas dan foldernya; sampai "
        "ada, ikon situs memakai inisial nama KIM",
        "logo: the file \"{target}\" is not in the folder content/{site}/: check the file name and its folder; "
        "until it is there, the site icon shows the KIM's initials",
    ),
    "logo_wrong_case": (
        "logo: berkas \"{target}\" tidak ada di folder content/{site}/, maksud Anda {found}? Huruf besar/kecil "
        "harus sama",
        "logo: the file \"{target}\" is not in the folder content/{site}/, did you mean {found}? Upper and lower "
        "case must match",
    ),
    "image_caption_without_image": (
        "{field}: ada keterangan foto tetapi tidak ada foto utama: tambahkan image: media/nama-foto.jpg "
        "atau hapus {field}:",
        "{field}: a photo caption or credit but no main image: add image: media/photo-name.jpg or remove {field}:",
    ),
    "picture_missing": (
        "gambar \"{target}\" tidak ada{hint}: periksa nama berkas (huruf besar/kecil juga dibedakan) dan "
        "foldernya (media/); halaman tidak boleh terbit dengan gambar rusak",
        "the picture \"{target}\" does not exist{hint}: check the file name (upper and lower case differ too) "
        "and its folder (media/); a page must not be published with a broken picture",
    ),
    "hint_picture_suggestion": (" (maksud Anda {suggestion}?)", " (did you mean {suggestion}?)"),
    "file_url_conflict": (
        "berkas ini tidak ikut terbit karena alamatnya ({url}) dipakai halaman buatan kimsite: pindahkan ke folder media/",
        "this file is not published because its address ({url}) is used by a page kimsite generates: move it into media/",
    ),
    "check_config_invalid": (
        "check.{field}: harus berupa daftar nama kategori, misalnya [Cek Fakta, Pemerintahan]",
        "check.{field}: must be a list of category names, for example [Cek Fakta, Pemerintahan]",
    ),
    # --- kimsite new / new-kim ----------------------------------------------------------
    "new_no_workspace": (
        "tidak ada kimsite.yaml di {path}: jalankan \"kimsite init\" dulu atau pakai -C FOLDER",
        "there is no kimsite.yaml in {path}: run \"kimsite init\" first or use -C FOLDER",
    ),
    "new_kim_remote": (
        "KIM \"{slug}\" diterbitkan di luar (feed:), jadi artikelnya ditulis di situsnya sendiri",
        "the KIM \"{slug}\" is published elsewhere (feed:), so its articles are written on its own site",
    ),
    "new_kim_is_portal": (
        "\"{slug}\" adalah portal, bukan KIM: artikel ditulis di folder KIM anggotanya",
        "\"{slug}\" is a portal, not a KIM: articles are written in its member KIMs' folders",
    ),
    "new_next_steps": (
        "berikutnya: isi judul, ringkasan dan teks di {path}, lalu lihat hasilnya dengan \"kimsite serve\"",
        "next: fill in the title, summary and text in {path}, then preview it with \"kimsite serve\"",
    ),
    "new_kim_next_steps": (
        "berikutnya: lengkapi {path}, lalu tulis artikel pertama dengan kimsite new \"Judul\" --kim {slug}",
        "next: complete {path}, then write the first article with kimsite new \"Title\" --kim {slug}",
    ),
    "new_kim_exists": (
        "KIM \"{slug}\" sudah ada ({path}): pilih nama lain atau pakai --slug",
        "the KIM \"{slug}\" already exists ({path}): choose another name or use --slug",
    ),
    "check_summary": (
        "pemeriksaan selesai: {errors} galat, {warnings} peringatan",
        "check finished: {errors} {errors|error|errors}, {warnings} {warnings|warning|warnings}",
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
    "photo_not_local": (
        "foto: \"{value}\" adalah alamat web; simpan fotonya di folder media/ KIM ini dan tulis misalnya media/nama-foto.jpg",
        "foto: \"{value}\" is a web address; put the photo in this KIM's media/ folder and write e.g. media/photo-name.jpg",
    ),
    "photo_outside": (
        "foto: \"{value}\" berada di luar folder KIM ini; simpan fotonya di media/ dan tulis misalnya media/nama-foto.jpg",
        "foto: \"{value}\" is outside this KIM's folder; put the photo in media/ and write e.g. media/photo-name.jpg",
    ),
    "photo_not_image": (
        "foto: \"{value}\" bukan berkas gambar (.jpg, .jpeg, .png, .webp, .gif, .avif atau .svg)",
        "foto: \"{value}\" is not an image file (.jpg, .jpeg, .png, .webp, .gif, .avif or .svg)",
    ),
    # --- publishing (kimsite init --ci, kimsite deploy) --------------------------
    "workflow_exists": (
        "{path} sudah ada: tidak ditimpa (hapus berkas itu lalu jalankan kimsite init --ci bila ingin membuatnya ulang)",
        "{path} already exists: it was not overwritten (delete it and run kimsite init --ci to write it again)",
    ),
    "workflow_next": (
        "langkah berikut: di GitHub buka Settings → Pages, pilih Source: GitHub Actions, lalu push repositori ini",
        "next: on GitHub open Settings → Pages, choose Source: GitHub Actions, then push this repository",
    ),
    "deploy_git_missing": (
        "program git tidak ditemukan: pasang git dulu (https://git-scm.com/downloads)",
        "the git program was not found: install git first (https://git-scm.com/downloads)",
    ),
    "deploy_not_git": (
        "{path} bukan repositori git: jalankan git init lalu commit isi workspace, atau terbitkan lewat "
        "GitHub Actions (lihat docs/terbit.md)",
        "{path} is not a git repository: run git init and commit the workspace, or publish with GitHub Actions "
        "(see docs/publishing.md)",
    ),
    "deploy_branch_is_current": (
        "cabang \"{branch}\" adalah cabang yang sedang dipakai untuk sumber situs: pilih cabang lain dengan "
        "--branch (biasanya gh-pages)",
        "branch \"{branch}\" is the branch checked out for the site's sources: choose another one with --branch "
        "(usually gh-pages)",
    ),
    "deploy_no_identity": (
        "git belum tahu nama dan email Anda: jalankan git config user.name \"Nama Anda\" dan "
        "git config user.email \"email@anda.id\"",
        "git does not know your name and email yet: run git config user.name \"Your Name\" and "
        "git config user.email \"you@example.org\"",
    ),
    "deploy_no_remote": (
        "remote \"{remote}\" belum diatur: jalankan git remote add {remote} https://github.com/AKUN/REPO.git, "
        "atau pakai --no-push untuk commit saja",
        "there is no remote \"{remote}\": run git remote add {remote} https://github.com/ACCOUNT/REPO.git, "
        "or use --no-push to only commit",
    ),
    "deploy_dirty": (
        "ada {count} berkas yang berubah tetapi belum di-commit ({files}): commit dulu (git add lalu git commit) "
        "agar situs yang terbit sama dengan isi repositori, atau pakai --allow-dirty",
        "uncommitted changes in {count} {count|file|files} ({files}): commit them first (git add, then git commit) so the "
        "published site matches the repository, or use --allow-dirty",
    ),
    "deploy_commit_failed": (
        "commit ke cabang {branch} gagal ({reason}): hasil build tetap ada di folder output; coba lagi",
        "committing to branch {branch} failed ({reason}): the build output is still in the output folder; "
        "try again",
    ),
    "deploy_push_failed": (
        "push ke {remote}/{branch} gagal ({reason}): periksa koneksi internet dan hak akses ke repositori, "
        "lalu jalankan git push {remote} {branch}",
        "pushing to {remote}/{branch} failed ({reason}): check the internet connection and your access to the "
        "repository, then run git push {remote} {branch}",
    ),
    "deploy_committed": (
        "cabang {branch} diperbarui: commit {sha} ({count} berkas)",
        "branch {branch} updated: commit {sha} ({count} files)",
    ),
    "deploy_unchanged": (
        "tidak ada yang berubah: cabang {branch} sudah berisi hasil build ini (tidak ada commit baru)",
        "nothing changed: branch {branch} already holds this build (no new commit)",
    ),
    "deploy_pushed": (
        "terkirim ke {remote}/{branch}; situs diperbarui GitHub Pages dalam beberapa menit "
        "(Settings → Pages: Deploy from a branch, {branch}, / (root))",
        "pushed to {remote}/{branch}; GitHub Pages updates the site within minutes "
        "(Settings → Pages: Deploy from a branch, {branch}, / (root))",
    ),
    "deploy_not_pushed": (
        "belum dikirim (--no-push); untuk menerbitkan jalankan: git push {remote} {branch}",
        "not pushed (--no-push); to publish run: git push {remote} {branch}",
    ),
    "deploy_commit_message": ("Terbitkan situs dari {sha}", "Publish site from {sha}"),
    "deploy_commit_message_first": ("Terbitkan situs", "Publish site"),
    "deploy_dirty_suffix": (" (dengan perubahan yang belum di-commit)", " (with uncommitted changes)"),
    # --- the site's public address and where kimsite is installed from ------------
    "workflow_install_local": (
        "kimsite ini dipasang dari sumber yang tidak dapat dipasang oleh GitHub ({origin}: folder lokal atau "
        "build yang belum dirilis). {path} tetap ditulis dengan \"pip install {requirement}\", yang hanya berhasil "
        "bila versi itu ada di PyPI. Bila belum, ganti baris itu dengan sumber yang dapat dipasang, misalnya "
        "pip install \"kimsite @ git+https://github.com/PEMILIK/kimsite@COMMIT\" (commit yang sudah di-push), "
        "atau pasang kimsite dari PyPI/GitHub lalu jalankan lagi kimsite init --ci",
        "this kimsite was installed from a source GitHub cannot install ({origin}: a local folder or an "
        "unreleased build). {path} was written anyway with \"pip install {requirement}\", which only works when "
        "that version is on PyPI. If it is not, change the line to an installable source, e.g. "
        "pip install \"kimsite @ git+https://github.com/OWNER/kimsite@COMMIT\" (a pushed commit), or install "
        "kimsite from PyPI/GitHub and run kimsite init --ci again",
    ),
    "base_url_example": (
        "https://AKUN.github.io/REPO/ (untuk repositori REPO milik akun AKUN)",
        "https://ACCOUNT.github.io/REPO/ (for the repository REPO of the account ACCOUNT)",
    ),
    "deploy_base_url_local": (
        "base_url {value} ({where}) adalah alamat komputer ini: di internet setiap halaman akan mencari CSS dan "
        "tautannya di sana. Tulis alamat situs yang sebenarnya di kimsite.yaml, misalnya base_url: {suggestion}, "
        "atau pakai --base-url",
        "base_url {value} ({where}) is this computer's own address: on the internet every page would look for "
        "its CSS and links there. Write the site's real address in kimsite.yaml, e.g. base_url: {suggestion}, "
        "or pass --base-url",
    ),
    "deploy_base_url_placeholder": (
        "base_url {value} ({where}) masih contoh dari kimsite init: tulis alamat situs Anda di kimsite.yaml, "
        "misalnya base_url: {suggestion}, atau pakai --base-url",
        "base_url {value} ({where}) is still the example kimsite init wrote: write your site's address in "
        "kimsite.yaml, e.g. base_url: {suggestion}, or pass --base-url",
    ),
    "base_url_remote_mismatch": (
        "base_url {value} berbeda dengan alamat GitHub Pages repositori ini ({expected}, dari remote origin): "
        "tulis base_url: {expected} (workflow GitHub Actions tetap memakai alamat Pages; kimsite deploy dan "
        "build di komputer memakai base_url)",
        "base_url {value} differs from this repository's GitHub Pages address ({expected}, from the origin "
        "remote): write base_url: {expected} (the GitHub Actions workflow uses the Pages address anyway; "
        "kimsite deploy and local builds use base_url)",
    ),
    "base_url_not_public": (
        "base_url {value} bukan alamat di internet (alamat komputer ini atau contoh dari kimsite init): "
        "kimsite deploy menolaknya. Tulis alamat situs Anda, misalnya base_url: {suggestion} "
        "(workflow GitHub Actions mengisinya sendiri)",
        "base_url {value} is not an internet address (this computer's, or the example kimsite init wrote): "
        "kimsite deploy refuses it. Write your site's address, e.g. base_url: {suggestion} "
        "(the GitHub Actions workflow sets it itself)",
    ),
    "init_base_url_remote": (
        "base_url: {url} (dari remote git origin; ubah di kimsite.yaml bila alamatnya lain)",
        "base_url: {url} (from the git remote origin; change it in kimsite.yaml if the address differs)",
    ),
    "init_base_url_placeholder": (
        "base_url: {url} (contoh: belum ada remote GitHub). Setelah membuat repositori, tulis alamatnya di "
        "kimsite.yaml, misalnya https://AKUN.github.io/REPO/; kimsite check akan menyebutkannya",
        "base_url: {url} (an example: there is no GitHub remote yet). Once the repository exists, write its "
        "address in kimsite.yaml, e.g. https://ACCOUNT.github.io/REPO/; kimsite check will name it",
    ),
    # --- pictures ----------------------------------------------------------------
    "image_too_large": (
        "gambar {image} berukuran {size} MB, melebihi batas {limit} MB: perkecil dulu (misalnya ke lebar 2000 piksel)",
        "the image {image} is {size} MB, over the {limit} MB limit: make it smaller first (e.g. 2000 pixels wide)",
    ),
    "image_too_many_pixels": (
        "gambar {image} terlalu besar ({width}×{height} piksel, batas {limit} megapiksel): perkecil dulu",
        "the image {image} is too large ({width}×{height} pixels, limit {limit} megapixels): make it smaller first",
    ),
    "image_corrupt": (
        "gambar {image} rusak atau bukan gambar ({reason}): simpan ulang sebagai JPEG atau PNG",
        "the image {image} is damaged or not an image ({reason}): save it again as JPEG or PNG",
    ),
    "image_unreadable": (
        "gambar {image} tidak dapat dibaca ({reason})",
        "the image {image} cannot be read ({reason})",
    ),
    "image_alt_missing": (
        "gambar \"{image}\" tidak punya teks alternatif: tulis ![keterangan gambar]({image}) atau image_alt:",
        "the image \"{image}\" has no alternative text: write ![what it shows]({image}) or image_alt:",
    ),
    "search_unavailable": (
        "pencarian (--search) membutuhkan Pagefind: pip install 'kimsite[search]' ({reason})",
        "search (--search) needs Pagefind: pip install 'kimsite[search]' ({reason})",
    ),
    "search_failed": (
        "Pagefind gagal membuat indeks pencarian untuk {folder}: {reason}",
        "Pagefind failed to index {folder}: {reason}",
    ),
    # --- kimsite fetch (remote feeds) -----------------------------------------
    "fetch_site_not_remote": (
        "\"{slug}\" bukan KIM jarak jauh (tanpa feed:) dan bukan portal: tidak ada yang diambil",
        "\"{slug}\" is neither a remote KIM (no feed:) nor a portal: there is nothing to fetch",
    ),
    "fetch_line_ok": (
        "{file}: ok: {url} ({count} artikel, {new} baru, {seconds} detik)",
        "{file}: ok: {url} ({count} articles, {new} new, {seconds} s)",
    ),
    "fetch_line_not_modified": (
        "{file}: tidak berubah: {url} ({count} artikel tersimpan tetap dipakai)",
        "{file}: not modified: {url} (the {count} stored articles stay)",
    ),
    "fetch_failed_kept": (
        "feed {url} gagal diambil: {why_id}. Salinan terakhir ({count} artikel, diambil {date}) tetap dipakai",
        "the feed {url} could not be fetched: {why_en}. The last good copy ({count} articles, fetched {date}) "
        "is kept",
    ),
    "fetch_failed_empty": (
        "feed {url} gagal diambil: {why_id}. Belum ada salinan, jadi KIM ini tampil tanpa artikel",
        "the feed {url} could not be fetched: {why_en}. There is no stored copy yet, so this KIM shows "
        "no articles",
    ),
    "fetch_gone_kept": (
        "feed {url} {why_id}. Salinan terakhir ({count} artikel, diambil {date}) tetap dipakai",
        "the feed {url} {why_en}. The last good copy ({count} articles, fetched {date}) is kept",
    ),
    "fetch_gone_empty": (
        "feed {url} {why_id}",
        "the feed {url} {why_en}",
    ),
    "fetch_moved": (
        "feed {url} pindah permanen ke {new_url}: ganti alamatnya di berkas ini",
        "the feed {url} moved permanently to {new_url}: update the address in this file",
    ),
    "fetch_summary": (
        "{total} feed: {ok} berhasil, {not_modified} tidak berubah, {failed} gagal ({seconds} detik); "
        "disimpan di feeds/",
        "{total} {total|feed|feeds}: {ok} fetched, {not_modified} not modified, {failed} failed ({seconds} s); "
        "stored in feeds/",
    ),
    "opml_path_bad": (
        "daftar anggota '{value}' harus berkas .opml di folder sites/, misalnya sites/anggota.opml",
        "member list '{value}' must be an .opml file in the sites/ folder, e.g. sites/anggota.opml",
    ),
    "opml_missing": (
        "daftar anggota {path} tidak ada (atau berupa tautan/folder): simpan berkas OPML itu di sana",
        "member list {path} does not exist (or is a link or a folder): save the OPML file there",
    ),
    "opml_too_large": (
        "daftar anggota terlalu besar ({size} MB; batasnya {limit} MB)",
        "the member list is too large ({size} MB; the limit is {limit} MB)",
    ),
    "opml_not_opml": (
        "ini bukan berkas OPML (elemen pertamanya <{tag}>, bukan <opml>)",
        "this is not an OPML file (its first element is <{tag}>, not <opml>)",
    ),
    "opml_too_deep": (
        "daftar anggota bersarang lebih dari {limit} tingkat",
        "the member list is nested more than {limit} levels deep",
    ),
    "opml_too_many": (
        "daftar anggota berisi lebih dari {limit} feed: pecah menjadi beberapa portal",
        "the member list holds more than {limit} feeds: split it into several portals",
    ),
    "opml_entities": (
        "daftar anggota memakai deklarasi entitas XML (<!ENTITY>), yang ditolak demi keamanan: hapus bagian itu",
        "the member list uses XML entity declarations (<!ENTITY>), refused for safety: remove them",
    ),
    "opml_bad_xml": (
        "daftar anggota bukan XML yang benar ({detail}): periksa tanda < > dan tanda kutip di baris ini",
        "the member list is not well-formed XML ({detail}): check the < > and quotes on this line",
    ),
    "opml_feed_bad_url": (
        "alamat feed '{value}' bukan alamat http(s) yang benar; anggota ini dilewati",
        "feed address '{value}' is not a valid http(s) address; this member is skipped",
    ),
    "opml_no_feeds": (
        "daftar anggota tidak berisi satu pun <outline xmlUrl=\"...\">",
        "the member list holds no <outline xmlUrl=\"...\">",
    ),
    "fetch_none": (
        "tidak ada feed untuk diambil: tulis feed: dan url: di sites/<slug>.yaml untuk KIM yang memakai "
        "Blogspot atau WordPress",
        "there is no feed to fetch: write feed: and url: in sites/<slug>.yaml for a KIM that uses "
        "Blogspot or WordPress",
    ),
    "fetch_why_host_down": (
        "server {host} tidak menjawab feed lain dalam pengambilan ini, jadi feed ini tidak ditunggu; "
        "dicoba lagi pada pengambilan berikutnya",
        "the server {host} did not answer other feeds of this run, so this one was not waited for; "
        "it is tried again on the next run",
    ),
    "fetch_why_deadline": (
        "batas waktu seluruh pengambilan habis ({seconds} detik; atur fetch: deadline: di kimsite.yaml "
        "atau --deadline); dicoba lagi pada pengambilan berikutnya",
        "the whole fetch ran out of time ({seconds} s; set fetch: deadline: in kimsite.yaml or --deadline); "
        "it is tried again on the next run",
    ),
    "fetch_why_timeout": (
        "waktu habis (batas {seconds} detik per feed; atur fetch: timeout: di kimsite.yaml)",
        "it took too long (limit {seconds} s per feed; set fetch: timeout: in kimsite.yaml)",
    ),
    "fetch_why_too_large": (
        "feed lebih besar dari {limit} MB",
        "the feed is larger than {limit} MB",
    ),
    "fetch_why_too_many_redirects": (
        "terlalu banyak pengalihan (lebih dari {limit})",
        "too many redirects (more than {limit})",
    ),
    "fetch_why_redirect_loop": (
        "pengalihan berputar-putar (alamat yang sama muncul lagi)",
        "the redirects go round in a loop",
    ),
    "fetch_why_scheme": (
        "hanya alamat http:// atau https:// yang diambil, bukan {scheme}:",
        "only http:// and https:// addresses are fetched, not {scheme}:",
    ),
    "fetch_why_bad_url": (
        "alamat \"{url}\" tidak dapat dibaca",
        "the address \"{url}\" cannot be read",
    ),
    "fetch_why_blocked": (
        "{host} menunjuk ke alamat jaringan lokal/privat ({address}) dan ditolak; jika memang sengaja, "
        "tulis host itu di fetch: allow_hosts: di kimsite.yaml",
        "{host} points to a local/private network address ({address}) and was refused; if this is "
        "intended, list the host under fetch: allow_hosts: in kimsite.yaml",
    ),
    "fetch_why_gone": (
        "sudah dihapus pemiliknya (410 Gone): ganti alamat feed di berkas ini atau hapus KIM ini",
        "was removed by its owner (410 Gone): change the feed address in this file or remove this KIM",
    ),
    "fetch_why_blocked_ip": (
        "{address} adalah alamat jaringan lokal/privat dan ditolak; jika memang sengaja, tulis alamat itu "
        "di fetch: allow_hosts: di kimsite.yaml",
        "{address} is a local/private network address and was refused; if this is intended, list it under "
        "fetch: allow_hosts: in kimsite.yaml",
    ),
    "fetch_why_dns": (
        "nama server {host} tidak ditemukan",
        "the server name {host} was not found",
    ),
    "fetch_why_connect": (
        "tidak dapat terhubung ke server ({detail})",
        "cannot connect to the server ({detail})",
    ),
    "fetch_why_network": (
        "sambungan terputus atau jawaban server rusak ({detail})",
        "the connection broke or the server's answer is damaged ({detail})",
    ),
    "fetch_why_http_status": (
        "server menjawab dengan kode HTTP {status}",
        "the server answered with HTTP status {status}",
    ),
    "fetch_why_encoding": (
        "server memakai pemampatan yang tidak dikenal ({encoding})",
        "the server uses an unknown compression ({encoding})",
    ),
    "fetch_why_decode": (
        "isi yang dimampatkan (gzip/deflate) rusak",
        "the compressed (gzip/deflate) content is damaged",
    ),
    "fetch_why_entities": (
        "dokumen mendeklarasikan entitas XML (<!ENTITY>), yang ditolak demi keamanan",
        "the document declares XML entities (<!ENTITY>), which are refused for safety",
    ),
    "fetch_why_not_a_feed": (
        "isinya bukan feed RSS/Atom (halaman HTML atau XML rusak?): periksa alamat feed",
        "the content is not an RSS/Atom feed (an HTML page or broken XML?): check the feed address",
    ),
    "fetch_why_no_links": (
        "tidak ada satu pun artikel dengan tautan http(s)",
        "no article has an http(s) link",
    ),
    "fetch_why_parse_timeout": (
        "feed terlalu rumit untuk dibaca dalam {seconds} detik",
        "the feed is too complex to read within {seconds} s",
    ),
    "fetch_why_parse_failed": (
        "feed tidak dapat dibaca ({detail})",
        "the feed cannot be read ({detail})",
    ),
    "fetch_why_internal": (
        "kesalahan tak terduga ({detail})",
        "an unexpected error ({detail})",
    ),
    # --- kimsite fetch: never a worse copy (ill-formed, empty, Retry-After) ------
    "fetch_why_ill_formed": (
        "unduhan ini XML yang rusak atau terpotong ({detail}) dan hanya berisi {got} artikel, lebih sedikit "
        "dari salinan tersimpan; jika masalahnya tetap ada, periksa feed itu di https://validator.w3.org/feed/",
        "this download is broken or truncated XML ({detail}) and holds only {got} {got|article|articles}, fewer than the "
        "stored copy; if it keeps happening, check the feed at https://validator.w3.org/feed/",
    ),
    "fetch_why_empty_feed": (
        "feed itu kini tidak berisi satu artikel pun (biasanya blog yang bermasalah); jika KIM itu memang "
        "menghapus semua artikelnya, hapus {file} lalu jalankan kimsite fetch lagi",
        "the feed now holds no article at all (usually a blog with a problem); if the KIM really deleted all "
        "its articles, delete {file} and run kimsite fetch again",
    ),
    "fetch_why_retry_later": (
        "server sedang sibuk (HTTP {status}) dan meminta menunggu {seconds} detik, lebih lama dari batas "
        "waktu feed; coba lagi setelah {when}",
        "the server is busy (HTTP {status}) and asks to wait {seconds} s, longer than the feed's time limit; "
        "try again after {when}",
    ),
    "fetch_why_busy_again": (
        "server masih sibuk (HTTP {status}) setelah ditunggu sekali; coba lagi setelah {when}",
        "the server is still busy (HTTP {status}) after one wait; try again after {when}",
    ),
    # --- kimsite import (Blogger, WordPress, full-content feeds) and aliases: -------
    "import_bad_kim": (
        "\"{value}\" bukan slug KIM yang sah: pakai huruf kecil, angka dan tanda minus, misalnya kim-maju-jaya",
        "\"{value}\" is not a valid KIM slug: use lowercase letters, digits and dashes, e.g. kim-maju-jaya",
    ),
    "import_no_file": (
        "berkas ekspor tidak ditemukan: periksa nama dan foldernya (misalnya blog-05-21-2024.xml)",
        "the export file does not exist: check its name and folder (e.g. blog-05-21-2024.xml)",
    ),
    "import_empty": (
        "berkas ekspor kosong: unduh ulang dari Blogger (Setelan > Kelola blog > Cadangkan konten) atau "
        "WordPress (Alat > Ekspor)",
        "the export file is empty: download it again from Blogger (Settings > Manage blog > Back up content) or "
        "WordPress (Tools > Export)",
    ),
    "import_not_xml": (
        "berkas ini bukan ekspor XML (awalnya \"{detail}\"): pilih berkas .xml hasil ekspor Blogger atau WordPress",
        "this file is not an XML export (it starts with \"{detail}\"): choose the .xml file Blogger or WordPress "
        "exported",
    ),
    "import_bad_xml": (
        "XML ekspor rusak di baris {row} kolom {column} (unduhan terputus?): ekspor ulang blognya",
        "the export's XML is broken at line {row} column {column} (an interrupted download?): export the blog "
        "again",
    ),
    "import_entities": (
        "ekspor mendeklarasikan entitas XML (<!ENTITY>), yang ditolak demi keamanan: ekspor asli Blogger dan "
        "WordPress tidak memakainya; ekspor ulang blognya",
        "the export declares XML entities (<!ENTITY>), which are refused for safety: real Blogger and WordPress "
        "exports do not use them; export the blog again",
    ),
    "import_too_large": (
        "berkas ekspor terlalu besar ({size} MB; batasnya {limit} MB): ekspor per tahun atau per kategori",
        "the export is too large ({size} MB; the limit is {limit} MB): export a year or a category at a time",
    ),
    "import_unknown_format": (
        "berkas ini XML tetapi bukan ekspor Blogger, WordPress (WXR) atau feed RSS/Atom (elemen akarnya "
        "<{root}>)",
        "this file is XML but not a Blogger, WordPress (WXR) export or an RSS/Atom feed (its root element is "
        "<{root}>)",
    ),
    "import_download_failed": (
        "feed tidak dapat diunduh: {reason}",
        "the feed cannot be downloaded: {reason}",
    ),
    "import_site_is_portal": (
        "{slug} adalah portal, bukan KIM: impor ke slug KIM (sites/<slug>.yaml tanpa kind: portal)",
        "{slug} is a portal, not a KIM: import into a KIM's slug (sites/<slug>.yaml without kind: portal)",
    ),
    "import_site_is_remote": (
        "KIM {slug} diambil dari feed (feed: di berkas situsnya): hapus baris feed: dan url: dulu agar "
        "artikelnya disimpan di content/{slug}/",
        "the KIM {slug} is read from a feed (feed: in its site file): remove its feed: and url: lines first so "
        "its articles live in content/{slug}/",
    ),
    "import_needs_kecamatan": (
        "KIM {slug} belum ada: tambahkan --kecamatan NAMA (dan --name \"KIM ...\") agar sites/{slug}.yaml dibuat",
        "the KIM {slug} does not exist yet: add --kecamatan NAME (and --name \"KIM ...\") to create "
        "sites/{slug}.yaml",
    ),
    "import_picture_not_picture": (
        "isinya bukan gambar JPEG, PNG, GIF atau WebP",
        "its content is not a JPEG, PNG, GIF or WebP picture",
    ),
    "import_picture_too_large": (
        "gambar lebih besar dari {limit} MB: perkecil di blog lama atau simpan sendiri di media/",
        "the picture is larger than {limit} MB: make it smaller on the old blog or save it in media/ yourself",
    ),
    "import_picture_timeout": (
        "waktu habis (batas {seconds} detik per gambar; atur fetch: timeout: di kimsite.yaml)",
        "timed out (limit {seconds} s per picture; set fetch: timeout: in kimsite.yaml)",
    ),
    "import_picture_gone": (
        "gambar sudah dihapus dari blog lama (410 Gone)",
        "the picture was deleted from the old blog (410 Gone)",
    ),
    "import_format_blogger": ("ekspor Blogger", "Blogger export"),
    "import_format_wordpress": ("ekspor WordPress", "WordPress export"),
    "import_format_feed": ("feed RSS/Atom", "RSS/Atom feed"),
    "import_source": ("membaca {format}: {title} ({url})", "reading {format}: {title} ({url})"),
    "import_would_create": ("akan dibuat: {path}", "would be created: {path}"),
    "import_line_new": ("ditulis: {path}{draft}", "written: {path}{draft}"),
    "import_line_replaced": ("diganti: {path}{draft}", "replaced: {path}{draft}"),
    "import_draft_mark": (" (draft)", " (draft)"),
    "import_line_skipped": ("dilewati: {path} ({why})", "skipped: {path} ({why})"),
    "import_shortcode_kept": (
        "{path}: shortcode WordPress [{name}] tidak dikenal dan dibiarkan sebagai teks: sunting bagian itu",
        "{path}: the WordPress shortcode [{name}] is unknown and was kept as text: edit that part",
    ),
    "import_picture_failed": (
        "gambar tidak diunduh, alamat lamanya dipakai: {url} ({why})",
        "picture not downloaded, its old address is kept: {url} ({why})",
    ),
    "import_redirects_note": (
        "{count} alamat lama di {domain} dicatat di aliases:; halaman pengalihan dibuat di alamat itu saat KIM "
        "{kim} dibangun untuk domainnya (kimsite build --site {kim})",
        "{count} old addresses on {domain} are recorded in aliases:; redirect pages are written there when the KIM "
        "{kim} is built for its domain (kimsite build --site {kim})",
    ),
    "import_moves_heading": (
        "{count} alamat lama -> alamat baru (pasang di blog lama, misalnya dalam tulisan terakhir "
        "\"Kami pindah\"):",
        "{count} old addresses -> new addresses (post them on the old blog, e.g. in a last \"We have moved\" "
        "post):",
    ),
    "import_summary": (
        "selesai: {articles} artikel dan {pages} halaman ditulis ({drafts} draft)",
        "done: {articles} articles and {pages} pages written ({drafts} drafts)",
    ),
    "import_summary_dry": (
        "uji coba (--dry-run), tidak ada yang ditulis: {articles} artikel dan {pages} halaman akan ditulis "
        "({drafts} draft)",
        "dry run (--dry-run), nothing written: {articles} articles and {pages} pages would be written "
        "({drafts} drafts)",
    ),
    "import_summary_skipped": ("dilewati: {list}", "skipped: {list}"),
    "import_summary_images": (
        "gambar: {downloaded} diunduh ke media/, {failed} gagal (alamat lamanya tetap dipakai)",
        "pictures: {downloaded} downloaded to media/, {failed} failed (their old addresses are kept)",
    ),
    "import_summary_images_dry": (
        "gambar: {count} akan diunduh ke media/",
        "pictures: {count} would be downloaded to media/",
    ),
    "import_summary_no_images": (
        "gambar: {count} tetap di alamat lama (--no-images)",
        "pictures: {count} keep their old addresses (--no-images)",
    ),
    "import_summary_shortcodes": (
        "{count} shortcode dibiarkan sebagai teks (lihat di atas)",
        "{count} shortcodes were kept as text (see above)",
    ),
    "import_skip_comment": ("komentar", "comments"),
    "import_skip_spam": ("komentar spam", "spam comments"),
    "import_skip_attachment": ("lampiran (berkas media WordPress)", "attachments (WordPress media items)"),
    "import_skip_trash": ("di tempat sampah", "in the trash"),
    "import_skip_private": ("pribadi (private): tidak diterbitkan", "private: not published"),
    "import_skip_password": ("dilindungi kata sandi", "password-protected"),
    "import_skip_auto_draft": ("draft otomatis kosong", "empty auto-drafts"),
    "import_skip_revision": ("revisi", "revisions"),
    "import_skip_other_type": ("jenis lain (menu, blok, CSS...)", "other types (menus, blocks, CSS...)"),
    "import_skip_no_date": ("tanpa tanggal", "without a date"),
    "import_skip_empty": ("kosong (tanpa judul dan isi)", "empty (no title and no text)"),
    "import_skip_too_large": (
        "terlalu panjang untuk satu artikel (lebih dari 5 MB): pecah di blog lama lalu impor lagi",
        "too long for one article (over 5 MB): split it on the old blog and import again",
    ),
    "import_skip_already_imported": (
        "sudah diimpor sebelumnya (pakai --update untuk menggantinya)",
        "already imported (use --update to replace)",
    ),
    "import_bad_category_map": (
        "--category harus berbentuk LABEL=Kategori, bukan \"{value}\"",
        "--category must read LABEL=Category, not \"{value}\"",
    ),
    "alias_invalid": (
        "\"{value}\" bukan alamat lama yang sah: tulis alamat lengkap (https://...) atau jalur yang diawali /",
        "\"{value}\" is not a valid old address: write a full address (https://...) or a path starting with /",
    ),
    # --- hostile and broken input ------------------------------------------------
    "markdown_too_complex": (
        "isi artikel terlalu rumit untuk pembaca Markdown bawaan (ribuan baris, ribuan tanda < [ ` \\ dalam satu "
        "paragraf, atau daftar/kutipan bertingkat sangat dalam), jadi dibaca dengan pembaca gaya GitHub (gfm): "
        "periksa tampilannya, atau pecah artikel menjadi beberapa bagian",
        "the article body is too complex for the default Markdown reader (thousands of lines, thousands of "
        "< [ ` \\ marks in one paragraph, or very deeply nested lists/quotes), so it was read with the GitHub-style "
        "(gfm) reader: check how it looks, or split the article",
    ),
    "html_nested_too_deep": (
        "HTML di isi artikel bersarang lebih dari 500 tingkat (misalnya <div> di dalam <div> ribuan kali), "
        "jadi isinya ditampilkan sebagai teks biasa: hapus tag yang bertumpuk itu",
        "the article body's HTML nests more than 500 levels deep (for example thousands of <div>s inside each "
        "other), so it is shown as plain text: remove the stacked tags",
    ),
    "field_too_many": (
        "\"{field}\" berisi {count} butir; hanya {limit} yang pertama dipakai: kurangi daftarnya",
        "\"{field}\" has {count} items; only the first {limit} are used: shorten the list",
    ),
    "field_control_chars": (
        "nilai \"{field}\" berisi karakter kendali yang tak terlihat; karakter itu dibuang",
        "the value of \"{field}\" contains invisible control characters; they were removed",
    ),
    # --- site files, links, base_url and rendering failures ------------------------------
    "config_bad_base_url_option": (
        "--base-url: \"{value}\" tidak dapat dipakai ({reason}): tulis alamat lengkap, misalnya "
        "--base-url https://nama.github.io/repo/",
        "--base-url: \"{value}\" cannot be used ({reason}): write a full address, for example "
        "--base-url https://name.github.io/repo/",
    ),
    "base_url_characters": (
        "berisi spasi, karakter kendali atau salah satu dari \" < > \\ ` {{ }} | ^; tulis spasi sebagai %20",
        "it contains a space, a control character or one of \" < > \\ ` {{ }} | ^; write a space as %20",
    ),
    "base_url_host_or_port": (
        "nama host atau nomor port tidak valid (port 1–65535, alamat IPv6 di antara [ ], tanpa nama pengguna)",
        "the host name or port is invalid (port 1–65535, an IPv6 address inside [ ], no user name)",
    ),
    "base_url_not_web": (
        "harus diawali http:// atau https://",
        "it must start with http:// or https://",
    ),
    "base_url_path": (
        "jalurnya berisi // atau bagian . atau ..; tulis misalnya https://nama.github.io/repo/",
        "its path holds // or a . or .. part; write for example https://name.github.io/repo/",
    ),
    "base_url_too_long": ("lebih dari 500 karakter", "it is longer than 500 characters"),
    "base_url_query": (
        "tidak boleh berisi ? atau #",
        "it must not contain ? or #",
    ),
    "field_not_mapping": (
        "{field}: harus berisi pasangan kunci: nilai, masing-masing di baris sendiri yang menjorok di bawah "
        "{field}: (misalnya \"  email: kim@contoh.id\")",
        "{field}: must hold key: value pairs, each on its own indented line below {field}: (for example "
        "\"  email: kim@example.org\")",
    ),
    "field_too_many_items": (
        "{field}: {count} butir, paling banyak {limit}",
        "{field}: {count} items, at most {limit}",
    ),
    "link_bad_web": (
        "{field}: \"{value}\" bukan alamat web yang aman; tulis alamat lengkap yang diawali https:// atau "
        "http://, misalnya https://kim-desa.blogspot.com/",
        "{field}: \"{value}\" is not a safe web address; write a full address starting with https:// or "
        "http://, for example https://kim-desa.blogspot.com/",
    ),
    "link_bad_email": (
        "{field}: \"{value}\" bukan alamat surel; tulis misalnya kim.desa@contoh.id",
        "{field}: \"{value}\" is not an e-mail address; write for example kim.village@example.org",
    ),
    "link_bad_whatsapp": (
        "{field}: \"{value}\" bukan nomor WhatsApp; tulis misalnya \"081234567890\" atau https://wa.me/6281234567890",
        "{field}: \"{value}\" is not a WhatsApp number; write for example \"081234567890\" or "
        "https://wa.me/6281234567890",
    ),
    "link_bad_phone": (
        "{field}: \"{value}\" bukan nomor telepon; tulis hanya angka, spasi, + ( ) - . /, misalnya \"(0264) 123456\"",
        "{field}: \"{value}\" is not a telephone number; write only digits, spaces and + ( ) - . /, for example "
        "\"(0264) 123456\"",
    ),
    "link_bad_social": (
        "{field}: \"{value}\" bukan alamat profil yang aman; tulis alamat lengkap (https://instagram.com/namakim) "
        "atau nama akun saja (@namakim)",
        "{field}: \"{value}\" is not a safe profile address; write a full address (https://instagram.com/kimname) "
        "or only the account name (@kimname)",
    ),
    "link_bad_logo": (
        "{field}: \"{value}\" harus alamat https:// atau berkas di folder KIM ini, misalnya media/logo.png",
        "{field}: \"{value}\" must be an https:// address or a file in this KIM's folder, for example "
        "media/logo.png",
    ),
    "render_failed": (
        "halaman {page} tidak dapat dibuat ({detail}); _site/ sebelumnya tidak diubah. Jika galat ini tetap "
        "muncul, laporkan ke pengembang kimsite",
        "the page {page} could not be made ({detail}); the previous _site/ was left unchanged. If this error "
        "stays, report it to the kimsite developers",
    ),
    "card_failed": (
        "gambar berbagi {page} tidak dapat digambar ({detail}): periksa nama, kecamatan dan desa di berkas ini",
        "the share card {page} could not be drawn ({detail}): check the name, kecamatan and desa in this file",
    ),
    # --- kimsite cms (the browser editor at /admin/) -----------------------------------
    "cms_generated_note": (
        "Dibuat oleh kimsite cms dari workspace ini dan ditulis ulang setiap kali; jangan disunting. "
        "Tambahan sendiri: {extra}.",
        "Made by kimsite cms from this workspace and rewritten each time; do not edit. "
        "Your own additions: {extra}.",
    ),
    "cms_written": ("ditulis: {file}", "written: {file}"),
    "cms_unchanged": ("tidak berubah: {file}", "unchanged: {file}"),
    "cms_edited_by_hand": (
        "{file} sudah diubah dengan tangan, jadi kimsite tidak menimpanya. Pindahkan tambahan Anda ke {extra} "
        "(digabungkan setiap kali kimsite cms berjalan), hapus {file}, lalu jalankan kimsite cms lagi",
        "{file} was edited by hand, so kimsite will not overwrite it. Move your additions to {extra} "
        "(merged in each time kimsite cms runs), delete {file}, then run kimsite cms again",
    ),
    "cms_not_regular": (
        "{file} bukan berkas atau folder biasa (mungkin tautan simbolik): kimsite tidak menulis ke sana",
        "{file} is not a regular file or folder (perhaps a symbolic link): kimsite will not write there",
    ),
    "cms_extra_invalid": (
        "{file}:{line}: tidak dapat dibaca ({reason}); perbaiki berkas itu lalu jalankan kimsite cms lagi",
        "{file}:{line}: cannot be read ({reason}); fix that file and run kimsite cms again",
    ),
    "cms_extra_not_mapping": (
        "isinya harus berupa pasangan kunci: nilai, seperti config.yml",
        "it must hold key: value pairs, like config.yml",
    ),
    "cms_no_workspace": (
        "{path} bukan workspace kimsite (tidak ada kimsite.yaml): jalankan kimsite init dulu, atau pakai -C FOLDER",
        "{path} is not a kimsite workspace (no kimsite.yaml): run kimsite init first, or use -C FOLDER",
    ),
    "cms_bad_repo": (
        "--repo {value}: tulis repositori GitHub sebagai PEMILIK/NAMA, misalnya diskominfo-purwakarta/kim",
        "--repo {value}: write the GitHub repository as OWNER/NAME, for example diskominfo-purwakarta/kim",
    ),
    "cms_no_remote": (
        "peringatan: repositori GitHub tidak diketahui (tidak ada remote origin di GitHub dan base_url bukan "
        "alamat github.io), jadi {file} memakai OWNER/REPO. Jalankan kimsite cms lagi setelah "
        "git remote add origin https://github.com/PEMILIK/NAMA.git, atau dengan --repo PEMILIK/NAMA",
        "warning: the GitHub repository is unknown (no origin remote on GitHub and base_url is not a github.io "
        "address), so {file} uses OWNER/REPO. Run kimsite cms again after "
        "git remote add origin https://github.com/OWNER/NAME.git, or with --repo OWNER/NAME",
    ),
    "cms_done": (
        "Penyunting untuk {kims} KIM siap: repositori {repo}, cabang {branch}. Setelah build berikutnya terbit, "
        "buka {url} dan masuk dengan token GitHub (lihat docs/editor.md)",
        "Editor for {kims} {kims|KIM|KIMs} ready: repository {repo}, branch {branch}. Once the next build is published, "
        "open {url} and sign in with a GitHub token (see docs/editor-en.md)",
    ),
}


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of a message that is itself translated (e.g. an optional hint)."""

    key: str
    args: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str) -> str:
        return message(self.key, lang, **dict(self.args))


def message(key: str, lang: str, /, **args: object) -> str:
    """The text of message `key` in `lang` ("id" or "en") with `args` filled in."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key + (" " + repr(args) if args else "")
    template = choose_forms(pair[1] if lang == "en" else pair[0], lang, args)
    args = {name: value.text(lang) if isinstance(value, Part) else value for name, value in args.items()}
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError):
        return template
