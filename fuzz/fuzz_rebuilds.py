"""Random edits of the demo regency, each followed by a rebuild: the output of a build that
reuses its cache must be the output of a clean build of the same sources, byte for byte.

Every round makes one to three edits a webmaster makes (a paragraph, a title, a date in the past
or the future, tags, a category, a draft, a summary, an author, a slug, a picture, a hoax
clarification's fields, an article added, deleted or renamed, a link to another article, a KIM's
or the portal's name, the Markdown dialect, language or time zone), rebuilds the workspace,
builds a copy of its sources from nothing, and compares the two outputs (or, when the edits make
the build fail, the two failures). The clock is fixed, so that both builds publish the same
articles.

    python fuzz/fuzz_rebuilds.py --minutes 15 [--seed 7] [--session]

With `--session`, the rebuilds are made as `kimsite serve` makes them: in one process, with one
BuildSession kept from build to build and told which files changed (as the file watcher tells
it), so that what the session keeps in memory is held to a clean build too.

The first difference stops the run, with the last edits and the files that differ (exit 1).
The workspaces are made in a temporary folder; nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from safety import files  # noqa: E402

from kimsite.base.problems import KimsiteError  # noqa: E402
from kimsite.build import BuildOptions, BuildSession, build  # noqa: E402

NOW = datetime(2026, 12, 1, 5, tzinfo=timezone.utc)
WORKSPACE_PARTS = ("kimsite.yaml", "content", "sites", "feeds")
TITLES = ["Rapat Warga RT 03", "Kerja Bakti Minggu Pagi", "Posyandu Balita", "Panen Raya", "Lomba Agustusan"]
CATEGORIES = ["Pemerintahan", "Kesehatan", "Pertanian", "Lingkungan", "Cek Fakta", "Agenda", "Ekonomi"]
TAGS = ["warga", "desa", "hoaks", "kesehatan", "pertanian", "umkm", "keramik", "pemerintahan desa", "Warga"]
VERDICTS = ["HOAKS", "BENAR", "SALAH", "MENYESATKAN"]
SETTINGS = [("markdown", ["default", "gfm"]), ("language", ["id", "en"]),
            ("timezone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])]
CLAIM_FIELDS = ("type", "klaim", "label", "sumber_klaim", "tanggal_klaim", "rujukan")


def copy_sources(source: Path, target: Path) -> None:
    """The workspace's own files (settings, articles, site files, stored feeds), nothing built."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for part in WORKSPACE_PARTS:
        found = source / part
        if found.is_dir():
            shutil.copytree(found, target / part)
        elif found.exists():
            shutil.copy2(found, target / part)


def outcome(workspace: Path, session: BuildSession | None = None) -> tuple[str, list[str]]:
    try:
        result = build(workspace, BuildOptions(now=NOW), session)
    except KimsiteError as failure:
        return "error", sorted(problem.code for problem in failure.problems)
    return "ok", sorted(problem.code for problem in result.problems)


def output_differences(first: Path, second: Path) -> list[str]:
    """The files only one of two output folders has, and those whose bytes differ."""
    ours, theirs = files(first), files(second)
    differences = [f"only in the rebuilt output: {name}" for name in sorted(ours.keys() - theirs.keys())]
    differences += [f"only in the clean output: {name}" for name in sorted(theirs.keys() - ours.keys())]
    differences += [f"different bytes: {name}" for name in sorted(ours.keys() & theirs.keys())
                    if ours[name] != theirs[name]]
    return differences


