"""Workspace settings (kimsite.yaml) and site files (sites/<slug>.yaml).

Both are typed, frozen records. Loading collects every problem with its file
and line instead of stopping at the first.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from kimsite.base.dates import is_known_zone, zone
from kimsite.schema.frontmatter import decode_text, strip_control_chars
from kimsite.base.messages import Part
from kimsite.base.problems import Problem, error, warning
from kimsite.schema.site_fields import read_site_fields, unknown_key
from kimsite.base.slugs import VALID_SLUG
from kimsite.workspace.folder_names import DEFAULT_OUTPUT
from kimsite.workspace.themes import checked_theme
from kimsite.base.urls import base_url_problem
from kimsite.base.yamlio import YamlDocument, load_mapping

CONFIG_FILE = "kimsite.yaml"
DEFAULT_BASE_URL = "http://localhost:8000/"
PORTAL_RESERVED = frozenset({"assets", "kategori", "tag", "arsip", "halaman", "kecamatan", "direktori",
                             "data", "cek-fakta", "agenda", "potensi-desa", "media", "feed", "profil", "cari"})


@dataclass(frozen=True, slots=True)
class WorkspaceConfig:
    root: Path
    base_url: str  # absolute, ends with "/"
    language: str  # "id" or "en": the language readers see
    timezone: str
    theme: str
    output: str  # folder relative to root
    markdown: str  # "default" or "gfm"
    per_page: int = 10
    feed_length: int = 20
    title: str = "Situs KIM"
    allow_hosts: tuple[str, ...] = ()
    fetch_timeout: float = 20.0  # kimsite.yaml `fetch: timeout:` (seconds, total per feed)
    fetch_deadline: float = 900.0  # `fetch: deadline:` (seconds for the whole fetch)
    fetch_workers: int = 8  # `fetch: workers:` (feeds fetched at once)
    search: bool = False  # kimsite.yaml `search: true`: index with Pagefind, like `build --search`
    # Share cards drawn besides the KIM's and each klarifikasi's verdict card: none ("site": the
    # KIM's card for articles without a picture) or one per article ("article"); see kimsite.media.previews.
    share_cards: str = "site"
    fingerprint: str = ""  # hash of the settings that shape every page

    @property
    def base_path(self) -> str:
        """The path part of base_url: "/" or "/repo/"."""
        return urlsplit(self.base_url).path or "/"

    @property
    def output_dir(self) -> Path:
        return self.root / self.output


@dataclass(frozen=True, slots=True)
class SiteConfig:
    slug: str
    file: str  # workspace-relative path of the site file
    role: str  # "kim" or "portal" (a site file's `kind:`)
    name: str
    kecamatan: str = ""
    desa: str = ""
    kode_wilayah: str = ""
    kim_id: str = ""
    description: str = ""
    founded: date | None = None
    sk: str = ""
    pengurus: tuple[tuple[str, str], ...] = ()  # (role, name)
    contact: tuple[tuple[str, str], ...] = ()  # (email|whatsapp|address|phone|website, value)
    social: tuple[tuple[str, str], ...] = ()  # (network, url)
    logo: str = ""
    logo_line: int | None = None  # where the site file names it
    theme: str = ""
    domain: str = ""
    feed: str = ""  # remote KIMs: their feed URL
    url: str = ""  # remote KIMs: their site
    region: str = ""  # portals: "Kabupaten Purwakarta"
    kecamatan_list: tuple[str, ...] = ()  # portals: every kecamatan of the region
    members: tuple[str, ...] = ("all",)  # portals: "all", site slugs or feed URLs
    members_opml: tuple[tuple[str, int | None], ...] = ()  # portals: member lists (sites/*.opml, line)
    fingerprint: str = ""

    @property
    def is_remote(self) -> bool:
        return bool(self.feed)

    @property
    def is_local_kim(self) -> bool:
        return self.role == "kim" and not self.feed


_WORKSPACE_KEYS = {"base_url", "language", "timezone", "theme", "output", "markdown", "per_page",
                   "feed_length", "title", "fetch", "check", "search", "share_cards"}
_KIM_KEYS = {"kind", "name", "kecamatan", "desa", "kode_wilayah", "kim_id", "description", "founded", "sk",
             "pengurus", "contact", "social", "logo", "theme", "domain", "feed", "url"}
_PORTAL_KEYS = {"kind", "name", "region", "kecamatan", "members", "description", "logo", "theme", "domain",
                "contact", "social"}


def _text(doc: YamlDocument, key: str, file: str, problems: list[Problem], default: str = "") -> str:
    value = doc.data.get(key)
    if value is None:
        return default
    if isinstance(value, (dict, list)):
        problems.append(error(file, doc.lines.get(key), "field_not_text", field=key,
                              kind="mapping" if isinstance(value, dict) else "daftar/list"))
        return default
    if isinstance(value, str):
        clean = strip_control_chars(value)  # written as YAML escapes ("\x01"): pages and feeds must not carry them
        if clean != value:
            problems.append(warning(file, doc.lines.get(key), "field_control_chars", field=key))
        return " ".join(clean.split())
    return doc.raw.get(key, str(value))


_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]{1,30}(?:/[A-Za-z0-9_+-]{1,30}){0,2}")


def _known_zone(name: str) -> bool:
    """An IANA time zone name; "Asia" (a folder of the zone database), a path or a very long
    name is not one (the database would be read at that path)."""
    if not _ZONE_NAME.fullmatch(name):
        return False
    try:
        return is_known_zone(name)
    except OSError:
        return False


def _limited(doc: YamlDocument, key: str, file: str, problems: list[Problem], default: str, limit: int) -> str:
    """`_text` with a length limit; a longer value is an error."""
    value = _text(doc, key, file, problems, default)
    if len(value) > limit:
        problems.append(error(file, doc.lines.get(key), "field_too_long", field=key, length=len(value), limit=limit))
        return default
    return value


def _choice(doc: YamlDocument, key: str, choices: tuple[str, ...], file: str, problems: list[Problem]) -> str:
    """A setting limited to `choices` (the first is the default); a bad value is an error."""
    value = _text(doc, key, file, problems, choices[0]).lower()
    if value not in choices:
        problems.append(error(file, doc.lines.get(key), "field_bad_choice", field=key, value=value,
                              choices=", ".join(choices)))
        return choices[0]
    return value


def workspace_above(folder: Path) -> Path | None:
    """The nearest folder above `folder` that holds kimsite.yaml (a command run from content/)."""
    try:
        resolved = folder.resolve()
    except (OSError, RuntimeError):
        return None
    for parent in resolved.parents:
        if (parent / CONFIG_FILE).is_file():
            return parent
    return None


def missing_workspace(folder: Path, code: str) -> tuple[str, dict[str, str]]:
    """The message for a folder without kimsite.yaml: `code` (run kimsite init), or, inside a
    workspace's subfolder, the advice to move to the folder that holds kimsite.yaml."""
    found = workspace_above(folder)
    if found is None:
        return code, {"path": str(folder)}
    up = "/".join([".."] * (len(folder.resolve().parts) - len(found.parts)))
    return "workspace_in_parent", {"path": str(folder), "workspace": str(found), "up": up}


