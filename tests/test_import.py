"""`kimsite import`: real and KIM-written exports become working sites.

Pictures are served from 127.0.0.1 (kimsite.yaml `fetch: allow_hosts`), so the guarded HTTP
client is used exactly as for `kimsite fetch`. Every imported workspace is checked with
`kimsite check` and built under a sub-path, and the pages are read back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from import_helpers import LoopbackServer, body_of, export_copy, front_matter, kimsite, workspace

BLOGGER_HOSTS = {"https://blogger.googleusercontent.com/img/": "{base}/img/",
                 "https://1.bp.blogspot.com/": "{base}/bp/"}
WORDPRESS_UPLOADS = {"https://kimsukamaju.desa.id/wp-content/uploads/": "{base}/wp-content/uploads/"}


def hosts(mapping: dict[str, str], base: str) -> dict[str, str]:
    return {old: new.format(base=base) for old, new in mapping.items()}


def check_clean(root: Path) -> None:
    result = kimsite("check", "-C", str(root), "--drafts")
    assert result.exit_code == 0, result.output
    assert ": galat:" not in result.output, result.output


def build_under_subpath(root: Path, out: Path, *extra: str) -> None:
    result = kimsite("build", "-C", str(root), "--base-url", "https://akun.github.io/repo/", "-o", str(out), *extra)
    assert result.exit_code == 0, result.output


@pytest.fixture
def server():
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def blogspot_site(tmp_path, server):
    root = workspace(tmp_path / "ws")
    export = export_copy("kim-blogspot.xml", tmp_path / "blog-03-04-2024.xml", hosts(BLOGGER_HOSTS, server.base))
    result = kimsite("import", str(export), "--kim", "kim-maju-jaya", "--kecamatan", "Cilangkap",
                     "--images-from", "127.0.0.1", "-C", str(root))
    return root, result


def test_blogspot_kim_export_becomes_a_site(blogspot_site, server, tmp_path):
    root, result = blogspot_site
    assert result.exit_code == 0, result.output
    folder = root / "content" / "kim-maju-jaya"
    assert "kecamatan: \"Cilangkap\"" in (root / "sites" / "kim-maju-jaya.yaml").read_text(encoding="utf-8")

    posyandu = folder / "2021-03-02-posyandu-melati-timbang-120-balita.md"
    meta = front_matter(posyandu)
    assert meta["title"] == "Posyandu Melati Timbang 120 Balita"
    assert meta["date"] == "2021-03-02T08:15:00+07:00"
    assert meta["updated"] == "2021-03-03T10:00:00+07:00"
    assert meta["category"] == "Kesehatan" and meta["tags"] == ["Posyandu", "Balita"]
    assert meta["author"] == "Sri Wahyuni"
    assert meta["image"] == "media/posyandu-melati.jpg"
    assert meta["aliases"] == ["https://kimmajujaya.blogspot.com/2021/03/posyandu-melati-timbang-120-balita.html"]
    assert "draft" not in meta
    body = body_of(posyandu)
    assert "![](media/posyandu-melati.jpg)" in body  # the larger picture the thumbnail linked to
    assert "tracker" not in body and "<span" not in body and "<div" not in body
    assert "ditimbang di Posyandu Melati RW 03 pada Selasa pagi.\n\nKader juga" in body  # <br><br><br>
    assert "| 0-12 bulan | 45 |" in body
    assert (folder / "media" / "posyandu-melati.jpg").read_bytes()[:3] == b"\xff\xd8\xff"

    video = folder / "2021-11-14-video-kerja-bakti-bersihkan-saluran-air.md"
    meta = front_matter(video)
    assert meta["author"] == "Agus Salim"  # from "noreply@blogger.com (Agus Salim)"
    assert meta["date"] == "2021-11-14T16:40:00+07:00"
    assert meta["category"] == "Lingkungan" and meta["tags"] == ["Gotong Royong"]
    body = body_of(video)
    assert "{{< youtube dQw4w9WgXcQ >}}" in body
    assert "![Saluran air di RT 03 setelah dibersihkan](media/saluran-air.jpg)" in body
    assert "*Saluran air di RT 03 setelah dibersihkan*" in body
    assert "[Posyandu Melati](2021-03-02-posyandu-melati-timbang-120-balita.md)" in body  # old link -> new file
    assert "document.write" not in body and "<script" not in body
    gone = f"{server.base}/img/b/R29vZ2xl/AVvXsEiHilang/s320/hilang.jpg"
    assert f"![Foto yang sudah hilang]({gone})" in body  # failed download keeps its address
    assert f"gambar tidak diunduh, alamat lamanya dipakai: {gone}" in result.output

    draft = front_matter(folder / "2022-01-10-rencana-musyawarah-dusun-belum-selesai.md")
    assert draft["draft"] is True and "aliases" in draft
    untitled = front_matter(folder / "2020-08-17-jadwal-ronda-malam-minggu-ini-sudah-ditempel-di.md")
    assert untitled["title"].startswith("Jadwal ronda malam") and "author" not in untitled  # "Unknown"
    assert front_matter(folder / "halaman" / "profil-halaman.md")["title"] == "Profil"  # profil/ is kimsite's
    assert front_matter(folder / "halaman" / "kontak.md")["title"] == "Kontak Pengurus"
    assert not list(folder.glob("*dihapus*"))

    assert "dilewati: 1 komentar; 1 di tempat sampah" in result.output
    assert "gambar: 2 diunduh ke media/, 1 gagal" in result.output
    assert ("https://kimmajujaya.blogspot.com/2021/03/posyandu-melati-timbang-120-balita.html  ->  "
            "https://example.github.io/repo/kim-maju-jaya/2021/03/posyandu-melati-timbang-120-balita/") in result.output
    assert "selesai: 4 artikel dan 2 halaman ditulis (1 draft)" in result.output

    check_clean(root)
    out = tmp_path / "out"
    build_under_subpath(root, out)
    page = (out / "kim-maju-jaya" / "2021" / "03" / "posyandu-melati-timbang-120-balita" / "index.html").read_text(
        encoding="utf-8")
    assert "Posyandu Melati Timbang 120 Balita" in page
    assert "googleusercontent" not in page and "127.0.0.1" not in page
    assert re.search(r'src="/repo/kim-maju-jaya/media/posyandu-melati[^"]*"', page)
    video_page = (out / "kim-maju-jaya" / "2021" / "11" / "video-kerja-bakti-bersihkan-saluran-air" / "index.html"
                  ).read_text(encoding="utf-8")
    assert 'class="video"' in video_page
    assert 'href="/repo/kim-maju-jaya/2021/03/posyandu-melati-timbang-120-balita/"' in video_page
    assert not (out / "kim-maju-jaya" / "2022").exists()  # the draft stays unpublished


@pytest.fixture
def wordpress_site(tmp_path, server):
    root = workspace(tmp_path / "ws")
    export = export_copy("kim-wordpress.xml", tmp_path / "kimsukamaju.WordPress.2024-02-01.xml",
                         hosts(WORDPRESS_UPLOADS, server.base))
    result = kimsite("import", str(export), "--kim", "kim-suka-maju", "--kecamatan", "Sukamaju", "-C", str(root))
    return root, result


def test_wordpress_kim_export_becomes_a_site(wordpress_site, tmp_path):
    root, result = wordpress_site
    assert result.exit_code == 0, result.output
    folder = root / "content" / "kim-suka-maju"
    site_file = (root / "sites" / "kim-suka-maju.yaml").read_text(encoding="utf-8")
    assert "domain: kimsukamaju.desa.id" in site_file

    vaccination = folder / "2019-05-21-vaksinasi-lansia-di-balai-desa.md"
    meta = front_matter(vaccination)
    assert meta["date"] == "2019-05-21T08:30:00+07:00" and meta["updated"] == "2019-05-22T09:00:00+07:00"
    assert meta["author"] == "Rina Marlina"  # display name, not the login
    assert meta["category"] == "Kesehatan" and meta["tags"] == ["vaksin", "lansia"]
    assert meta["summary"] == "Vaksinasi untuk 85 lansia di balai desa."
    assert meta["image"] == "media/vaksin-lansia.jpg"
    assert meta["image_alt"] == "Petugas memeriksa tensi warga sebelum vaksinasi"
    body = body_of(vaccination)
    assert "![Petugas memeriksa tensi warga sebelum vaksinasi](media/vaksin-lansia.jpg)" in body  # [caption]
    assert "![](media/antrean.png)" in body and "![](media/lansia-pulang.jpg)" in body  # [gallery ids]
    assert "{{< youtube 9bZkp7q19f0 >}}" in body  # [embed]
    assert "[caption" not in body and "[gallery" not in body
    assert "contact-form-7" in body  # unknown shortcode kept as text...
    assert "[contact-form-7] tidak dikenal dan dibiarkan sebagai teks" in result.output  # ...and reported
    assert (folder / "media" / "antrean.png").read_bytes()[:4] == b"\x89PNG"

    meeting = front_matter(folder / "2019-12-02-musyawarah-desa-anggaran-2020.md")
    assert meeting["title"] == "Musyawarah Desa: Anggaran 2020 & Prioritas Jalan"
    assert meeting["category"] == "Pemerintahan" and meeting["tags"] == ["musdes"]  # "Tak Berkategori" dropped
    assert meeting["author"] == "Dedi Kurniawan"
    assert "| Jalan RT 02 | Rp 150.000.000 |" in body_of(folder / "2019-12-02-musyawarah-desa-anggaran-2020.md")
    aid = body_of(folder / "2022-01-14-pembagian-sembako-banjir.md")  # the block editor's markup
    assert "![Warga antre di balai desa](media/sembako.jpg)\n\n*Warga antre di balai desa*" in aid
    assert "{{< youtube kJQP7kiw5Fk >}}" in aid and "> Bantuan akan berlanjut pekan depan." in aid
    assert "wp:" not in aid and "<figure" not in aid
    coffee = front_matter(folder / "2021-07-05-panen-raya-kopi.md")
    assert coffee["date"] == "2021-07-05T09:00:00+08:00"  # the blog's own offset (WITA) that day
    scheduled = front_matter(folder / "2030-08-10-pengumuman-lomba-agustusan.md")
    assert scheduled["date"] == "2030-08-10T07:00:00+07:00" and "draft" not in scheduled
    draft = front_matter(folder / "2020-01-15-draf-laporan-dana-desa.md")
    assert draft["draft"] is True and draft["date"] == "2020-01-15T10:00:00+07:00"  # no GMT date: workspace time
    assert front_matter(folder / "halaman" / "tentang.md")["title"] == "Tentang KIM Suka Maju"
    names = {path.name for path in folder.rglob("*.md")}
    assert not any(word in " ".join(names) for word in ("rapat-internal", "blt", "dibuang", "beranda"))
    assert ("dilewati: 1 komentar; 1 komentar spam; 3 lampiran (berkas media WordPress); 1 di tempat sampah; "
            "1 pribadi (private): tidak diterbitkan; 1 dilindungi kata sandi; 1 jenis lain") in result.output
    assert "gambar: 5 diunduh ke media/, 0 gagal" in result.output

    check_clean(root)
    out = tmp_path / "out"
    build_under_subpath(root, out, "--site", "kim-suka-maju")
    redirect = (out / "2019" / "05" / "21" / "vaksinasi-lansia-di-balai-desa" / "index.html").read_text(encoding="utf-8")
    target = "/repo/2019/05/vaksinasi-lansia-di-balai-desa/"
    assert f'<link rel="canonical" href="https://akun.github.io{target}">' in redirect
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in redirect
    assert f'<a href="{target}">Vaksinasi Lansia di Balai Desa</a>' in redirect
    assert "<script" not in redirect.lower()
    assert (out / target.removeprefix("/repo/") / "index.html").is_file()  # the redirect resolves
    assert (out / "2019" / "12" / "02" / "musyawarah-desa-anggaran-2020" / "index.html").is_file()
    assert "2019/05/21/" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    about = (out / "tentang" / "index.html").read_text(encoding="utf-8")
    assert "http-equiv" not in about  # the old page address is the new one: the page itself, no redirect
    article = (out / "2019" / "05" / "vaksinasi-lansia-di-balai-desa" / "index.html").read_text(encoding="utf-8")
    assert "kimsukamaju.desa.id/wp-content" not in article and "127.0.0.1" not in article


def test_import_again_skips_and_update_replaces_only_its_own_files(wordpress_site, tmp_path, server):
    root, first = wordpress_site
    assert first.exit_code == 0, first.output
    folder = root / "content" / "kim-suka-maju"
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    export = tmp_path / "kimsukamaju.WordPress.2024-02-01.xml"

    again = kimsite("import", str(export), "--kim", "kim-suka-maju", "-C", str(root))
    assert again.exit_code == 0, again.output
    assert "selesai: 0 artikel dan 0 halaman ditulis" in again.output
    assert "7 sudah diimpor sebelumnya (pakai --update untuk menggantinya)" in again.output
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == before

    edited = folder / "2021-07-05-panen-raya-kopi.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("3 ton", "tiga ton"), encoding="utf-8")
    mine = folder / "2021-07-20-catatan-sendiri.md"
    mine.write_text("---\ntitle: Catatan Sendiri\ndate: 2021-07-20\n---\n\nTulisan tangan.\n", encoding="utf-8")
    updated = kimsite("import", str(export), "--kim", "kim-suka-maju", "--update", "-C", str(root))
    assert updated.exit_code == 0, updated.output
    assert "diganti: content/kim-suka-maju/2021-07-05-panen-raya-kopi.md" in updated.output
    assert "3 ton" in edited.read_text(encoding="utf-8")
    assert mine.read_text(encoding="utf-8").endswith("Tulisan tangan.\n")
    assert len(list(folder.glob("*.md"))) == 7  # six imported articles and the hand-written one
    check_clean(root)


def test_existing_file_of_the_same_name_is_never_overwritten(tmp_path, server):
    root = workspace(tmp_path / "ws", {
        "sites/kim-suka-maju.yaml": "name: KIM Suka Maju\nkecamatan: Sukamaju\n",
        "content/kim-suka-maju/2021-07-05-panen-raya-kopi.md":
            "---\ntitle: Panen Kopi (tulisan kami)\ndate: 2021-07-05 10:00\n---\n\nAsli.\n",
    })
    export = export_copy("kim-wordpress.xml", tmp_path / "wp.xml", hosts(WORDPRESS_UPLOADS, server.base))
    result = kimsite("import", str(export), "--kim", "kim-suka-maju", "--update", "-C", str(root))
    assert result.exit_code == 0, result.output
    folder = root / "content" / "kim-suka-maju"
    assert (folder / "2021-07-05-panen-raya-kopi.md").read_text(encoding="utf-8").endswith("Asli.\n")
    assert front_matter(folder / "2021-07-05-panen-raya-kopi-2.md")["title"] == "Panen Raya Kopi Sukamaju"
    assert "dibuat: sites/" not in result.output  # the KIM's own site file is used as it is
    check_clean(root)


def test_dry_run_writes_nothing_and_fetches_nothing(tmp_path, server):
    root = workspace(tmp_path / "ws")
    export = export_copy("kim-blogspot.xml", tmp_path / "blog.xml", hosts(BLOGGER_HOSTS, server.base))
    result = kimsite("import", str(export), "--kim", "kim-maju-jaya", "--kecamatan", "Cilangkap",
                     "--images-from", "127.0.0.1", "--dry-run", "-C", str(root), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "dry run (--dry-run), nothing written: 4 articles and 2 pages would be written (1 drafts)" in result.output
    assert "pictures: 3 would be downloaded to media/" in result.output
    assert "would be created: sites/kim-maju-jaya.yaml" in result.output
    assert not (root / "content").exists() and not (root / "sites").exists()
    assert server.requests == []


def test_no_images_keeps_remote_addresses(tmp_path, server):
    root = workspace(tmp_path / "ws")
    export = export_copy("kim-wordpress.xml", tmp_path / "wp.xml", hosts(WORDPRESS_UPLOADS, server.base))
    result = kimsite("import", str(export), "--kim", "kim-suka-maju", "--kecamatan", "Sukamaju", "--no-images",
                     "-C", str(root))
    assert result.exit_code == 0, result.output
    meta = front_matter(root / "content" / "kim-suka-maju" / "2019-05-21-vaksinasi-lansia-di-balai-desa.md")
    assert meta["image"] == f"{server.base}/wp-content/uploads/2019/05/vaksin-lansia.jpg"
    assert not (root / "content" / "kim-suka-maju" / "media").exists()
    assert server.requests == []
    assert "gambar: 5 tetap di alamat lama (--no-images)" in result.output
    check_clean(root)


def test_category_mapping_option(tmp_path):
    root = workspace(tmp_path / "ws")
    result = kimsite("import", str(Path(__file__).parent / "fixtures/import/kim-blogspot.xml"), "--kim", "kim-maju-jaya",
                     "--kecamatan", "Cilangkap", "--no-images", "--category", "posyandu=Layanan Kesehatan",
                     "-C", str(root))
    assert result.exit_code == 0, result.output
    meta = front_matter(root / "content/kim-maju-jaya/2021-03-02-posyandu-melati-timbang-120-balita.md")
    assert meta["category"] == "Layanan Kesehatan" and meta["tags"] == ["Kesehatan", "Balita"]
    bad = kimsite("import", "x.xml", "--kim", "kim-maju-jaya", "--category", "tanpa-sama-dengan", "-C", str(root))
    assert bad.exit_code == 2 and "LABEL=Kategori" in bad.output


def test_pelican_blogger_export(tmp_path):
    root = workspace(tmp_path / "ws")
    export = Path(__file__).parent / "fixtures/import/pelican/bloggerexport.xml"
    result = kimsite("import", str(export), "--kim", "young-doctor", "--kecamatan", "Cibatu", "-C", str(root))
    assert result.exit_code == 0, result.output
    folder = root / "content" / "young-doctor"
    windpipe = front_matter(folder / "2010-11-27-the-steel-windpipe.md")
    assert windpipe["title"] == "The Steel Windpipe" and windpipe["date"] == "2010-11-27T07:12:00-08:00"
    assert windpipe["author"] == "Mikhail Afanasyevich Bulgakov"
    assert "It was a cold Winter's night.\n\n- Very cold indeed." in body_of(folder / "2010-11-27-the-steel-windpipe.md")
    night = front_matter(folder / "2010-11-27-black-as-egypt-s-night.md")
    assert night["draft"] is True and night["category"] == "Interesting cases" and night["tags"] == ["amputations"]
    assert front_matter(folder / "halaman" / "test-page.md")["title"] == "Test page"
    assert front_matter(folder / "halaman" / "test-page-2.md")["draft"] is True
    assert "dilewati: 1 komentar" in result.output
    check_clean(root)
    build_under_subpath(root, tmp_path / "out")


def test_pelican_wordpress_export(tmp_path):
    root = workspace(tmp_path / "ws")
    export = Path(__file__).parent / "fixtures/import/pelican/wordpressexport.xml"
    result = kimsite("import", str(export), "--kim", "pelican-test", "--kecamatan", "Plered", "--no-images",
                     "-C", str(root))
    assert result.exit_code == 0, result.output
    folder = root / "content" / "pelican-test"
    tags = front_matter(folder / "2012-02-05-with-tags.md")
    assert tags["category"] == "Category 3" and tags["tags"] == ["tag 1", "Tag2", "Tag 3"]
    assert tags["date"] == "2012-02-05T04:05:25+07:00"  # a UTC blog: the same moment in WIB
    entity = front_matter(folder / "2012-02-16-html-entity-test.md")
    assert entity["title"] == "A normal post with some <html> entities in the title. You can't miss them."
    assert front_matter(folder / "2012-02-17-complete-draft.md")["draft"] is True
    assert front_matter(folder / "halaman" / "contact.md")["title"] == "Page"
    assert "4 komentar; 4 lampiran (berkas media WordPress); 3 jenis lain" in result.output
    check_clean(root)
    build_under_subpath(root, tmp_path / "out")


def test_full_content_feed_from_an_address(tmp_path, server):
    feed = (Path(__file__).parent / "fixtures/import/kim-blogspot-rss.xml").read_bytes()
    server.pages["/feeds/posts/default?alt=rss&max-results=500"] = (feed, "application/rss+xml")
    root = workspace(tmp_path / "ws")
    url = f"{server.base}/feeds/posts/default?alt=rss&max-results=500"
    result = kimsite("import", url, "--kim", "kim-tani-makmur", "--kecamatan", "Makmur", "-C", str(root))
    assert result.exit_code == 0, result.output
    folder = root / "content" / "kim-tani-makmur"
    fertiliser = folder / "2024-03-04-pupuk-bersubsidi-sudah-tiba.md"
    meta = front_matter(fertiliser)
    assert meta["author"] == "Hendra Gunawan" and meta["date"] == "2024-03-04T08:30:00+07:00"
    assert meta["category"] == "Pertanian" and meta["tags"] == ["Pupuk"]
    assert "tracker" not in body_of(fertiliser) and "**kartu tani**" in body_of(fertiliser)
    assert front_matter(folder / "2024-02-10-penyuluhan-hama-wereng.md")["author"] == "Siti Aminah"
    check_clean(root)


ATOM_PAGE = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom'><id>tag:blogger.com,1999:blog-42</id>
<title type='text'>KIM Pesisir</title><generator version='7.00' uri='https://www.blogger.com'>Blogger</generator>
<link rel='alternate' type='text/html' href='https://kimpesisir.blogspot.com/'/>{next}{entries}</feed>"""
ATOM_ENTRY = """<entry><id>tag:blogger.com,1999:blog-42.post-{n}</id>
<published>2023-0{n}-10T09:00:00.000+09:00</published><updated>2023-0{n}-10T09:00:00.000+09:00</updated>
<category scheme='http://www.blogger.com/atom/ns#' term='Nelayan'/><title type='text'>Kabar nelayan {n}</title>
<content type='html'>&lt;p&gt;Tangkapan ikan pekan ke-{n}.&lt;/p&gt;</content>
<link rel='alternate' type='text/html' href='https://kimpesisir.blogspot.com/2023/0{n}/kabar-nelayan-{n}.html'/>
<author><name>La Ode</name><email>noreply@blogger.com</email></author></entry>"""


