"""The `kimsite` command line: parses arguments, runs a command, maps outcomes to exit codes.

Exit codes: 0 success, 1 content or configuration problems, 2 a wrong command line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kimsite import __version__
from kimsite.messages import cli_language, message
from kimsite.problems import KimsiteError, Problem, UsageError

LANG_OPTION = click.option("--lang", type=click.Choice(["id", "en"]), default=None,
                           help="Bahasa pesan / message language (id, en).")
DIR_OPTION = click.option("-C", "workspace", type=click.Path(file_okay=False, path_type=Path), default=".",
                          help="Folder workspace (default: folder saat ini).")


def _print_problems(problems: list[Problem], lang: str) -> None:
    for problem in sorted(dict.fromkeys(problems), key=Problem.sort_key):
        click.echo(problem.format(lang), err=True)


def _fail(exc: KimsiteError, lang: str, strict: bool = False) -> None:
    _print_problems(exc.problems, lang)
    errors = sum(1 for p in exc.problems if p.severity == "error")
    if errors:
        click.echo(message("build_failed", lang, count=errors), err=True)
    elif strict:
        click.echo(message("strict_failed", lang, count=len(exc.problems)), err=True)
    sys.exit(1)


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
@click.option("--no-cache", is_flag=True, help="Abaikan cache .kimsite/ (bangun dari nol).")
@LANG_OPTION
def build(workspace: Path, site, base_url, output, drafts, future, strict, jobs, no_cache, lang) -> None:
    """Bangun situs ke folder _site/."""
    from kimsite.build import BuildOptions, build as run_build
    from kimsite.progress import Progress

    lang = cli_language(lang)
    progress = Progress(lang)
    options = BuildOptions(base_url=base_url, output=output, site=site, drafts=drafts, future=future,
                           strict=strict, jobs=jobs, use_cache=not no_cache, progress=progress.update)
    try:
        result = run_build(workspace, options)
    except KimsiteError as exc:
        progress.finish()
        _fail(exc, lang, strict)
        return
    progress.finish()
    _print_problems(result.problems, lang)
    where = os.path.relpath(result.output_dir, Path.cwd()) if result.output_dir.is_relative_to(Path.cwd()) \
        else str(result.output_dir)
    seconds = f"{result.seconds:.2f}"
    if result.up_to_date:
        click.echo(message("build_up_to_date", lang, output=where, seconds=seconds))
    else:
        click.echo(message("build_summary", lang, sites=result.sites, articles=result.articles,
                           pages=result.outputs, written=result.written, seconds=seconds, output=where))


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--ci", is_flag=True, help="Hanya tambahkan workflow GitHub Pages ke workspace yang ada.")
@LANG_OPTION
def init(directory: Path, ci: bool, lang) -> None:
    """Buat workspace baru (satu KIM contoh dan satu artikel contoh)."""
    from kimsite import scaffold

    lang = cli_language(lang)
    try:
        for line in scaffold.init_workspace(directory, lang, ci_only=ci):
            click.echo(line)
    except UsageError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


@main.command("new-kim")
@click.argument("name")
@click.option("--kecamatan", required=True, help="Kecamatan tempat KIM berada.")
@click.option("--desa", default="", help="Desa/kelurahan.")
@click.option("--slug", default=None, help="Nama pendek untuk alamat (default: dari nama).")
@DIR_OPTION
@LANG_OPTION
def new_kim(name: str, kecamatan: str, desa: str, slug, workspace: Path, lang) -> None:
    """Tambah KIM baru: sites/<slug>.yaml dan folder content/<slug>/."""
    from kimsite import scaffold

    lang = cli_language(lang)
    try:
        for line in scaffold.new_kim(workspace, name, kecamatan, desa, slug, lang):
            click.echo(line)
    except UsageError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


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
    from kimsite import scaffold

    lang = cli_language(lang)
    try:
        for line in scaffold.new_article(workspace, title, kim, kind, when, lang):
            click.echo(line)
    except UsageError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


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
    from kimsite.check import run_check

    lang = cli_language(lang)
    sys.exit(run_check(workspace, site=site, fmt=fmt, strict=strict, drafts=drafts, lang=lang))


def run() -> None:
    main()