def load_workspace_config(root: Path, base_url_override: str | None = None
                          ) -> tuple[WorkspaceConfig | None, list[Problem]]:
    path = root / CONFIG_FILE
    if not path.is_file():
        code, args = missing_workspace(root, "workspace_missing")
        return None, [error("", None, code, **args)]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(CONFIG_FILE, None, "file_unreadable", reason=exc.strerror or str(exc))]
    doc, problems = read_mapping(raw, CONFIG_FILE)
    if doc is None:
        return None, problems
    file = CONFIG_FILE
    for key in doc.data:
        if str(key) not in _WORKSPACE_KEYS:
            problems.append(unknown_key(file, doc.lines.get(str(key)), str(key), sorted(_WORKSPACE_KEYS)))

    base_url = base_url_override or _text(doc, "base_url", file, problems, DEFAULT_BASE_URL)
    normalized = normalize_base_url(base_url)
    if normalized is None:
        reason = base_url_problem(base_url) or "base_url_not_web"
        if base_url_override:
            problems.append(error("", None, "config_bad_base_url_option", value=base_url, reason=Part(reason)))
        else:
            problems.append(error(file, doc.lines.get("base_url"), "config_bad_base_url", value=base_url,
                                  reason=Part(reason)))
        normalized = DEFAULT_BASE_URL

    language = _choice(doc, "language", ("id", "en"), file, problems)
    timezone_name = _text(doc, "timezone", file, problems, "Asia/Jakarta")
    if not _known_zone(timezone_name):
        problems.append(error(file, doc.lines.get("timezone"), "config_bad_timezone", value=timezone_name))
        timezone_name = "Asia/Jakarta"
    dialect = _choice(doc, "markdown", ("default", "gfm"), file, problems)
    output = _text(doc, "output", file, problems, DEFAULT_OUTPUT).strip("/") or DEFAULT_OUTPUT
    if ".." in Path(output).parts or Path(output).is_absolute() or output in (".", ""):
        problems.append(error(file, doc.lines.get("output"), "config_bad_output", value=output))
        output = DEFAULT_OUTPUT

    numbers: dict[str, int] = {}
    for key, default in (("per_page", 10), ("feed_length", 20)):
        value = doc.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1000:
            problems.append(error(file, doc.lines.get(key), "field_not_int", field=key, value=value))
            value = default
        numbers[key] = value

    allow_hosts: tuple[str, ...] = ()
    fetch_timeout = 20.0
    fetch_numbers = {"deadline": 900.0, "workers": 8}
    fetch = doc.data.get("fetch")
    if isinstance(fetch, dict):
        for key in fetch:
            if str(key) not in ("allow_hosts", "timeout", "deadline", "workers"):
                problems.append(unknown_key(file, doc.nested.get(f"fetch.{key}", doc.lines.get("fetch")), str(key),
                                            ["allow_hosts", "timeout", "deadline", "workers"], "fetch."))
        for key, (low, high) in (("deadline", (10, 21600)), ("workers", (1, 64))):
            value = fetch.get(key, fetch_numbers[key])
            if isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high \
                    and (key != "workers" or isinstance(value, int)):
                fetch_numbers[key] = value
            else:
                problems.append(error(file, doc.nested.get(f"fetch.{key}", doc.lines.get("fetch")), "field_not_int",
                                      field=f"fetch.{key}", value=value))
        hosts = fetch.get("allow_hosts") or []
        if isinstance(hosts, list):
            allow_hosts = tuple(str(host).lower() for host in hosts if isinstance(host, (str, int, float)))
            if len(allow_hosts) != len(hosts) or any(len(host) > 253 for host in allow_hosts):
                problems.append(error(file, doc.lines.get("fetch"), "field_not_list", field="fetch.allow_hosts"))
        else:
            problems.append(error(file, doc.lines.get("fetch"), "field_not_list", field="fetch.allow_hosts"))
        fetch_timeout_value = fetch.get("timeout", 20)
        if isinstance(fetch_timeout_value, (int, float)) and not isinstance(fetch_timeout_value, bool) \
                and 1 <= fetch_timeout_value <= 600:
            fetch_timeout = float(fetch_timeout_value)
        else:
            problems.append(error(file, doc.lines.get("fetch"), "field_not_int", field="fetch.timeout",
                                  value=fetch_timeout_value))
    elif fetch is not None:
        problems.append(error(file, doc.lines.get("fetch"), "yaml_not_mapping", kind=type(fetch).__name__))

    search = doc.data.get("search", False)
    if not isinstance(search, bool):
        problems.append(error(file, doc.lines.get("search"), "field_bad_choice", field="search", value=search,
                              choices="true, false"))
        search = False

    share_cards = _choice(doc, "share_cards", ("site", "article"), file, problems)

    config = WorkspaceConfig(
        root=root, base_url=normalized, language=language, timezone=timezone_name,
        theme=checked_theme(_text(doc, "theme", file, problems, "default"), file, doc.lines.get("theme"), problems)
        or "default", output=output, markdown=dialect,
        per_page=numbers["per_page"], feed_length=numbers["feed_length"],
        title=_limited(doc, "title", file, problems, "Situs KIM" if language == "id" else "KIM sites", 200),
        allow_hosts=allow_hosts, fetch_timeout=fetch_timeout, fetch_deadline=float(fetch_numbers["deadline"]),
        fetch_workers=int(fetch_numbers["workers"]), search=search, share_cards=share_cards,
    )
    return with_fingerprint(config), problems


