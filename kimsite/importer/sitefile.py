"""The KIM's sites/<kim>.yaml: used as it is, or written for a blog that moves in."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from kimsite.importer.entries import Export
from kimsite.importer.writer import scalar, write_file
from kimsite.base.problems import KimsiteError, error
from kimsite.commands.scaffold import SITE_FILE
from kimsite.base.yamlio import load_mapping

# Hosts of blogging services: a blog there moves to a new address; any other host is the KIM's own.
SERVICE_HOSTS = (".blogspot.com", ".wordpress.com", ".blogger.com", ".wixsite.com", ".weebly.com")


def own_domain(url: str) -> str:
    """The old blog's host when it is the KIM's own domain ("" for Blogspot, WordPress.com...)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    if not host or host.endswith(SERVICE_HOSTS) or "." not in host or host.replace(".", "").isdigit():
        return ""
    return host


def ensure_site_file(root: Path, kim: str, export: Export, options, write: bool) -> str:
    """"" when sites/<kim>.yaml exists and is a local KIM; else writes one and returns its path.
    Refuses a portal, a KIM hosted elsewhere, and a new KIM without --kecamatan."""
    rel = f"sites/{kim}.yaml"
    path = root / rel
    if path.is_file():
        doc, _ = load_mapping(path.read_text(encoding="utf-8-sig", errors="replace"), rel)
        data = doc.data if doc is not None else {}
        if str(data.get("kind") or "kim").strip().lower() == "portal":
            raise KimsiteError([error(rel, None, "import_site_is_portal", slug=kim)])
        if data.get("feed"):
            raise KimsiteError([error(rel, None, "import_site_is_remote", slug=kim)])
        return ""
    if not options.kecamatan.strip():
        raise KimsiteError([error(rel, None, "import_needs_kecamatan", slug=kim)])
    name = options.name.strip() or export.title.strip() or kim
    short = name[4:] if name.upper().startswith("KIM ") else name
    short = " ".join(short.replace(":", " ").replace("#", " ").split())  # stays plain YAML text
    text = SITE_FILE.format(name=scalar(name), kecamatan=scalar(options.kecamatan.strip()), desa='""',
                            name_short=short)
    domain = own_domain(export.url)
    if domain:
        text += f"# Domain blog lama: halaman pengalihan dibuat di alamat lama artikel.\ndomain: {domain}\n"
    if write:
        write_file(path, text.encode("utf-8"))
    return rel
