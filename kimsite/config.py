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
from typing import Any
from urllib.parse import urlsplit

from kimsite.dates import DateError, is_known_zone, parse_datetime, zone
from kimsite.problems import Problem, error, warning
from kimsite.slugs import VALID_SLUG
from kimsite.yamlio import YamlDocument, load_mapping

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
    search: bool = False  # kimsite.yaml `search: true`: index with Pagefind, like `build --search`
    share_cards: str = "article"  # drawn share cards: one per article, or one per KIM ("site")
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
    kind: str  # "kim" or "portal"
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
    theme: str = ""
    domain: str = ""
    feed: str = ""  # remote KIMs: their feed URL
    url: str = ""  # remote KIMs: their site
    region: str = ""  # portals: "Kabupaten Purwakarta"
    kecamatan_list: tuple[str, ...] = ()  # portals: every kecamatan of the region
    members: tuple[str, ...] = ("all",)  # portals: "all", site slugs or feed URLs
    fingerprint: str = ""

    @property
    def is_remote(self) -> bool:
        return bool(self.feed)

    @property
    def is_local_kim(self) -> bool:
        return self.kind == "kim" and not self.feed


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
        return " ".join(value.split())
    return doc.raw.get(key, str(value))


def _choice(doc: YamlDocument, key: str, choices: tuple[str, ...], file: str, problems: list[Problem]) -> str:
    """A setting limited to `choices` (the first is the default); a bad value is an error."""
    value = _text(doc, key, file, problems, choices[0]).lower()
    if value not in choices:
        problems.append(error(file, doc.lines.get(key), "field_bad_choice", field=key, value=value,
                              choices=", ".join(choices)))
        return choices[0]
    return value


def load_workspace_config(root: Path, base_url_override: str | None = None
                          ) -> tuple[WorkspaceConfig | None, list[Problem]]:
    path = root / CONFIG_FILE
    if not path.is_file():
        return None, [error("", None, "workspace_missing", path=str(root))]
    raw = path.read_bytes()
    doc, problems = load_mapping(raw.decode("utf-8-sig", errors="replace"), CONFIG_FILE)
    if doc is None:
        return None, problems
    file = CONFIG_FILE
    for key in doc.data:
        if str(key) not in _WORKSPACE_KEYS:
            problems.append(warning(file, doc.lines.get(str(key)), "field_unknown", field=key, hint=""))

    base_url = base_url_override or _text(doc, "base_url", file, problems, DEFAULT_BASE_URL)
    normalized = normalize_base_url(base_url)
    if normalized is None:
        problems.append(error("" if base_url_override else file,
                              None if base_url_override else doc.lines.get("base_url"),
                              "config_bad_base_url", value=base_url))
        normalized = DEFAULT_BASE_URL

    language = _choice(doc, "language", ("id", "en"), file, problems)
    timezone_name = _text(doc, "timezone", file, problems, "Asia/Jakarta")
    if not is_known_zone(timezone_name):
        problems.append(error(file, doc.lines.get("timezone"), "config_bad_timezone", value=timezone_name))
        timezone_name = "Asia/Jakarta"
    dialect = _choice(doc, "markdown", ("default", "gfm"), file, problems)
    output = _text(doc, "output", file, problems, "_site").strip("/") or "_site"
    if ".." in Path(output).parts or Path(output).is_absolute() or output in (".", ""):
        problems.append(error(file, doc.lines.get("output"), "config_bad_output", value=output))
        output = "_site"

    numbers: dict[str, int] = {}
    for key, default in (("per_page", 10), ("feed_length", 20)):
        value = doc.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1000:
            problems.append(error(file, doc.lines.get(key), "field_not_int", field=key, value=value))
            value = default
        numbers[key] = value

    allow_hosts: tuple[str, ...] = ()
    fetch_timeout = 20.0
    fetch = doc.data.get("fetch")
    if isinstance(fetch, dict):
        hosts = fetch.get("allow_hosts") or []
        if isinstance(hosts, list):
            allow_hosts = tuple(str(host).lower() for host in hosts)
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

    share_cards = _choice(doc, "share_cards", ("article", "site"), file, problems)

    config = WorkspaceConfig(
        root=root, base_url=normalized, language=language, timezone=timezone_name,
        theme=_text(doc, "theme", file, problems, "default") or "default", output=output, markdown=dialect,
        per_page=numbers["per_page"], feed_length=numbers["feed_length"],
        title=_text(doc, "title", file, problems, "Situs KIM" if language == "id" else "KIM sites"),
        allow_hosts=allow_hosts, fetch_timeout=fetch_timeout, search=search, share_cards=share_cards,
    )
    return with_fingerprint(config), problems


def with_fingerprint(config: WorkspaceConfig) -> WorkspaceConfig:
    parts = repr((config.base_url, config.language, config.timezone, config.theme, config.output,
                  config.markdown, config.per_page, config.feed_length, config.title, config.share_cards))
    return replace(config, fingerprint=hashlib.sha256(parts.encode()).hexdigest()[:16])


