"""`kimsite init`, `new-kim` and `new`: the files a webmaster starts from, and their errors."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import yaml
from click.testing import CliRunner

from kimsite.build import BuildOptions, build
from kimsite.cli import main

COMMON_FIELDS = ("title", "date", "summary", "category", "tags", "author", "image", "image_alt", "draft",
                 "updated", "slug")


def cli(*args: str):
    result = CliRunner().invoke(main, [*args, "--lang", "id"])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def workspace(tmp_path) -> Path:
    root = tmp_path / "ws"
    code, out, err = cli("init", str(root))
    assert code == 0, err
    return root


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


class _Title(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.h1 = False, ""

    def handle_starttag(self, tag, attrs):
        self.inside = self.inside or tag == "h1"

    def handle_endtag(self, tag):
        if tag == "h1":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.h1 += data


def test_init_workspace_builds_cleanly(workspace):
    result = build(workspace, BuildOptions())
    assert not [p for p in result.problems if p.severity == "error"]
    assert (workspace / "_site" / "kim-contoh" / "index.html").is_file()


@pytest.mark.parametrize("kind", ["berita", "klarifikasi", "agenda", "produk"])
def test_new_article_of_each_type_builds_after_filling(workspace, kind):
    title = f"Uji {kind}: \"kutip\" & titik dua"
    code, out, err = cli("new", title, "--kim", "kim-contoh", "--type", kind, "--date", "2021-12-21 09:30",
                         "-C", str(workspace))
    assert code == 0, err
    path = workspace / "content" / "kim-contoh" / f"2021-12-21-uji-{kind}-kutip-titik-dua.md"
    assert path.is_file()
    assert f"dibuat: content/kim-contoh/{path.name}" in out
    text = path.read_text(encoding="utf-8")
    for name in COMMON_FIELDS:  # every common field is there, commented in Indonesian
        match = re.search(rf"^#[^\n]*\n#? ?{name}:", text, re.MULTILINE)
        assert match, f"{name} has no comment line above it"
    data = front_matter(path)
    assert data["title"] == title
    assert str(data["date"]).startswith("2021-12-21 09:30")
    if kind != "berita":
        assert data["type"] == kind
    # Filed where its kind is listed; no empty author (a KIM article without one is the KIM's).
    assert data["category"] == {"berita": "Berita Desa", "klarifikasi": "Cek Fakta", "agenda": "Agenda",
                                "produk": "Potensi Desa"}[kind]
    assert "author" not in data

    # Fill in what the template leaves for the writer.
    filled = text.replace('summary: ""', "summary: Ringkasan uji.")
    filled = filled.replace('klaim: ""', 'klaim: "Pesan berantai tentang bantuan."')
    filled = filled.replace('produsen: ""', "produsen: Bu Ani")
    filled = filled.replace('whatsapp: ""', 'whatsapp: "081234567890"')
    path.write_text(filled, encoding="utf-8")
    result = build(workspace, BuildOptions(base_url="https://contoh.github.io/repo/"))
    problems = [p for p in result.problems if p.file.endswith(path.name)]
    assert problems == [], problems
    page = workspace / "_site" / "kim-contoh" / "2021" / "12" / f"uji-{kind}-kutip-titik-dua" / "index.html"
    parser = _Title()
    parser.feed(page.read_text(encoding="utf-8"))
    assert f'Uji {kind}: "kutip" & titik dua' in parser.h1
    entries = feedparser.parse((workspace / "_site" / "kim-contoh" / "atom.xml").read_bytes()).entries
    mine = [entry for entry in entries if entry.link.endswith(f"/uji-{kind}-kutip-titik-dua/")]
    assert [entry.get("author") for entry in mine] == ["KIM Contoh"]


def test_new_uses_today_and_slug_from_title(workspace):
    code, out, _ = cli("new", "Kerja Bakti Minggu Pagi!", "--kim", "kim-contoh", "-C", str(workspace))
    assert code == 0
    made = [p for p in (workspace / "content" / "kim-contoh").glob("*-kerja-bakti-minggu-pagi.md")]
    assert len(made) == 1
    assert re.match(r"\d{4}-\d{2}-\d{2}-kerja-bakti-minggu-pagi\.md$", made[0].name)
    assert front_matter(made[0])["date"] is not None
    assert "kimsite serve" in out  # next step


def test_new_refuses_to_overwrite(workspace):
    args = ("new", "Sama", "--kim", "kim-contoh", "--date", "2021-12-21", "-C", str(workspace))
    assert cli(*args)[0] == 0
    path = workspace / "content" / "kim-contoh" / "2021-12-21-sama.md"
    path.write_text("isi saya", encoding="utf-8")
    code, _, err = cli(*args)
    assert code == 1
    assert "content/kim-contoh/2021-12-21-sama.md sudah ada: tidak ditimpa" in err
    assert path.read_text(encoding="utf-8") == "isi saya"


def test_new_for_unknown_kim_lists_the_choices(workspace):
    code, _, err = cli("new", "Judul", "--kim", "kim-salah", "-C", str(workspace))
    assert code == 2
    assert 'KIM "kim-salah" tidak ada di sites/' in err and "kim-contoh" in err


def test_new_for_remote_kim_and_portal(workspace):
    (workspace / "sites" / "kim-luar.yaml").write_text(
        "name: KIM Luar\nkecamatan: Maniis\nfeed: https://contoh.blogspot.com/feeds/posts/default\n"
        "url: https://contoh.blogspot.com/\n", encoding="utf-8")
    (workspace / "sites" / "portal.yaml").write_text("kind: portal\nname: Portal\nregion: Kabupaten Uji\n",
                                                     encoding="utf-8")
    code, _, err = cli("new", "Judul", "--kim", "kim-luar", "-C", str(workspace))
    assert code == 2 and "feed:" in err
    code, _, err = cli("new", "Judul", "--kim", "portal", "-C", str(workspace))
    assert code == 2 and "portal" in err
    code, _, err = cli("new", "Judul", "--kim", "salah", "-C", str(workspace))
    assert "kim-contoh" in err and "kim-luar" not in err and "portal" not in err.split(":")[-1]


def test_new_with_bad_date(workspace):
    code, _, err = cli("new", "Judul", "--kim", "kim-contoh", "--date", "kemarin", "-C", str(workspace))
    assert code == 2
    assert "--date" in err and "bukan tanggal yang valid" in err


def test_new_outside_a_workspace(tmp_path):
    code, _, err = cli("new", "Judul", "--kim", "kim-contoh", "-C", str(tmp_path))
    assert code == 1
    assert "kimsite init" in err


def test_new_kim_writes_site_file_and_folders(workspace):
    code, out, err = cli("new-kim", "KIM Sauyunan Jaya", "--kecamatan", "Bojong", "--desa", "Cikeris",
                         "-C", str(workspace))
    assert code == 0, err
    site = yaml.safe_load((workspace / "sites" / "kim-sauyunan-jaya.yaml").read_text(encoding="utf-8"))
    assert site["name"] == "KIM Sauyunan Jaya"
    assert site["kecamatan"] == "Bojong" and site["desa"] == "Cikeris"
    assert (workspace / "content" / "kim-sauyunan-jaya" / "media" / ".gitkeep").is_file()
    assert (workspace / "content" / "kim-sauyunan-jaya" / "halaman" / "tentang.md").is_file()
    assert 'kimsite new "Judul" --kim kim-sauyunan-jaya' in out

    code, _, err = cli("new", "Berita Pertama", "--kim", "kim-sauyunan-jaya", "--date", "2021-12-21",
                       "-C", str(workspace))
    assert code == 0, err
    result = build(workspace, BuildOptions())
    assert not [p for p in result.problems if p.severity == "error"]
    assert (workspace / "_site" / "kim-sauyunan-jaya" / "profil" / "index.html").is_file()
    assert (workspace / "_site" / "kim-sauyunan-jaya" / "2021" / "12" / "berita-pertama" / "index.html").is_file()


def test_new_kim_refuses_an_existing_kim(workspace):
    before = (workspace / "sites" / "kim-contoh.yaml").read_text(encoding="utf-8")
    code, _, err = cli("new-kim", "KIM Contoh", "--kecamatan", "Lain", "-C", str(workspace))
    assert code == 1
    assert 'KIM "kim-contoh" sudah ada' in err and "--slug" in err
    assert (workspace / "sites" / "kim-contoh.yaml").read_text(encoding="utf-8") == before
    code, _, err = cli("new-kim", "KIM Contoh", "--kecamatan", "Lain", "--slug", "kim-contoh-2",
                       "-C", str(workspace))
    assert code == 0, err


def test_new_kim_needs_kecamatan_and_a_workspace(tmp_path, workspace):
    code, _, err = cli("new-kim", "KIM Tanpa Kecamatan", "-C", str(workspace))
    assert code == 2 and "--kecamatan" in err
    code, _, err = cli("new-kim", "KIM X", "--kecamatan", "Y", "-C", str(tmp_path / "kosong"))
    assert code == 1 and "kimsite init" in err


def test_messages_in_english(workspace):
    result = CliRunner().invoke(main, ["new", "Judul", "--kim", "kim-salah", "-C", str(workspace), "--lang", "en"])
    assert result.exit_code == 2
    assert 'there is no KIM "kim-salah" in sites/' in result.stderr


def test_media_folders_survive_git_and_their_placeholder_is_never_published(workspace, tmp_path, monkeypatch):
    """github.com shows no empty folder: media/ must hold a file, or 'open media → Upload files'
    is impossible for a new KIM. The placeholder is a dotfile, which no build publishes."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    code, out, err = cli("new-kim", "KIM Baru", "--kecamatan", "Bojong", "-C", str(workspace))
    assert code == 0, err
    assert "dibuat: content/kim-baru/media/.gitkeep" in out
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    subprocess.run(["git", "-C", str(workspace), "add", "-A"], check=True)
    tracked = subprocess.run(["git", "-C", str(workspace), "ls-files"], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    for kim in ("kim-contoh", "kim-baru"):
        assert f"content/{kim}/media/.gitkeep" in tracked
        assert f"content/{kim}/halaman/tentang.md" in tracked  # the other folder the guide opens
    result = build(workspace, BuildOptions(base_url="https://contoh.github.io/situs/"))
    assert not [p for p in result.problems if ".gitkeep" in p.file or ".gitkeep" in p.text("id")]
    published = [p.relative_to(workspace / "_site").as_posix() for p in (workspace / "_site").rglob("*")]
    assert published and not [p for p in published if "gitkeep" in p or "/media" in p], published
    code, out, _ = cli("check", "-C", str(workspace))
    assert "gitkeep" not in out


def test_new_kim_keeps_an_existing_media_folder(workspace):
    media = workspace / "content" / "kim-lama" / "media"
    media.mkdir(parents=True)
    (media / ".gitkeep").write_text("milik saya\n", encoding="utf-8")
    code, _, err = cli("new-kim", "KIM Lama", "--kecamatan", "Bojong", "-C", str(workspace))
    assert code == 0, err
    assert (media / ".gitkeep").read_text(encoding="utf-8") == "milik saya\n"


def test_git_add_never_takes_the_output_or_what_a_build_leaves_beside_it(workspace, tmp_path, monkeypatch):
    """A volunteer runs `git add .` right after a build: a replaced output still being deleted
    by its own process (kimsite.write.trash) must not be committed."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    build(workspace, BuildOptions(base_url="https://contoh.github.io/situs/"))
    for name in ("._site.kimsite-trash-0123456789abcdef", "._site.kimsite-new", "._site.kimsite-old",
                 "._site.kimsite-stage", "._site.kimsite-undo", ".publik.kimsite-trash-0123456789abcdef"):
        (workspace / name / "kim-contoh").mkdir(parents=True)  # (`output: publik` names its own)
        (workspace / name / "kim-contoh" / "index.html").write_text("lama", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    subprocess.run(["git", "-C", str(workspace), "add", "."], check=True)
    tracked = subprocess.run(["git", "-C", str(workspace), "ls-files"], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    assert "kimsite.yaml" in tracked
    assert not [path for path in tracked if "kimsite-" in path or "_site" in path or path.startswith(".kimsite/")], \
        tracked
