"""The fields of a site file (sites/<slug>.yaml), checked the way article front matter is.

Every text field has a type and a length limit, every link is checked by kimsite.schema.safe_links,
and the nested parts (pengurus, contact, social, a portal's kecamatan and members) are
checked item by item, each problem naming the line it is on.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any, Callable

from kimsite.schema import safe_links
from kimsite.schema.fields import FieldSpec, meant_key, read_fields
from kimsite.schema.frontmatter import strip_control_chars
from kimsite.base.messages import Part
from kimsite.base.problems import Problem, error, warning
from kimsite.base.yamlio import YamlDocument

# Limits (characters) of each text field; docs/input-guarantees.md lists them.
LIMITS = {"name": 200, "kecamatan": 100, "desa": 100, "kode_wilayah": 40, "kim_id": 60, "description": 2000,
          "sk": 300, "region": 200, "logo": 500, "theme": 100, "domain": 253, "feed": 2000, "url": 2000}
PERSON_LIMIT = 120  # a role or a name in pengurus
ITEM_LIMIT = 100  # a kecamatan in a portal's list, a social network's name
CONTACT_LIMITS = {"email": 254, "whatsapp": 40, "phone": 40, "address": 300, "website": 2000}
SOCIAL_LIMIT = 2000
MAX_ITEMS = 200  # pengurus, social links, a portal's kecamatan and members
# A portal's member list file: an .opml file in sites/ (not published; its changes are seen by
# the no-change check and the CI cache key, as the site files' are)
OPML_PATH = re.compile(r"sites/[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.opml")

_CONTACT_CHECKS: dict[str, Callable[[str], str | None]] = {
    "email": safe_links.email_address, "whatsapp": safe_links.whatsapp, "phone": safe_links.phone,
    "website": safe_links.web_url, "address": lambda value: value,
}
_LINK_MESSAGES = {"email": "link_bad_email", "whatsapp": "link_bad_whatsapp", "phone": "link_bad_phone",
                  "website": "link_bad_web", "social": "link_bad_social", "logo": "link_bad_logo",
                  "url": "link_bad_web", "feed": "link_bad_web", "members": "link_bad_web"}


def _specs(names: tuple[str, ...], required: tuple[str, ...]) -> tuple[FieldSpec, ...]:
    specs = [FieldSpec(name, "text", required=name in required, max_length=LIMITS[name]) for name in names]
    specs.append(FieldSpec("founded", "datetime"))
    return tuple(specs)


KIM_SPECS = _specs(("name", "kecamatan", "desa", "kode_wilayah", "kim_id", "description", "sk", "logo", "theme",
                    "domain", "feed", "url"), required=("name", "kecamatan")) + (
    FieldSpec("pengurus", "any"), FieldSpec("contact", "any"), FieldSpec("social", "any"))
PORTAL_SPECS = _specs(("name", "region", "description", "logo", "theme", "domain"), required=("name",)) + (
    FieldSpec("kecamatan", "any"), FieldSpec("members", "any"), FieldSpec("contact", "any"),
    FieldSpec("social", "any"))


def read_site_fields(doc: YamlDocument, file: str, kind: str, tz: tzinfo) -> tuple[dict[str, Any], list[Problem]]:
    """Clean values of a site file's fields, by name, and the problems found."""
    specs = PORTAL_SPECS if kind == "portal" else KIM_SPECS
    values, problems = read_fields(doc, specs, file, tz, default_line=1, known_extra=frozenset({"kind"}))
    reader = _Reader(doc, file, problems)
    for key in ("url", "feed", "logo"):
        if values.get(key):
            check = safe_links.local_or_web if key == "logo" else safe_links.web_url
            values[key] = reader.link(key, values[key], check, _LINK_MESSAGES[key])
    if values.get("founded") is not None:
        values["founded"] = values["founded"].date()
    # read_fields leaves the nested values as they are, control characters removed
    values["pengurus"] = reader.pengurus(values.get("pengurus"))
    values["contact"] = reader.contact(values.get("contact"))
    values["social"] = reader.social(values.get("social"))
    if kind == "portal":
        values["kecamatan_list"] = reader.text_list("kecamatan", values.pop("kecamatan", None))
        values["members"], values["members_opml"] = reader.members(values.get("members", "all"))
    return values, problems


def unknown_key(file: str, line: int | None, key: str, known: list[str], parent: str = "") -> Problem:
    """The warning for a key nobody reads (inside `parent`, e.g. "contact."), suggesting the
    known key it looks like."""
    suggestion = meant_key(key.lower(), known)
    hint: Part | str = Part("hint_did_you_mean", (("suggestion", parent + suggestion),)) if suggestion else ""
    return warning(file, line, "field_unknown", field=parent + key, hint=hint)