def normalize_base_url(value: str) -> str | None:
    """"https://x.github.io/repo" -> "https://x.github.io/repo/"; None when not an http(s) URL."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def load_site_config(slug: str, file: str, raw: bytes, timezone_name: str
                     ) -> tuple[SiteConfig | None, list[Problem]]:
    """Read one sites/<slug>.yaml."""
    problems: list[Problem] = []
    if not VALID_SLUG.match(slug):
        return None, [error(file, None, "site_slug_invalid", value=slug)]
    doc, yaml_problems = load_mapping(raw.decode("utf-8-sig", errors="replace"), file)
    if doc is None:
        return None, yaml_problems
    kind = _text(doc, "kind", file, problems, "kim").lower()
    if kind not in ("kim", "portal"):
        problems.append(error(file, doc.lines.get("kind"), "field_bad_choice", field="kind", value=kind,
                              choices="kim, portal"))
        return None, problems
    if kind == "kim" and slug in PORTAL_RESERVED:
        return None, problems + [error(file, None, "site_slug_reserved", value=slug)]
    known = _PORTAL_KEYS if kind == "portal" else _KIM_KEYS
    for key in doc.data:
        if str(key) not in known:
            problems.append(warning(file, doc.lines.get(str(key)), "field_unknown", field=key, hint=""))

    name = _text(doc, "name", file, problems)
    if not name:
        problems.append(error(file, 1, "field_required", field="name"))

    values: dict[str, Any] = {}
    for key in ("desa", "kode_wilayah", "kim_id", "description", "sk", "logo", "theme", "region"):
        values[key] = _text(doc, key, file, problems)
    domain = _text(doc, "domain", file, problems).lower().rstrip("/")
    domain = domain.removeprefix("https://").removeprefix("http://")
    if domain and not _DOMAIN.match(domain):
        problems.append(error(file, doc.lines.get("domain"), "field_bad_url", field="domain", value=domain))
        domain = ""
    for key in ("feed", "url"):
        value = _text(doc, key, file, problems)
        if value and not value.lower().startswith(("http://", "https://")):
            problems.append(error(file, doc.lines.get(key), "field_bad_url", field=key, value=value))
            value = ""
        values[key] = value

    founded = None
    if doc.data.get("founded") is not None:
        try:
            founded = parse_datetime(doc.data["founded"], zone(timezone_name)).date()
        except DateError as exc:
            problems.append(error(file, doc.lines.get("founded"), exc.code, field="founded",
                                  **exc.args_for_message))

    kecamatan = ""
    kecamatan_list: tuple[str, ...] = ()
    members: tuple[str, ...] = ("all",)
    if kind == "portal":
        raw_list = doc.data.get("kecamatan") or []
        if isinstance(raw_list, list):
            kecamatan_list = tuple(" ".join(str(item).split()) for item in raw_list if item is not None)
        else:
            problems.append(error(file, doc.lines.get("kecamatan"), "field_not_list", field="kecamatan"))
        raw_members = doc.data.get("members", "all")
        if raw_members == "all" or raw_members is None:
            members = ("all",)
        elif isinstance(raw_members, list):
            members = tuple(str(item).strip() for item in raw_members if item)
        else:
            problems.append(error(file, doc.lines.get("members"), "field_not_list", field="members"))
    else:
        kecamatan = _text(doc, "kecamatan", file, problems)
        if not kecamatan:
            problems.append(error(file, doc.lines.get("kecamatan", 1), "field_required", field="kecamatan"))
        if values["feed"] and not values["url"]:
            problems.append(error(file, doc.lines.get("feed"), "remote_needs_url"))

    config = SiteConfig(
        slug=slug, file=file, kind=kind, name=name, kecamatan=kecamatan, desa=values["desa"],
        kode_wilayah=values["kode_wilayah"], kim_id=values["kim_id"], description=values["description"],
        founded=founded, sk=values["sk"], pengurus=_pairs_list(doc, "pengurus", file, problems),
        contact=_pairs_mapping(doc, "contact", file, problems),
        social=_pairs_mapping(doc, "social", file, problems), logo=values["logo"], theme=values["theme"],
        domain=domain, feed=values["feed"], url=values["url"], region=values["region"],
        kecamatan_list=kecamatan_list, members=members,
        fingerprint=hashlib.sha256(raw).hexdigest()[:16],
    )
    if any(p.severity == "error" for p in problems):
        return None, problems + yaml_problems
    return config, problems + yaml_problems


def _pairs_list(doc: YamlDocument, key: str, file: str, problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    value = doc.data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(error(file, doc.lines.get(key), "field_not_list", field=key))
        return ()
    result = []
    for item in value:
        if isinstance(item, dict):
            role = " ".join(str(item.get("role") or item.get("jabatan") or "").split())
            name = " ".join(str(item.get("name") or item.get("nama") or "").split())
            if name:
                result.append((role, name))
        elif item is not None:
            result.append(("", " ".join(str(item).split())))
    return tuple(result)


def _pairs_mapping(doc: YamlDocument, key: str, file: str, problems: list[Problem]
                   ) -> tuple[tuple[str, str], ...]:
    value = doc.data.get(key)
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.append(error(file, doc.lines.get(key), "yaml_not_mapping", kind=type(value).__name__))
        return ()
    return tuple((str(k), " ".join(str(v).split())) for k, v in value.items() if v is not None)
