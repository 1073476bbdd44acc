"""admin/index.html: the editor's page. The only page of a site with a script, and that script
is the pinned bundle, checked by the browser against its integrity hash."""

from __future__ import annotations

from html import escape

from kimsite.cms import bundle
from kimsite.cms.labels import label


def admin_page(lang: str, title: str) -> str:
    return f"""<!doctype html>
<html lang="{'en' if lang == 'en' else 'id'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow, noarchive">
<meta name="googlebot" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<title>{escape(label("app_title", lang, title=title))}</title>
<link href="config.yml" type="application/yaml" rel="cms-config-url">
</head>
<body data-pagefind-ignore="all">
<noscript>{escape(label("noscript", lang))}</noscript>
<script src="{bundle.URL}" integrity="{bundle.INTEGRITY}" crossorigin="anonymous"></script>
</body>
</html>
"""
