"""The `kimsite` command line: parses arguments, runs a command, maps outcomes to exit codes.

Exit codes: 0 success, 1 content or configuration problems, 2 a wrong command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kimsite import __version__
from kimsite.base.language_choice import cli_language
from kimsite.base.messages import message
from kimsite.base.problems import KimsiteError, UsageError
from kimsite.commands import build_command

LANG_OPTION = click.option("--lang", type=click.Choice(["id", "en"]), default=None,
                           help="Bahasa pesan / message language (id, en).")
DIR_OPTION = click.option("-C", "workspace", type=click.Path(file_okay=False, path_type=Path), default=".",
                          help="Folder workspace (default: folder saat ini).")


_print_problems = build_command.print_problems
_fail = build_command.fail


def _print_lines(command) -> None:
    """Run a command that returns lines to show; a refusal is printed with its exit code."""
    try:
        for line in command():
            click.echo(line)
    except UsageError as exc:
        click.echo(str(exc), err=True)
        sys.exit(exc.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kimsite")
def main() -> None:
    """kimsite: situs statis untuk KIM (Kelompok Informasi Masyarakat) dan portal kabupaten."""


@main.command()
@DIR_OPTION
@click.option("--site", default=None, help="Bangun satu KIM saja, di akar domainnya sendiri.")
@click.option("--base-url", default=None, help="Alamat publik situs, misalnya https://nama.github.io/repo/.")
@click.option("--output", "-o", default=None, help="Folder hasil (default: _site).")
@click.option("--drafts", is_flag=True, help="Sertakan artikel draft.")
@click.option("--future", is_flag=True, help="Sertakan artikel bertanggal mendatang.")
@click.option("--strict", is_flag=True, help="Anggap setiap peringatan sebagai galat.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Jumlah proses paralel.")
@click.option("--no-cache", is_flag=True,
              help="Abaikan cache build di .kimsite/: setiap artikel dibaca dan setiap halaman ditulis ulang "
                   "(gambar olahan, kartu bagikan, dan ikon yang sudah dibuat tetap dipakai).")
@click.option("--timings", is_flag=True, help="Tampilkan waktu tiap langkah.")
@click.option("--search", is_flag=True, help="Buat indeks pencarian dengan Pagefind (pip install 'kimsite[search]').")
@click.option("--quiet", "-q", is_flag=True, help="Hanya tampilkan masalah, tanpa ringkasan (untuk log CI).")
@click.option("--for-publish", is_flag=True,
              help="Tolak base_url lokal atau contoh dari init, seperti deploy (untuk hasil yang akan diterbitkan).")
@LANG_OPTION
def build(workspace: Path, site, base_url, output, drafts, future, strict, jobs, no_cache, search, timings,
          quiet, for_publish, lang) -> None:
    """Bangun situs ke folder _site/."""
    build_command.run_build(workspace, site=site, base_url=base_url, output=output, drafts=drafts, future=future,
                            strict=strict, jobs=jobs, no_cache=no_cache, search=search, timings=timings,
                            quiet=quiet, for_publish=for_publish, lang=lang)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--ci", is_flag=True, help="Hanya tambahkan workflow GitHub Pages ke workspace yang ada.")
@click.option("--cms", "with_cms", is_flag=True, help="Sertakan penyunting di /admin/ (seperti kimsite cms).")
@LANG_OPTION
def init(directory: Path, ci: bool, with_cms: bool, lang) -> None:
    """Buat workspace baru (satu KIM contoh dan satu artikel contoh)."""
    from kimsite.commands import scaffold

    lang = cli_language(lang)
    _print_lines(lambda: scaffold.init_workspace(directory, lang, ci_only=ci))
    if with_cms:
        from kimsite.cms import write_cms

        _print_lines(lambda: write_cms(directory, lang))


@main.command()
@DIR_OPTION
@click.option("--repo", default=None, help="Repositori GitHub PEMILIK/NAMA (default: dari git remote origin).")
@LANG_OPTION
def cms(workspace: Path, repo, lang) -> None:
    """Tulis admin/index.html dan admin/config.yml: penyunting di /admin/ untuk menulis dari browser."""
    from kimsite.cms import write_cms

    lang = cli_language(lang)
    _print_lines(lambda: write_cms(workspace, lang, repo))


@main.command("new-kim")
@click.argument("name")
@click.option("--kecamatan", required=True, help="Kecamatan tempat KIM berada.")
@click.option("--desa", default="", help="Desa/kelurahan.")
@click.option("--slug", default=None, help="Nama pendek untuk alamat (default: dari nama).")
@DIR_OPTION
@LANG_OPTION
def new_kim(name: str, kecamatan: str, desa: str, slug, workspace: Path, lang) -> None:
    """Tambah KIM baru: sites/<slug>.yaml dan folder content/<slug>/."""
    from kimsite.commands import scaffold

    lang = cli_language(lang)
    _print_lines(lambda: scaffold.new_kim(workspace, name, kecamatan, desa, slug, lang))


@main.command()
@click.argument("title")
@click.option("--kim", "kim", required=True, help="Slug KIM (nama berkas di sites/).")
@click.option("--type", "kind", type=click.Choice(["berita", "klarifikasi", "agenda", "produk"]),
              default="berita", help="Jenis tulisan.")
@click.option("--date", "when", default=None, help="Tanggal terbit (default: sekarang).")
@DIR_OPTION
@LANG_OPTION
def new(title: str, kim: str, kind: str, when, workspace: Path, lang) -> None:
    """Tulis artikel baru yang siap disunting."""
    from kimsite.commands import scaffold

    lang = cli_language(lang)
    _print_lines(lambda: scaffold.new_article(workspace, title, kim, kind, when, lang))


@main.command()
@DIR_OPTION
@click.option("--site", default=None, help="Periksa satu KIM saja.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              help="Bentuk laporan: text, json, atau github (anotasi GitHub Actions).")
@click.option("--strict", is_flag=True, help="Anggap setiap peringatan sebagai galat.")
@click.option("--drafts", is_flag=True, help="Periksa juga artikel draft.")
@LANG_OPTION
def check(workspace: Path, site, fmt: str, strict: bool, drafts: bool, lang) -> None:
    """Periksa isi workspace tanpa menulis hasil."""
    from kimsite.commands.check import run_check

    lang = cli_language(lang)
    sys.exit(run_check(workspace, site=site, fmt=fmt, strict=strict, drafts=drafts, lang=lang))


@main.command()
@DIR_OPTION
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port pratinjau (0: pilih port bebas).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Alamat untuk mendengarkan.")
@click.option("--drafts", is_flag=True, help="Tampilkan juga artikel draft.")
@click.option("--future", is_flag=True, help="Tampilkan juga artikel bertanggal mendatang.")
@LANG_OPTION
def serve(workspace: Path, port: int, host: str, drafts: bool, future: bool, lang) -> None:
    """Pratinjau situs di browser; dibangun ulang dan dimuat ulang setiap kali berkas disimpan."""
    from kimsite.commands.serve import ServeSettings, serve as run_serve

    lang = cli_language(lang)
    settings = ServeSettings(host=host, port=port, drafts=drafts, future=future, lang=lang)
    sys.exit(run_serve(workspace, settings))


@main.command()
@DIR_OPTION
@click.option("--branch", default="gh-pages", show_default=True, help="Cabang tujuan hasil build.")
@click.option("--remote", default="origin", show_default=True, help="Remote git tujuan push.")
@click.option("--no-push", is_flag=True, help="Hanya commit ke cabang; jangan push.")
@click.option("--message", "-m", "commit_message", default=None, help="Pesan commit (default: dari commit sumber).")
@click.option("--allow-dirty", is_flag=True, help="Terbitkan walau ada perubahan yang belum di-commit.")
@click.option("--site", default=None, help="Terbitkan satu KIM saja, di akar domainnya sendiri.")
@click.option("--base-url", default=None, help="Alamat publik situs, misalnya https://nama.github.io/repo/.")
@LANG_OPTION
def deploy(workspace: Path, branch: str, remote: str, no_push: bool, commit_message, allow_dirty: bool, site,
           base_url, lang) -> None:
    """Bangun lalu terbitkan _site/ ke cabang gh-pages (GitHub Pages dari cabang)."""
    from kimsite.commands import deploy as publishing
    from kimsite.workspace.options import BuildOptions

    lang = cli_language(lang)
    options = publishing.DeployOptions(branch=branch, remote=remote, push=not no_push, message=commit_message,
                                       allow_dirty=allow_dirty)
    try:
        publishing.deploy(workspace, BuildOptions(site=site, base_url=base_url), options, lang, click.echo)
    except KimsiteError as exc:
        _fail(exc, lang)
    except publishing.DeployError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


@main.command()
@DIR_OPTION
@click.option("--site", default=None, help="Ambil feed satu KIM jarak jauh saja (atau anggota satu portal).")
@click.option("--timeout", type=click.FloatRange(0.5, 600), default=None,
              help="Batas waktu total per feed, dalam detik (default: fetch: timeout: di kimsite.yaml, atau 20).")
@click.option("--deadline", type=click.FloatRange(10, 21600), default=None,
              help="Batas waktu seluruh pengambilan, dalam detik (default: fetch: deadline: di kimsite.yaml, atau 900).")
@LANG_OPTION
def fetch(workspace: Path, site, timeout, deadline, lang) -> None:
    """Ambil feed KIM jarak jauh (Blogspot, WordPress) dan simpan di feeds/ untuk portal."""
    from kimsite.commands.fetch import FetchOptions, fetch_all, report_line

    lang = cli_language(lang)

    def show(report) -> None:
        for line in report_line(report, lang):
            click.echo(line)

    try:
        result = fetch_all(workspace, FetchOptions(site=site, timeout=timeout, deadline=deadline, lang=lang),
                           on_report=show)
    except KimsiteError as exc:
        _print_problems(exc.problems, lang)
        sys.exit(1)
    feed_problems = {problem for report in result.reports for problem in report.problems}
    _print_problems([p for p in result.problems if p not in feed_problems], lang)
    if not result.reports:
        click.echo(message("fetch_none", lang))
    else:
        click.echo(message("fetch_summary", lang, total=len(result.reports), ok=result.count("ok"),
                           not_modified=result.count("not-modified"), failed=result.count("failed", "gone"),
                           seconds=f"{result.seconds:.1f}"))
    if any(p.severity == "error" for p in result.problems):
        sys.exit(1)

@main.command("import")
@click.argument("source")
@click.option("--kim", "kim", required=True, help="Slug KIM tujuan (sites/<slug>.yaml, content/<slug>/).")
@click.option("--kecamatan", default="", help="Kecamatan, bila KIM itu belum ada (sites/<slug>.yaml dibuat).")
@click.option("--name", default="", help="Nama KIM baru (default: judul blog).")
@click.option("--category", "categories", multiple=True, metavar="LABEL=KATEGORI",
              help="Label/kategori lama yang menjadi kategori artikel (boleh berulang).")
@click.option("--images-from", "image_hosts", multiple=True, metavar="HOST",
              help="Unduh juga gambar dari host ini (boleh berulang).")
@click.option("--no-images", is_flag=True, help="Biarkan gambar di alamat lamanya (tidak diunduh).")
@click.option("--update", is_flag=True, help="Ganti artikel yang ditulis impor sebelumnya (dikenali dari alamat lama).")
@click.option("--dry-run", is_flag=True, help="Tampilkan apa yang akan dilakukan tanpa menulis apa pun.")
@DIR_OPTION
@LANG_OPTION
def import_command(source: str, kim: str, kecamatan: str, name: str, categories: tuple[str, ...],
                   image_hosts: tuple[str, ...], no_images: bool, update: bool, dry_run: bool, workspace: Path,
                   lang) -> None:
    """Impor ekspor Blogger/WordPress (berkas .xml) atau feed RSS/Atom berisi penuh (alamat https://)."""
    from kimsite.workspace.config import load_workspace_config
    from kimsite.importer import USAGE_PROBLEMS, ImportOptions, report_lines, run_import

    lang = cli_language(lang)
    mapping = []
    for pair in categories:
        old, equals, new = pair.partition("=")
        if not equals or not old.strip() or not new.strip():
            click.echo(message("import_bad_category_map", lang, value=pair), err=True)
            sys.exit(2)
        mapping.append((old.strip(), new.strip()))
    options = ImportOptions(source=source, kim=kim, kecamatan=kecamatan, name=name, images=not no_images,
                            update=update, dry_run=dry_run, category_map=tuple(mapping),
                            image_hosts=tuple(host.lower() for host in image_hosts))
    try:
        result = run_import(workspace, options)
    except KimsiteError as exc:
        _print_problems(exc.problems, lang)
        sys.exit(2 if any(p.code in USAGE_PROBLEMS for p in exc.problems) else 1)
    config, _ = load_workspace_config(workspace.resolve())
    for line in report_lines(result, options, config.base_url if config else "", lang):
        click.echo(line)


def run() -> None:
    """The `kimsite` program once loaded (kimsite.program runs it): Ctrl+C ends it with one line."""
    from kimsite.base import interrupt
    from kimsite.base.language_choice import lang_argument

    build_command.OWN_PROCESS.append(True)
    interrupt.install()
    try:
        main()
    except interrupt.Interrupted:
        click.echo(message("interrupted", cli_language(lang_argument(sys.argv[1:]))), err=True)
        sys.exit(interrupt.EXIT_CODE)
