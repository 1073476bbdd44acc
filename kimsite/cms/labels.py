"""What the editor shows volunteers: collection and field labels and hints, Indonesian and English."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "app_title": ("Penyunting {title}", "{title} editor"),
    "noscript": ("Penyunting ini memerlukan JavaScript. Bacaan situs tidak.",
                 "This editor needs JavaScript. The site's pages do not."),
    # collections
    "berita": ("Berita", "News"),
    "berita_one": ("Berita", "News article"),
    "klarifikasi": ("Cek Fakta", "Fact checks"),
    "klarifikasi_one": ("Klarifikasi hoaks", "Hoax clarification"),
    "agenda": ("Agenda", "Events"),
    "agenda_one": ("Kegiatan", "Event"),
    "produk": ("Potensi Desa", "Village products"),
    "produk_one": ("Produk", "Product"),
    "halaman": ("Halaman", "Pages"),
    "halaman_one": ("Halaman", "Page"),
    "collection_label": ("{what} · {kim}", "{what} · {kim}"),
    "collection_description": ("Tulisan {kim} (Kecamatan {kecamatan}), disimpan di {folder}.",
                               "Posts of {kim} ({kecamatan} district), saved in {folder}."),
    # fields every article has
    "title": ("Judul", "Title"),
    "title_hint": ("Paling banyak {limit} karakter, agar utuh saat dibagikan di WhatsApp.",
                   "At most {limit} characters, so it shows whole when shared on WhatsApp."),
    "title_pattern": ("Judul harus memuat huruf atau angka (menjadi nama berkas dan alamat).",
                      "The title needs letters or digits (it makes the file name and address)."),
    "page_title_pattern": ("Judul ini dipakai situs untuk halamannya sendiri (Profil, Arsip, Kategori, Cek Fakta, "
                           "Agenda, tahun...): pilih judul lain, misalnya Tentang Kami.",
                           "The site uses this title for its own pages (Profile, Archive, Category, a year...): "
                           "choose another, for example About Us."),
    "date": ("Tanggal terbit", "Publication date"),
    "date_hint": ("Waktu {zone}. Tanggal mendatang: terbit otomatis pada waktunya.",
                  "{zone} time. A future date publishes the post when it comes."),
    "summary": ("Ringkasan", "Summary"),
    "summary_hint": ("Satu atau dua kalimat untuk daftar berita dan pratinjau tautan (paling banyak {limit} "
                     "karakter). Kosongkan untuk memakai awal tulisan.",
                     "One or two sentences for article lists and link previews (at most {limit} characters). "
                     "Leave empty to use the start of the text."),
    "summary_required_hint": ("Wajib diisi di workspace ini. Paling banyak {limit} karakter.",
                              "Required in this workspace. At most {limit} characters."),
    "category": ("Kategori", "Category"),
    "category_hint": ("Kategori yang sudah dipakai: {existing}. Tulis persis sama agar masuk kategori itu, "
                      "atau tulis nama baru.",
                      "Categories in use: {existing}. Write one exactly to join it, or write a new name."),
    "category_hint_none": ("Belum ada kategori. Tulis nama kategori, misalnya Pemerintahan.",
                           "No categories yet. Write a category name, for example Government."),
    "tags": ("Tag", "Tags"),
    "tag": ("Tag", "Tag"),
    "tags_hint": ("Paling banyak {limit} tag.", "At most {limit} tags."),
    "author": ("Penulis", "Author"),
    "image": ("Foto utama", "Main photo"),
    "image_hint": ("Foto disimpan di folder media/ KIM ini dan diperkecil sebelum diunggah.",
                   "The photo is saved in this KIM's media/ folder and made smaller before uploading."),
    "image_alt": ("Keterangan foto", "Photo description"),
    "image_caption": ("Teks di bawah foto (boleh kosong)", "Caption under the photo (optional)"),
    "image_credit": ("Fotografer atau sumber foto (boleh kosong)", "Photographer or photo source (optional)"),
    "image_alt_hint": ("Wajib. Jelaskan isi foto untuk pembaca tunanetra dan saat foto tidak termuat. "
                       "Tanpa foto: tulis satu kalimat tentang isi tulisan.",
                       "Required. Describe the photo for blind readers and for when it does not load. "
                       "No photo: write one sentence about the post."),
    "draft": ("Konsep (belum terbit)", "Draft (not published)"),
    "body": ("Isi", "Text"),
    "body_hint": ("Setiap foto di dalam isi perlu teks alternatif (keterangan).",
                  "Every photo in the text needs an alternative text (description)."),
    "text_pattern": ("Tidak boleh hanya spasi.", "Cannot be only spaces."),
    # klarifikasi
    "klaim": ("Klaim yang beredar", "Claim in circulation"),
    "sumber_klaim": ("Sumber klaim", "Source of the claim"),
    "sumber_klaim_hint": ("Misalnya: pesan berantai WhatsApp.", "For example: a forwarded WhatsApp message."),
    "tanggal_klaim": ("Tanggal klaim beredar", "Date the claim circulated"),
    "label": ("Label", "Verdict"),
    "rujukan": ("Rujukan", "References"),
    "rujukan_one": ("Rujukan", "Reference"),
    "rujukan_judul": ("Judul rujukan", "Reference title"),
    "rujukan_url": ("Alamat (https://…)", "Address (https://…)"),
    "url_pattern": ("Tulis alamat lengkap yang diawali https:// atau http://.",
                    "Write a full address starting with https:// or http://."),
    # agenda
    "mulai": ("Mulai", "Starts"),
    "selesai": ("Selesai", "Ends"),
    "selesai_hint": ("Boleh kosong. Jika diisi, tidak boleh lebih awal dari waktu mulai.",
                     "Optional. When given, it cannot be earlier than the start."),
    "tempat": ("Tempat", "Place"),
    "penyelenggara": ("Penyelenggara", "Organizer"),
    # produk
    "harga": ("Harga", "Price"),
    "harga_hint": ("Satu harga dalam rupiah, misalnya Rp 25.000 atau 25000.",
                   "One price in rupiah, for example Rp 25.000 or 25000."),
    "harga_pattern": ("Tulis harga seperti Rp 25.000 atau 25000 (lebih dari nol).",
                      "Write a price such as Rp 25.000 or 25000 (more than zero)."),
    "produsen": ("Produsen", "Producer"),
    "desa": ("Desa", "Village"),
    "whatsapp": ("Nomor WhatsApp", "WhatsApp number"),
    "whatsapp_hint": ("Nomor ponsel Indonesia, misalnya 0812-3456-7890 atau +62 812 3456 7890.",
                      "An Indonesian mobile number, for example 0812-3456-7890 or +62 812 3456 7890."),
    "whatsapp_pattern": ("Tulis nomor ponsel Indonesia yang diawali 08, 628 atau +628.",
                         "Write an Indonesian mobile number starting with 08, 628 or +628."),
    "foto": ("Foto produk", "Product photos"),
    # halaman
    "menu_order": ("Urutan di menu", "Menu position"),
    "menu": ("Tampil di menu", "Show in the menu"),
}


def label(key: str, lang: str, /, **args: object) -> str:
    indonesian, english = LABELS[key]
    return (english if lang == "en" else indonesian).format(**args)