def with_fingerprint(config: WorkspaceConfig) -> WorkspaceConfig:
    parts = repr((config.base_url, config.language, config.timezone, config.theme, config.output,
                  config.markdown, config.per_page, config.feed_length, config.title, config.share_cards))
    return replace(config, fingerprint=hashlib.sha256(parts.encode()).hexdigest()[:16])


def normalize_base_url(value: str) -> str | None:
    """"https://x.github.io/repo" -> "https://x.github.io/repo/"; None when not an http(s) URL
    (kimsite.base.urls.base_url_problem says why)."""
    if base_url_problem(value) is not None:
        return None
    parts = urlsplit(value.strip())
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def read_mapping(raw: bytes, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    """A YAML file's bytes as a mapping with its key lines (None when they are not one), and the
    problems of its encoding and syntax."""
    text, problems = decode_text(raw, file)
    if text is None:
        return None, problems
    doc, yaml_problems = load_mapping(text, file)
    return doc, problems + yaml_problems


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def load_site_config(slug: str, file: str, raw: bytes, timezone_name: str
                     ) -> tuple[SiteConfig | None, list[Problem]]:
    """Read one sites/<slug>.yaml: typed, limited and link-checked (kimsite.schema.site_fields)."""
    if not VALID_SLUG.match(slug):
        return None, [error(file, None, "site_slug_invalid", value=slug)]
    doc, problems = read_mapping(raw, file)
    if doc is None:
        return None, problems
    kind = _text(doc, "kind", file, problems, "kim").lower()
    if kind not in ("kim", "portal"):
        problems.append(error(file, doc.lines.get("kind"), "field_bad_choice", field="kind", value=kind,
                              choices="kim, portal"))
        return None, problems
    if kind == "kim" and slug in PORTAL_RESERVED:
        return None, problems + [error(file, None, "site_slug_reserved", value=slug)]
    values, field_problems = read_site_fields(doc, file, kind, zone(timezone_name))
    problems.extend(field_problems)

    domain = values.get("domain", "").lower().rstrip("/")
    domain = domain.removeprefix("https://").removeprefix("http://")
    if domain and not _DOMAIN.match(domain):
        problems.append(error(file, doc.lines.get("domain"), "field_bad_url", field="domain", value=domain))
        domain = ""
    if kind == "kim" and values.get("feed") and not values.get("url") and not doc.data.get("url"):
        problems.append(error(file, doc.lines.get("feed"), "remote_needs_url"))
    theme = checked_theme(values.get("theme", ""), file, doc.lines.get("theme"), problems)
    if kind == "portal" and values.get("logo"):  # a portal has no folder of its own to take it from
        problems.append(warning(file, doc.lines.get("logo"), "portal_logo_unused"))

    config = SiteConfig(
        slug=slug, file=file, role=kind, name=values.get("name", ""),
        kecamatan=values.get("kecamatan", "") if kind == "kim" else "", desa=values.get("desa", ""),
        kode_wilayah=values.get("kode_wilayah", ""), kim_id=values.get("kim_id", ""),
        description=values.get("description", ""), founded=values.get("founded"), sk=values.get("sk", ""),
        pengurus=values["pengurus"], contact=values["contact"], social=values["social"],
        logo=values.get("logo", ""), logo_line=doc.lines.get("logo"), theme=theme, domain=domain, feed=values.get("feed", ""),
        url=values.get("url", ""), region=values.get("region", ""),
        kecamatan_list=values.get("kecamatan_list", ()), members=values.get("members", ("all",)),
        members_opml=values.get("members_opml", ()),
        fingerprint=hashlib.sha256(raw).hexdigest()[:16],
    )
    if any(p.severity == "error" for p in problems):
        return None, problems
    return config, problems