def test_blogspot_atom_feed_is_followed_page_by_page(tmp_path, server):
    first = "/feeds/posts/default?max-results=2"
    second = "/feeds/posts/default?start-index=3&max-results=2"
    server.pages[first] = (ATOM_PAGE.format(
        next=f"<link rel='next' type='application/atom+xml' href='{server.base}{second.replace('&', '&amp;')}'/>",
        entries=ATOM_ENTRY.format(n=1) + ATOM_ENTRY.format(n=2)).encode(), "application/atom+xml")
    server.pages[second] = (ATOM_PAGE.format(
        next=f"<link rel='next' type='application/atom+xml' href='{server.base}{first}'/>",  # a loop: stops
        entries=ATOM_ENTRY.format(n=3)).encode(), "application/atom+xml")
    root = write_wita(tmp_path / "ws")
    result = kimsite("import", server.base + first, "--kim", "kim-pesisir", "--kecamatan", "Wakorumba",
                     "-C", str(root))
    assert result.exit_code == 0, result.output
    assert "selesai: 3 artikel dan 0 halaman ditulis" in result.output
    assert [request for request in server.requests] == [first, second]
    meta = front_matter(root / "content/kim-pesisir/2023-03-10-kabar-nelayan-3.md")
    assert meta["date"] == "2023-03-10T09:00:00+09:00" and meta["category"] == "Nelayan"  # the blog's WIT
    assert meta["author"] == "La Ode"
    check_clean(root)