class _Reader:
    """Checks the nested values of one site file, adding problems with their lines."""

    def __init__(self, doc: YamlDocument, file: str, problems: list[Problem]):
        self.doc, self.file, self.problems = doc, file, problems

    def line(self, key: str, sub: object = None) -> int | None:
        top = self.doc.lines.get(key)
        return top if sub is None else self.doc.nested.get(f"{key}.{sub}", top)

    def raw(self, key: str, sub: object) -> str | None:
        return self.doc.nested_raw.get(f"{key}.{sub}")

    def text(self, field: str, value: Any, limit: int, line: int | None, raw: str | None = None) -> str | None:
        """A scalar as text (white space collapsed, control characters removed), or None.
        `raw` is the text written when YAML read it as something else (0264123456, yes, 1:30)."""
        if value is None:
            return ""
        if not isinstance(value, str) and raw is not None and not isinstance(value, (dict, list)):
            value = raw
        if isinstance(value, (dict, list, bool)):
            kind = "mapping" if isinstance(value, dict) else "daftar/list" if isinstance(value, list) else "bool"
            self.problems.append(error(self.file, line, "field_not_text", field=field, kind=kind))
            return None
        text = " ".join(strip_control_chars(str(value)).split())
        if len(text) > limit:
            self.problems.append(error(self.file, line, "field_too_long", field=field, length=len(text), limit=limit))
            return None
        return text

    def link(self, field: str, value: str, check: Callable[[str], str | None], code: str,
             line: int | None = None) -> str:
        safe = check(value)
        if safe is None:
            self.problems.append(error(self.file, line if line is not None else self.line(field), code,
                                       field=field, value=value))
            return ""
        return safe

    def mapping(self, key: str, value: Any) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.append(error(self.file, self.line(key), "field_not_mapping", field=key))
            return {}
        return value

    def items(self, key: str, value: Any) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append(error(self.file, self.line(key), "field_not_list", field=key))
            return []
        if len(value) > MAX_ITEMS:
            self.problems.append(error(self.file, self.line(key), "field_too_many_items", field=key,
                                       count=len(value), limit=MAX_ITEMS))
            return []
        return value

    def pengurus(self, value: Any) -> tuple[tuple[str, str], ...]:
        people = []
        for index, item in enumerate(self.items("pengurus", value)):
            line = self.line("pengurus", index)
            if isinstance(item, dict):
                for key in item:
                    if str(key) not in ("role", "jabatan", "name", "nama"):
                        self.problems.append(unknown_key(self.file, line, str(key),
                                                         ["role", "jabatan", "name", "nama"], "pengurus."))
                role = self.text("pengurus.role", item.get("role", item.get("jabatan")), PERSON_LIMIT, line)
                name = self.text("pengurus.name", item.get("name", item.get("nama")), PERSON_LIMIT, line)
            else:
                role, name = "", self.text("pengurus", item, PERSON_LIMIT, line, self.raw("pengurus", index))
            if role is not None and name:
                people.append((role, name))
        return tuple(people)

    def contact(self, value: Any) -> tuple[tuple[str, str], ...]:
        pairs = []
        for key, item in self.mapping("contact", value).items():
            kind, line = str(key), self.line("contact", key)
            check = _CONTACT_CHECKS.get(kind)
            if check is None:
                self.problems.append(unknown_key(self.file, line, kind, list(_CONTACT_CHECKS), "contact."))
                continue
            text = self.text(f"contact.{kind}", item, CONTACT_LIMITS[kind], line, self.raw("contact", key))
            if text:
                safe = self.link(f"contact.{kind}", text, check, _LINK_MESSAGES.get(kind, ""), line)
                if safe:
                    pairs.append((kind, safe))
        return tuple(pairs)

    def social(self, value: Any) -> tuple[tuple[str, str], ...]:
        pairs = []
        links = self.mapping("social", value)
        if len(links) > MAX_ITEMS:
            self.problems.append(error(self.file, self.line("social"), "field_too_many_items", field="social",
                                       count=len(links), limit=MAX_ITEMS))
            return ()
        for key, item in links.items():
            line = self.line("social", key)
            network = self.text("social", key, ITEM_LIMIT, line)
            text = self.text(f"social.{key}", item, SOCIAL_LIMIT, line, self.raw("social", key))
            if network and text:
                safe = self.link(f"social.{network}", text, safe_links.social_link, "link_bad_social", line)
                if safe:
                    pairs.append((network, safe))
        return tuple(pairs)

    def text_list(self, key: str, value: Any) -> tuple[str, ...]:
        found = []
        for index, item in enumerate(self.items(key, value)):
            text = self.text(key, item, ITEM_LIMIT, self.line(key, index), self.raw(key, index))
            if text:
                found.append(text)
        return tuple(found)

    def members(self, value: Any) -> tuple[tuple[str, ...], tuple[tuple[str, int | None], ...]]:
        """(slugs, `all` and feed URLs; member lists as (OPML file, line))."""
        if value is None or value == "all":
            return ("all",), ()
        found = []
        lists: list[tuple[str, int | None]] = []
        for index, item in enumerate(self.items("members", value)):
            line = self.line("members", index)
            if isinstance(item, dict) and list(item) == ["opml"]:
                path = self.text("members.opml", item["opml"], LIMITS["feed"], line)
                if path is not None and not OPML_PATH.fullmatch(path):
                    self.problems.append(error(self.file, line, "opml_path_bad", value=path))
                elif path:
                    lists.append((path, line))
                continue
            text = self.text("members", item, LIMITS["feed"], line)
            if text and "://" in text:
                text = self.link("members", text, safe_links.web_url, "link_bad_web", line)
            if text:
                found.append(text)
        return tuple(found), tuple(lists)
