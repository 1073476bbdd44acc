"""Interface text that readers see on the generated sites, Indonesian and English."""

from __future__ import annotations

UI: dict[str, tuple[str, str]] = {
    "home": ("Beranda", "Home"),
    "profile": ("Profil", "Profile"),
    "archive": ("Arsip", "Archive"),
    "archive_year": ("Arsip {year}", "Archive {year}"),
    "category": ("Kategori", "Category"),
    "categories": ("Kategori", "Categories"),
    "tag": ("Tag", "Tag"),
    "tags": ("Tag", "Tags"),
    "latest": ("Berita terbaru", "Latest news"),
    "by": ("Oleh", "By"),
    "published": ("Terbit", "Published"),
    "updated": ("Diperbarui", "Updated"),
    "older": ("Artikel sebelumnya", "Previous article"),
    "newer": ("Artikel berikutnya", "Next article"),
    "page_n": ("Halaman {n}", "Page {n}"),
    "page_of": ("Halaman {n} dari {total}", "Page {n} of {total}"),
    "prev_page": ("‹ Sebelumnya", "‹ Previous"),
    "next_page": ("Berikutnya ›", "Next ›"),
    "pagination": ("Navigasi halaman", "Pagination"),
    "read_more": ("Baca selengkapnya", "Read more"),
    "no_articles": ("Belum ada artikel.", "No articles yet."),
    "articles_count": ("{n} artikel", "{n} articles"),
    "feeds": ("Langganan", "Subscribe"),
    "rss": ("RSS", "RSS"),
    "atom": ("Atom", "Atom"),
    "menu": ("Menu", "Menu"),
    "skip": ("Langsung ke isi", "Skip to content"),
    "kecamatan": ("Kecamatan", "District"),
    "desa": ("Desa/Kelurahan", "Village"),
    "kode_wilayah": ("Kode wilayah", "Region code"),
    "kim_id": ("Nomor registrasi KIM", "KIM registry number"),
    "founded": ("Berdiri", "Founded"),
    "sk": ("Surat keputusan", "Decree"),
    "pengurus": ("Pengurus", "Board"),
    "contact": ("Kontak", "Contact"),
    "email": ("Surel", "E-mail"),
    "whatsapp": ("WhatsApp", "WhatsApp"),
    "address": ("Alamat", "Address"),
    "phone": ("Telepon", "Phone"),
    "website": ("Situs web", "Website"),
    "social": ("Media sosial", "Social media"),
    "about": ("Tentang", "About"),
    "stats": ("Aktivitas", "Activity"),
    "latest_article": ("Artikel terakhir", "Latest article"),
    "not_found_title": ("Halaman tidak ditemukan", "Page not found"),
    "not_found_text": ("Maaf, halaman yang Anda cari tidak ada atau sudah dipindahkan.",
                       "Sorry, the page you are looking for does not exist or has moved."),
    "back_home": ("Kembali ke beranda", "Back to the home page"),
    "kim_sites": ("Situs KIM", "KIM sites"),
    "all_kims": ("Semua KIM", "All KIMs"),
    "made_with": ("Dibuat dengan kimsite", "Made with kimsite"),
    "kim_full": ("Kelompok Informasi Masyarakat", "Community Information Group"),
    "years": ("Tahun", "Years"),
    "words_read": ("{minutes} menit baca", "{minutes} min read"),
    "in_category": ("dalam kategori", "in category"),
    "articles_in_category": ("Artikel dalam kategori {name}", "Articles in category {name}"),
    "articles_with_tag": ("Artikel dengan tag {name}", "Articles tagged {name}"),
    "summary": ("Ringkasan", "Summary"),
    "portal": ("Portal", "Portal"),
}


def ui(key: str, lang: str, **args: object) -> str:
    pair = UI.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**args) if args else text