def write_wita(root: Path) -> Path:
    workspace(root)
    config = root / "kimsite.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("Asia/Jakarta", "Asia/Makassar"), encoding="utf-8")
    return root


def test_wordpress_small_copies_are_replaced_by_the_original(tmp_path, server):
    export = tmp_path / "wp.xml"
    export.write_text(
        (Path(__file__).parent / "fixtures/import/kim-wordpress.xml").read_text(encoding="utf-8").replace(
            '<img src="https://kimsukamaju.desa.id/wp-content/uploads/2021/07/kopi.jpg" alt="Biji kopi robusta" />',
            f'<img src="{server.base}/wp-content/uploads/2021/07/kopi-300x200.jpg" alt="Biji kopi" />'
            f'<img src="{server.base}/wp-content/uploads/2021/07/hanya-kecil-300x200.jpg" alt="Kecil" />'),
        encoding="utf-8")
    root = workspace(tmp_path / "ws")
    result = kimsite("import", str(export), "--kim", "kim-suka-maju", "--kecamatan", "Sukamaju", "-C", str(root))
    assert result.exit_code == 0, result.output
    asked = [request for request in server.requests if "2021/07" in request]
    assert sorted(asked) == ["/wp-content/uploads/2021/07/hanya-kecil-300x200.jpg",
                             "/wp-content/uploads/2021/07/hanya-kecil.jpg", "/wp-content/uploads/2021/07/kopi.jpg"]
    body = body_of(root / "content/kim-suka-maju/2021-07-05-panen-raya-kopi.md")
    assert "![Biji kopi](media/kopi-300x200.jpg)" in body and "![Kecil](media/hanya-kecil-300x200.jpg)" in body