def _set_field(path: Path, key: str, value: str | None) -> None:
    """Front matter `key: value` (first after the opening line), or without `key` when None."""
    text = path.read_text(encoding="utf-8")
    end = text.find("\n---", 4)
    if not text.startswith("---\n") or end < 0:
        return
    lines = [line for line in text[4:end].split("\n") if not line.startswith(f"{key}:")]
    if value is not None:
        lines.insert(1, f"{key}: {value}")
    path.write_text("---\n" + "\n".join(lines) + text[end:], encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def edit(rng: random.Random, workspace: Path) -> tuple[str, list[str]]:
    """One random edit; returns what it did, and the workspace-relative paths it touched."""
    articles = sorted((workspace / "content").rglob("*.md"))
    article = rng.choice(articles)
    name = article.relative_to(workspace).as_posix()
    choice = rng.randrange(21)
    touched = [name]
    if choice == 0:
        _append(article, f"\n\nParagraf tambahan {rng.randrange(1000)}.\n")
    elif choice == 1:
        text = article.read_text(encoding="utf-8")
        words = re.findall(r"\b[a-z]{5,}\b", text.split("\n---", 2)[-1])
        if words:
            word = rng.choice(words)
            article.write_text(text.replace(word, word.upper(), 1), encoding="utf-8")
    elif choice == 2:
        _set_field(article, "title", f"{rng.choice(TITLES)} {rng.randrange(50)}")
    elif choice == 3:
        _set_field(article, "date", f"{rng.choice([2023, 2024, 2025, 2026])}-{rng.randrange(1, 12):02d}-"
                                    f"{rng.randrange(1, 28):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}")
    elif choice == 4:
        _set_field(article, "date", "2027-03-05 10:00")  # after the clock: not published yet
    elif choice == 5:
        _set_field(article, "tags", rng.choice([None, "[" + ", ".join(rng.sample(TAGS, rng.randrange(4))) + "]"]))
    elif choice == 6:
        _set_field(article, "category", rng.choice([None, *CATEGORIES]))
    elif choice == 7:
        _set_field(article, "draft", rng.choice([None, "true", "false"]))
    elif choice == 8:
        _set_field(article, "summary", rng.choice([None, "Ringkasan baru.", "Ringkasan lain & berbeda."]))
    elif choice == 9:
        _set_field(article, "author", rng.choice([None, "Penulis Baru", "Ujang Sobari"]))
    elif choice == 10:
        _set_field(article, "slug", rng.choice([None, f"alamat-baru-{rng.randrange(20)}"]))
    elif choice == 11:
        _set_field(article, "image", rng.choice([None, "media/keramik.jpg", "media/tidak-ada.jpg"]))
    elif choice == 12:
        if rng.random() < 0.5:
            for key, value in (("type", "klarifikasi"), ("klaim", '"Pesan berantai tentang bantuan."'),
                               ("label", rng.choice(VERDICTS))):
                _set_field(article, key, value)
        else:
            for key in CLAIM_FIELDS:
                _set_field(article, key, None)
    elif choice == 13 and len(articles) > 20:
        article.unlink()
    elif choice == 14:
        added = article.with_name(f"2026-0{rng.randrange(1, 9)}-1{rng.randrange(9)}-baru-{rng.randrange(1000)}.md")
        if not added.exists():
            shutil.copy(article, added)
            _set_field(added, "title", f"{rng.choice(TITLES)} baru")
            name = f"{name} copied to {added.name}"
            touched.append(added.relative_to(workspace).as_posix())
    elif choice == 15 and not (renamed := article.with_name(f"{article.stem}-x.md")).exists():
        article.rename(renamed)
        touched.append(renamed.relative_to(workspace).as_posix())
    elif choice == 16:
        others = [path for path in article.parent.glob("*.md") if path != article]
        if others:
            _append(article, f"\n\nBaca juga [tulisan lain]({rng.choice(others).name}).\n")
    elif choice in (17, 18):
        site = rng.choice(sorted(p for p in (workspace / "sites").glob("*.yaml") if p.name != "purwakarta.yaml"))
        text = site.read_text(encoding="utf-8")
        site.write_text(re.sub(r"^name: .*$", f"name: KIM Uji {rng.randrange(100)}", text, count=1, flags=re.M),
                        encoding="utf-8")
        name = touched[0] = site.relative_to(workspace).as_posix()
    elif choice == 20:
        settings = workspace / "kimsite.yaml"
        key, values = rng.choice(SETTINGS)
        text = settings.read_text(encoding="utf-8")
        settings.write_text(re.sub(rf"^{key}: .*$", f"{key}: {rng.choice(values)}", text, count=1, flags=re.M),
                            encoding="utf-8")
        name = touched[0] = "kimsite.yaml"
    else:
        portal = workspace / "sites" / "purwakarta.yaml"
        text = portal.read_text(encoding="utf-8")
        portal.write_text(re.sub(r"^name: .*$", f"name: Portal KIM Uji {rng.randrange(100)}", text, count=1,
                                 flags=re.M), encoding="utf-8")
        name = touched[0] = portal.relative_to(workspace).as_posix()
    return f"edit {choice}: {name}", touched


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--session", action="store_true", help="rebuild as kimsite serve does")
    args = parser.parse_args()
    session = BuildSession() if args.session else None
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kimsite-fuzz-rebuilds-") as folder:
        rebuilt, clean = Path(folder) / "rebuilt", Path(folder) / "clean"
        copy_sources(REPO, rebuilt)
        outcome(rebuilt, session)
        done: list[str] = []
        rounds = 0
        deadline = time.monotonic() + args.minutes * 60
        while time.monotonic() < deadline:
            for _ in range(rng.randrange(1, 4)):
                what, touched = edit(rng, rebuilt)
                done.append(what)
                if session is not None:
                    session.note_changes(touched)
            ours = outcome(rebuilt, session)
            copy_sources(rebuilt, clean)
            theirs = outcome(clean)
            rounds += 1
            differences = [] if ours == theirs else [f"the rebuild: {ours}; the clean build: {theirs}"]
            if not differences and ours[0] == "ok":
                differences = output_differences(rebuilt / "_site", clean / "_site")
            if differences:
                print(f"round {rounds} (seed {args.seed}): the rebuild differs from a clean build\n"
                      "last edits:\n  " + "\n  ".join(done[-8:]) + "\n" + "\n".join(differences[:30]))
                return 1
    way = "in one session, as kimsite serve" if session is not None else "one by one"
    print(f"{rounds} rounds, {len(done)} edits, rebuilt {way}: every rebuild equals a clean build (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
