"""`kimsite cms`: the editor's files generated from the workspace, re-runs that keep a
webmaster's additions, and /admin/ as the build publishes it."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from kimsite.build import BuildOptions, build
from kimsite.cli import main
from kimsite.cms import bundle
from kimsite.cms.repository import repo_from_pages_url, valid_repo
from kimsite.schema.fields import HOAX_LABELS
from cms_package import bundle_bytes, config_schema, integrity_of
from conftest import write_workspace

SITE = "name: KIM Maju Jaya\nkecamatan: Sukasari\n"


def article(title: str, category: str | None, day: int = 1, extra: str = "") -> str:
    lines = [f"title: {title}", f"date: 2025-07-{day:02d} 08:00"]
    if category:
        lines.append(f"category: {category}")
    return "---\n" + "\n".join(lines) + "\n" + extra + "---\nIsi.\n"


@pytest.fixture
def workspace(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws", {
        "sites/maju.yaml": SITE,
        "sites/lestari.yaml": "name: KIM Lestari\nkecamatan: Cibatu\n",
        "sites/portal.yaml": "kind: portal\nname: Portal\nregion: Kabupaten Contoh\n",
        "sites/jauh.yaml": "name: KIM Jauh\nkecamatan: X\nfeed: https://jauh.example/feed\nurl: https://jauh.example/\n",
        "content/maju/2025-07-01-a.md": article("A", "Pertanian", 1),
        "content/maju/2025-07-02-b.md": article("B", "pertanian", 2),
        "content/maju/2025-07-03-c.md": article("C", "Pertanian", 3),
        "content/maju/2025-07-04-d.md": article("D", "Pemerintahan", 4),
        "content/maju/2025-07-05-broken.md": "---\ntitle: [\n---\n",
        "content/maju/halaman/tentang.md": "---\ntitle: Tentang Kami\n---\nTentang kami.\n",
        "content/lestari/2025-07-01-e.md": article("E", None),
    })


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def load(root: Path) -> dict:
    return yaml.safe_load((root / "admin/config.yml").read_text(encoding="utf-8"))


def collections(config: dict) -> dict[str, dict]:
    return {item["name"]: item for item in config["collections"] if "name" in item}


def fields(collection: dict) -> dict[str, dict]:
    return {field["name"]: field for field in collection["fields"]}


def test_a_collection_per_kim_and_type_writing_kimsite_files(workspace):
    code, output = run("cms", "-C", str(workspace))
    assert code == 0, output
    assert "ditulis: admin/config.yml" in output and "ditulis: admin/index.html" in output
    config = load(workspace)
    assert config["backend"]["name"] == "github"
    assert config["backend"]["repo"] == "example/repo"  # from the github.io base_url (no git remote here)
    found = collections(config)
    assert sorted(found) == sorted(f"{kim}-{kind}" for kim in ("lestari", "maju")
                                   for kind in ("berita", "klarifikasi", "agenda", "produk", "halaman"))
    berita = found["maju-berita"]
    assert berita["folder"] == "content/maju" and berita["slug"] == "{{year}}-{{month}}-{{day}}-{{slug}}"
    assert berita["filter"] == {"field": "type", "value": [None, "berita"]}
    assert berita["media_folder"] == "media" and berita["public_folder"] == "media"  # next to the entries
    assert found["maju-halaman"]["folder"] == "content/maju/halaman"
    assert found["maju-halaman"]["public_folder"] == "../media"
    assert found["maju-klarifikasi"]["filter"] == {"field": "type", "value": "klarifikasi"}
    assert "KIM Maju Jaya" in berita["label"] and berita["label"].startswith("Berita")


def test_fields_follow_kimsite_rules(workspace):
    run("cms", "-C", str(workspace))
    found = collections(load(workspace))
    berita = fields(found["maju-berita"])
    assert berita["title"]["required"] is True and berita["title"]["maxlength"] == 110
    assert berita["date"]["widget"] == "datetime" and berita["date"]["input_timezone"] == "Asia/Jakarta"
    assert "WIB" in berita["date"]["hint"]
    assert berita["summary"]["maxlength"] == 2000 and berita["summary"]["required"] is False
    # the photo is optional; added, its file and description are required (image: {src, alt, ...})
    photo = berita["image"]
    assert photo["widget"] == "object" and photo["required"] is False
    assert {f["name"]: f["required"] for f in photo["fields"]} == {"src": True, "alt": True, "caption": False,
                                                                   "credit": False}
    assert "image_alt" not in berita and "image_caption" not in berita
    assert berita["tags"]["max"] == 30 and berita["tags"]["field"]["maxlength"] == 120
    # categories in use, one spelling each, most used first; broken files do not stop the scan
    assert berita["category"]["widget"] == "select" and berita["category"]["options"] == ["Pertanian", "Pemerintahan"]
    assert berita["category"]["required"] is False and berita["kategori_baru"]["required"] is False
    assert berita["kategori_baru"]["maxlength"] == 80
    # a KIM without categories yet: one text field, as nothing can be chosen
    lestari = fields(found["lestari-berita"])
    assert lestari["category"]["widget"] == "string" and "kategori_baru" not in lestari
    assert "Belum ada kategori" in lestari["category"]["hint"]
    verdict = fields(found["maju-klarifikasi"])["label"]
    assert verdict["options"] == list(HOAX_LABELS) and verdict["required"] is True
    agenda = fields(found["maju-agenda"])
    assert agenda["mulai"]["required"] and agenda["tempat"]["required"] and not agenda["selesai"]["required"]
    produk = fields(found["maju-produk"])
    assert produk["produsen"]["required"] and produk["foto"]["multiple"] is True
    assert produk["whatsapp"]["pattern"][0].startswith("^") and produk["harga"]["pattern"][0].startswith("^")
    pages = fields(found["maju-halaman"])
    assert set(pages) == {"title", "date", "summary", "menu_order", "menu", "draft", "body"}
    assert pages["date"]["required"] is False


def test_english_workspace_and_other_zone(tmp_path):
    root = write_workspace(tmp_path / "en", {
        "kimsite.yaml": "base_url: https://kim.example.org/\nlanguage: en\ntimezone: Asia/Makassar\n",
        "sites/maju.yaml": SITE,
        "check.yaml": "",
    })
    (root / "kimsite.yaml").write_text("base_url: https://kim.example.org/\nlanguage: en\ntimezone: Asia/Makassar\n"
                                       "check:\n  summary_required: [Cek Fakta]\n", encoding="utf-8")
    code, output = run("cms", "-C", str(root), "--repo", "diskominfo/kim", "--lang", "en")
    assert code == 0, output
    config = load(root)
    assert config["backend"]["repo"] == "diskominfo/kim"
    berita = fields(collections(config)["maju-berita"])
    assert collections(config)["maju-berita"]["label"].startswith("News")
    assert berita["title"]["label"] == "Title" and "WITA" in berita["date"]["hint"]
    assert berita["date"]["input_timezone"] == "Asia/Makassar"
    assert berita["summary"]["required"] is True  # summary_required names a category
    assert '<html lang="en">' in (root / "admin/index.html").read_text(encoding="utf-8")


def test_repository_from_the_git_remote_and_subfolder(tmp_path):
    repo = tmp_path / "repo"
    root = write_workspace(repo / "situs", {"sites/maju.yaml": SITE})
    subprocess.run(["git", "init", "-q", "-b", "terbit", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "remote", "add", "origin", "git@github.com:Kominfo-Bogor/kim-bogor.git"],
                   check=True)
    code, output = run("cms", "-C", str(root))
    assert code == 0, output
    config = load(root)
    assert config["backend"] == {"name": "github", "repo": "kominfo-bogor/kim-bogor", "branch": "terbit",
                                 "auth_methods": ["token"]}
    berita = collections(config)["maju-berita"]
    assert berita["folder"] == "situs/content/maju" and config["media_folder"] == "situs/content/maju/media"
    assert "kominfo-bogor/kim-bogor" in output and "terbit" in output


def test_no_repository_known_says_so(tmp_path):
    root = write_workspace(tmp_path / "ws", {"kimsite.yaml": "base_url: https://kim.example.org/\n",
                                             "sites/maju.yaml": SITE})
    code, output = run("cms", "-C", str(root))
    assert code == 0
    assert "OWNER/REPO" in output and "--repo" in output
    assert run("cms", "-C", str(root), "--repo", "../etc")[0] == 2


@pytest.mark.parametrize("url, repo", [
    ("https://kominfo.github.io/kim/", "kominfo/kim"),
    ("https://kominfo.github.io/", "kominfo/kominfo.github.io"),
    ("https://kim.example.org/", None),
    ("https://a.b.github.io/x/", None),
])
def test_repo_from_pages_url(url, repo):
    assert repo_from_pages_url(url) == repo


@pytest.mark.parametrize("value, ok", [("a/b", True), ("a-b/c.d_e", True), ("a/..", False), ("../etc", False),
                                       ("a/b/c", False), ("a", False), ("-a/b", False), ("a/b.git", False)])
def test_valid_repo(value, ok):
    assert valid_repo(value) is ok


def test_rerun_updates_generated_config_and_keeps_additions(workspace):
    run("cms", "-C", str(workspace))
    code, output = run("cms", "-C", str(workspace))
    assert code == 0 and "tidak berubah: admin/config.yml" in output
    # a new KIM and a new category: the generated config follows
    (workspace / "sites/baru.yaml").write_text("name: KIM Baru\nkecamatan: Z\n", encoding="utf-8")
    (workspace / "content/maju/2025-08-01-f.md").write_text(article("F", "Kesehatan"), encoding="utf-8")
    extra = ("backend:\n  branch: produksi\nlogo_url: https://example.github.io/repo/logo.png\n"
             "collections:\n  - name: maju-halaman\n    label: Halaman khusus\n    folder: content/maju/halaman\n"
             "    fields: [{name: title, widget: string}]\n"
             "  - name: pengumuman\n    label: Pengumuman\n    folder: content/maju\n    fields: []\n")
    (workspace / "admin/config.extra.yml").write_text(extra, encoding="utf-8")
    code, output = run("cms", "-C", str(workspace))
    assert code == 0 and "ditulis: admin/config.yml" in output
    config = load(workspace)
    found = collections(config)
    assert "baru-berita" in found and "Kesehatan" in fields(found["maju-berita"])["category"]["options"]
    assert config["backend"] == {"name": "github", "repo": "example/repo", "branch": "produksi",
                                 "auth_methods": ["token"]}
    assert config["logo_url"].endswith("logo.png")
    assert found["maju-halaman"]["label"] == "Halaman khusus"  # replaced where it was
    assert [c.get("name") for c in config["collections"]][-1] == "pengumuman"  # added at the end
    assert (workspace / "admin/config.extra.yml").read_text(encoding="utf-8") == extra


@pytest.mark.parametrize("name", ["admin/config.yml", "admin/index.html"])
def test_hand_edits_are_never_overwritten(workspace, name):
    run("cms", "-C", str(workspace))
    path = workspace / name
    edited = path.read_text(encoding="utf-8").replace("KIM Maju Jaya", "KIM Maju Sekali")
    edited = edited.replace("</body>", "<p>catatan</p></body>")
    path.write_text(edited, encoding="utf-8")
    other = workspace / ("admin/index.html" if name.endswith(".yml") else "admin/config.yml")
    before = other.read_bytes()
    code, output = run("cms", "-C", str(workspace))
    assert code == 1
    assert name in output and "admin/config.extra.yml" in output and "tidak menimpanya" in output
    assert path.read_text(encoding="utf-8") == edited and other.read_bytes() == before


def test_a_file_kimsite_did_not_write_is_left_alone(workspace):
    (workspace / "admin").mkdir()
    (workspace / "admin/config.yml").write_text("backend:\n  name: git-gateway\n", encoding="utf-8")
    code, output = run("cms", "-C", str(workspace), "--lang", "en")
    assert code == 1 and "will not overwrite" in output
    assert (workspace / "admin/config.yml").read_text(encoding="utf-8") == "backend:\n  name: git-gateway\n"
    assert not (workspace / "admin/index.html").exists()


def test_links_and_bad_extra_files_are_refused(workspace, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (workspace / "admin").symlink_to(outside)
    code, output = run("cms", "-C", str(workspace))
    assert code == 1 and "tautan simbolik" in output and list(outside.iterdir()) == []
    (workspace / "admin").unlink()
    (workspace / "admin").mkdir()
    (workspace / "admin/config.extra.yml").write_text("collections:\n  - name: [\n", encoding="utf-8")
    code, output = run("cms", "-C", str(workspace))
    assert code == 1 and "admin/config.extra.yml:" in output and not (workspace / "admin/config.yml").exists()
    (workspace / "admin/config.extra.yml").write_text("- a\n- b\n", encoding="utf-8")
    code, output = run("cms", "-C", str(workspace))
    assert code == 1 and "kunci: nilai" in output


def test_not_a_workspace(tmp_path):
    code, output = run("cms", "-C", str(tmp_path))
    assert code == 1 and "kimsite init" in output


def test_init_with_cms(tmp_path):
    target = tmp_path / "baru"
    code, output = run("init", str(target), "--cms")
    assert code == 0, output
    config = load(target)
    assert "kim-contoh-berita" in collections(config)
    assert (target / "admin/index.html").is_file()


def test_config_matches_the_editors_published_schema(workspace):
    run("cms", "-C", str(workspace))
    (workspace / "admin/config.extra.yml").write_text("logo_url: https://example.github.io/repo/logo.png\n",
                                                      encoding="utf-8")
    run("cms", "-C", str(workspace))
    validator = jsonschema.Draft7Validator(config_schema())
    errors = sorted(validator.iter_errors(load(workspace)), key=lambda e: list(e.absolute_path))
    assert errors == [], "\n".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:10])


def test_pinned_bundle_hash_is_that_of_the_npm_package():
    assert bundle.INTEGRITY == integrity_of(bundle_bytes())
    assert bundle.URL.endswith(f"@{bundle.VERSION}/{bundle.FILE}")


# --- /admin/ as the build publishes it ---------------------------------------------------

class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values)
        if tag == "meta" and values.get("name"):
            self.meta[values["name"]] = values.get("content") or ""


def scripts_of(path: Path) -> _Scripts:
    parser = _Scripts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_build_publishes_admin_and_only_admin_has_script(workspace):
    (workspace / "content/maju/2025-07-05-broken.md").unlink()
    run("cms", "-C", str(workspace))
    # a script added to the workspace's page never reaches the published one
    page = workspace / "admin/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<script>alert(1)</script></body>"),
                    encoding="utf-8")
    build(workspace, BuildOptions(jobs=1))
    site = workspace / "_site"
    admin = scripts_of(site / "admin/index.html")
    assert admin.scripts == [{"src": bundle.URL, "integrity": bundle.INTEGRITY, "crossorigin": "anonymous"}]
    assert "noindex" in admin.meta["robots"] and "noindex" in admin.meta["googlebot"]
    assert (site / "admin/config.yml").read_bytes() == (workspace / "admin/config.yml").read_bytes()
    offenders = [str(path.relative_to(site)) for path in site.rglob("*.html") if path != site / "admin/index.html"
                 for attrs in scripts_of(path).scripts if attrs.get("type") != "application/ld+json"]
    assert offenders == []
    listed = "".join(path.read_text(encoding="utf-8") for pattern in ("*.xml", "*.opml", "*.ics", "*.json")
                     for path in site.rglob(pattern))
    assert "/admin" not in listed  # not in the sitemap, feeds, OPML, calendars or data
    assert "admin" not in (site / "robots.txt").read_text(encoding="utf-8")


def test_admin_follows_config_edits_and_removal(workspace):
    (workspace / "content/maju/2025-07-05-broken.md").unlink()
    build(workspace, BuildOptions(jobs=1))
    assert not (workspace / "_site/admin").exists()
    run("cms", "-C", str(workspace))
    build(workspace, BuildOptions(jobs=1))  # only admin/ changed: the no-change shortcut must not apply
    assert (workspace / "_site/admin/index.html").is_file()
    extra = workspace / "admin/config.extra.yml"
    extra.write_text("app_title: Penyunting Baru\n", encoding="utf-8")
    run("cms", "-C", str(workspace))
    build(workspace, BuildOptions(jobs=1))
    assert "Penyunting Baru" in (workspace / "_site/admin/config.yml").read_text(encoding="utf-8")
    (workspace / "admin/config.yml").unlink()
    build(workspace, BuildOptions(jobs=1))
    assert not (workspace / "_site/admin/config.yml").exists()


def test_config_reached_through_a_link_is_not_published(workspace, tmp_path):
    (workspace / "content/maju/2025-07-05-broken.md").unlink()
    secret = tmp_path / "secret.yml"
    secret.write_text("token: rahasia\n", encoding="utf-8")
    (workspace / "admin").mkdir()
    (workspace / "admin/config.yml").symlink_to(secret)
    build(workspace, BuildOptions(jobs=1))
    assert not (workspace / "_site/admin").exists()


def test_command_line_entry_point(tmp_path):
    root = write_workspace(tmp_path / "ws", {"sites/maju.yaml": SITE})
    done = subprocess.run([sys.executable, "-m", "kimsite", "cms", "-C", str(root)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert re.search(r"Penyunting untuk 1 KIM siap", done.stdout)


def test_check_says_which_articles_the_editor_will_not_list(workspace):
    """The editor's collections find files ending in exactly ".md": a `.markdown` (or `.MD`)
    article is built but not listed there, and `kimsite check` says so, once the workspace has
    the editor (and not before)."""
    from kimsite.commands.check import collect

    (workspace / "content/maju/2025-07-06-rapat.markdown").write_text(article("Rapat", None, 6), encoding="utf-8")
    (workspace / "content/maju/2025-07-07-kerja-bakti.MD").write_text(article("Kerja", None, 7), encoding="utf-8")
    (workspace / "content/maju/2025-07-05-broken.md").unlink()

    def hidden() -> list[tuple[str, str]]:
        return [(p.file, p.text("id")) for p in collect(workspace) if p.code == "editor_hidden_extension"]

    assert hidden() == []  # no editor: nothing to say
    assert run("cms", "-C", str(workspace))[0] == 0
    found = hidden()
    assert [file for file, _ in found] == ["content/maju/2025-07-06-rapat.markdown",
                                           "content/maju/2025-07-07-kerja-bakti.MD"]
    assert "ganti namanya menjadi 2025-07-06-rapat.md" in found[0][1]
    assert "ganti namanya menjadi 2025-07-07-kerja-bakti.md" in found[1][1]
