"""The import report: what came over, what was left behind and why, and old -> new addresses."""

from __future__ import annotations

from kimsite.importer.run import ImportOptions, ImportResult
from kimsite.importer.sitefile import own_domain
from kimsite.base.messages import message

# reason code -> message key, in the order the summary lists them
SKIP_REASONS = ("comment", "spam", "attachment", "trash", "private", "password", "auto_draft", "revision",
                "other_type", "no_date", "empty", "too_large", "already_imported")


def report_lines(result: ImportResult, options: ImportOptions, base_url: str, lang: str) -> list[str]:
    lines: list[str] = []
    export = result.export
    lines.append(message("import_source", lang, format=message("import_format_" + export.format, lang),
                         title=export.title or "-", url=export.url or "-"))
    if result.site_created:
        lines.append(message("import_would_create" if options.dry_run else "created", lang,
                             path=result.site_created))
    for written in result.written:
        key = "import_line_replaced" if written.action == "replaced" else "import_line_new"
        draft = message("import_draft_mark", lang) if written.entry.draft else ""
        lines.append(message(key, lang, path=written.path, draft=draft))
    for path, reason in result.skipped_files:
        lines.append(message("import_line_skipped", lang, path=path, why=message("import_skip_" + reason, lang)))
    for path, name in result.kept_shortcodes:
        lines.append(message("import_shortcode_kept", lang, path=path, name=name))
    for url, why in sorted(result.pictures.failed.items()):
        lines.append(message("import_picture_failed", lang, url=url, why=why.text(lang)))

    moves = _moves(result, options, base_url)
    kept = sum(1 for w in result.written if w.entry.old_url and not w.entry.draft and own_domain(w.entry.old_url))
    if kept:
        lines.append(message("import_redirects_note", lang, count=kept, domain=own_domain(export.url) or "-",
                             kim=options.kim))
    if moves:
        lines.append(message("import_moves_heading", lang, count=len(moves)))
        lines.extend(f"{old}  ->  {new}" for old, new in moves)

    articles = sum(1 for w in result.written if w.entry.kind == "article")
    pages = len(result.written) - articles
    drafts = sum(1 for w in result.written if w.entry.draft)
    verb = "import_summary_dry" if options.dry_run else "import_summary"
    lines.append(message(verb, lang, articles=articles, pages=pages, drafts=drafts))
    skipped = [f"{count} {message('import_skip_' + reason, lang)}" for reason in SKIP_REASONS
               if (count := result.skipped.get(reason, 0))]
    skipped += [f"{count} {reason}" for reason, count in sorted(result.skipped.items())
                if reason not in SKIP_REASONS and count]
    lines.append(message("import_summary_skipped", lang, list="; ".join(skipped) if skipped else "0"))
    if not options.images:
        lines.append(message("import_summary_no_images", lang, count=result.pictures_wanted))
    elif options.dry_run:
        lines.append(message("import_summary_images_dry", lang, count=result.pictures_wanted))
    else:
        lines.append(message("import_summary_images", lang, downloaded=result.pictures.downloaded,
                             failed=len(result.pictures.failed)))
    if result.kept_shortcodes:
        lines.append(message("import_summary_shortcodes", lang, count=len(result.kept_shortcodes)))
    return lines


def _moves(result: ImportResult, options: ImportOptions, base_url: str) -> list[tuple[str, str]]:
    """Old public address -> new one, for posts whose old address kimsite cannot answer itself
    (a blog on Blogspot or WordPress.com: the list is for a last post or the old blog's settings)."""
    moves = []
    root = base_url.rstrip("/") + "/" + options.kim + "/"
    for written in result.written:
        old = written.entry.old_url
        if not old or written.entry.draft or own_domain(old):
            continue
        moves.append((old, root + written.new_location))
    return moves
