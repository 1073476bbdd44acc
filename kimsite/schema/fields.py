"""Front-matter fields: names, Indonesian aliases, kinds and validation.

Each field is declared once (FieldSpec); `read_fields` turns a YAML document
into clean Python values plus problems naming the line of each bad key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Callable, Literal

from kimsite.base.dates import DateError, as_datetime, parse_datetime
from kimsite.schema.frontmatter import strip_control_chars
from kimsite.base.messages import Part
from kimsite.base.problems import Problem, error, warning
from kimsite.base.yamlio import YamlDocument

ValueType = Literal["text", "longtext", "datetime", "bool", "int", "list", "choice", "url", "amount", "any"]

MAX_TITLE = 300
MAX_TEXT = 2000
MAX_LIST_ITEMS = 30  # each tag becomes a page: 10,000 tags would mean 10,000 pages


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    value_type: ValueType
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = MAX_TEXT
    normalize: Callable[[Any], Any] | None = None  # applied to a valid value


def _upper(value: str) -> str:
    return value.strip().upper()


# Fields every article may have.
ARTICLE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "text", ("judul",), required=True, max_length=MAX_TITLE),
    FieldSpec("date", "datetime", ("tanggal",), required=True),
    FieldSpec("updated", "datetime", ("diperbarui",)),
    FieldSpec("summary", "longtext", ("ringkasan",)),
    FieldSpec("category", "text", ("kategori",), max_length=80),
    FieldSpec("tags", "list", ("tag", "label_tag")),
    FieldSpec("author", "text", ("penulis",), max_length=120),
    FieldSpec("image", "text", ("gambar",)),
    FieldSpec("image_alt", "text", ("gambar_alt", "keterangan_gambar")),
    FieldSpec("image_caption", "text", ("gambar_caption", "teks_gambar"), max_length=400),
    FieldSpec("image_credit", "text", ("gambar_kredit", "kredit_foto", "sumber_foto"), max_length=160),
    FieldSpec("slug", "text"),
    FieldSpec("draft", "bool", ("konsep",)),
    FieldSpec("type", "choice", ("jenis",), choices=("berita", "klarifikasi", "agenda", "produk")),
    FieldSpec("aliases", "any", ("alamat_lama",)),  # old addresses (see kimsite.schema.aliases)
)

HOAX_LABELS = ("HOAKS", "SALAH", "DISINFORMASI", "MISINFORMASI", "MENYESATKAN", "BENAR")

# Fields that only some article types have.
TYPE_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "berita": (),
    "klarifikasi": (
        FieldSpec("klaim", "longtext", ("claim",), required=True),
        FieldSpec("sumber_klaim", "text", ("claim_source",)),
        FieldSpec("tanggal_klaim", "datetime", ("claim_date",)),
        FieldSpec("label", "choice", ("verdict", "status"), required=True, choices=HOAX_LABELS,
                  normalize=_upper),
        FieldSpec("rujukan", "any", ("references",)),
    ),
    "agenda": (
        FieldSpec("mulai", "datetime", ("start",), required=True),
        FieldSpec("selesai", "datetime", ("end",)),
        FieldSpec("tempat", "text", ("place", "lokasi"), required=True),
        FieldSpec("penyelenggara", "text", ("organizer",)),
    ),
    "produk": (
        FieldSpec("harga", "amount", ("price",)),
        FieldSpec("produsen", "text", ("producer",), required=True),
        FieldSpec("desa", "text", ("village",)),
        FieldSpec("whatsapp", "text", ("wa",)),
        FieldSpec("foto", "list", ("photos",)),
    ),
}

PAGE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "text", ("judul",), required=True, max_length=MAX_TITLE),
    FieldSpec("date", "datetime", ("tanggal",)),
    FieldSpec("updated", "datetime", ("diperbarui",)),
    FieldSpec("summary", "longtext", ("ringkasan",)),
    FieldSpec("slug", "text"),
    FieldSpec("draft", "bool", ("konsep",)),
    FieldSpec("menu_order", "int", ("urutan",)),
    FieldSpec("menu", "bool"),
    FieldSpec("aliases", "any", ("alamat_lama",)),
)

_TRUE = {"true", "yes", "ya", "on", "1"}
_FALSE = {"false", "no", "tidak", "off", "0"}


def _kind_name(value: object) -> str:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "daftar/list"
    return type(value).__name__


# Forms the browser editor (kimsite.cms) writes because it cannot make one field depend on
# another: `image: {src, alt, caption, credit}` (an optional photo whose description is
# required once it is added) and `kategori_baru:` (a category not yet in the list, which replaces the choice).
NEW_CATEGORY_KEYS = ("kategori_baru", "new_category")
_PICTURE_KEYS = {"src": "image", "alt": "image_alt", "caption": "image_caption", "credit": "image_credit"}


def unfold_editor_forms(doc: YamlDocument, file: str) -> list[Problem]:
    """Rewrite the editor's forms in `doc` as the plain keys they stand for."""
    problems: list[Problem] = []
    data, lines = dict(doc.data), dict(doc.lines)
    for key in ("image", "gambar"):
        picture = data.get(key)
        if not isinstance(picture, dict):
            continue
        line = lines.get(key)
        unknown = [str(name) for name in picture if name not in _PICTURE_KEYS]
        if unknown:
            problems.append(error(file, line, "image_mapping_keys", field=key, keys=", ".join(unknown)))
            data.pop(key)
            continue
        data[key] = picture.get("src")
        for part in ("alt", "caption", "credit"):
            if part not in picture:
                continue
            plain = _PICTURE_KEYS[part]
            spec = next(spec for spec in ARTICLE_FIELDS if spec.name == plain)
            written = next((name for name in (spec.name, *spec.aliases) if name in data), None)
            if written:
                problems.append(error(file, line, "field_alias_twice", field=f"{key}.{part}", alias=written))
                continue
            data[plain], lines[plain] = picture[part], line
    for key in NEW_CATEGORY_KEYS:
        if key not in data:
            continue
        value = data.pop(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        for old in ("category", "kategori"):
            data.pop(old, None)
        data["category"], lines["category"] = value, lines.get(key)
    doc.data, doc.lines = data, lines
    return problems


def read_fields(doc: YamlDocument, specs: tuple[FieldSpec, ...], file: str, tz: tzinfo,
                default_line: int, known_extra: frozenset[str] = frozenset()
                ) -> tuple[dict[str, Any], list[Problem]]:
    """Validate `doc` against `specs`: canonical names -> clean values, and problems.

    Keys in `known_extra` are accepted silently (they belong to another spec set);
    any other unknown key warns, with a suggestion when it looks like a typo.
    """
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    by_name = {spec.name: spec for spec in specs}
    by_key = {key: spec for spec in specs for key in (spec.name, *spec.aliases)}
    seen_as: dict[str, str] = {}

    for key, value in doc.data.items():
        key_text = str(key)
        line = doc.lines.get(key_text, default_line)
        spec = by_key.get(key_text)
        if spec is None:
            if key_text not in known_extra:
                problems.append(warning(file, line, "field_unknown", field=key_text, hint=_suggest(key_text, by_key)))
            continue
        if spec.name in seen_as:
            problems.append(error(file, line, "field_alias_twice", field=seen_as[spec.name], alias=key_text))
            continue
        seen_as[spec.name] = key_text
        value, changed = _without_controls(value)
        raw = doc.raw.get(key_text)
        if changed:
            problems.append(warning(file, line, "field_control_chars", field=key_text))
            raw = strip_control_chars(raw) if raw is not None else None
        clean, problem = _convert(spec, value, raw, file, line, tz, key_text)
        if problem:
            problems.append(problem)
        elif clean is not None:
            values[spec.name] = spec.normalize(clean) if spec.normalize else clean
            if spec.value_type == "list" and isinstance(value, str):
                problems.append(warning(file, line, "field_tags_string", field=key_text, value=value))
            if spec.value_type == "list" and len(values[spec.name]) > MAX_LIST_ITEMS:
                problems.append(warning(file, line, "field_too_many", field=key_text,
                                        count=len(values[spec.name]), limit=MAX_LIST_ITEMS))
                values[spec.name] = values[spec.name][:MAX_LIST_ITEMS]

    for spec in by_name.values():
        if spec.required and spec.name not in values and spec.name not in seen_as:
            # `kecamatn: Maniis` was written for it: name that line, the fix is there
            typo = next((str(key) for key in doc.data if str(key) not in by_key and str(key) not in known_extra
                         and by_key.get(meant_key(str(key).lower(), list(by_key)) or "") is spec), None)
            if typo is not None:
                problems.append(error(file, doc.lines.get(typo, default_line), "field_required_typo",
                                      field=spec.name, written=typo))
            else:
                problems.append(error(file, default_line, "field_required", field=spec.name))
    return values, problems


def _without_controls(value: Any) -> tuple[Any, bool]:
    """A YAML value with control characters (written as escapes such as "\\x01") removed."""
    if isinstance(value, str):
        clean = strip_control_chars(value)
        return clean, clean != value
    if isinstance(value, list):
        items = [_without_controls(item) for item in value]
        return [item for item, _ in items], any(changed for _, changed in items)
    if isinstance(value, dict):
        pairs = {key: _without_controls(item) for key, item in value.items()}
        return {key: item for key, (item, _) in pairs.items()}, any(changed for _, changed in pairs.values())
    return value, False


def _suggest(key: str, known: dict[str, FieldSpec]) -> Part | str:
    suggestion = meant_key(key.lower(), list(known))
    return Part("hint_did_you_mean", (("suggestion", suggestion),)) if suggestion else ""


# Indonesian words volunteers write for English keys (site files; articles have aliases).
_SYNONYMS = {"kontak": "contact", "deskripsi": "description", "keterangan": "description", "sosial": "social",
             "medsos": "social", "media_sosial": "social", "nama": "name", "tema": "theme", "domain_sendiri": "domain",
             "berdiri": "founded", "didirikan": "founded", "anggota": "members", "wilayah": "region",
             "telepon": "whatsapp", "wa": "whatsapp", "surel": "email", "alamat": "address"}


def meant_key(key: str, known: list[str]) -> str | None:
    """The known key `key` most likely means: its English name, a key it begins (desc ->
    description), or one a letter or two away (kecamatn -> kecamatan)."""
    synonym = _SYNONYMS.get(key)
    if synonym in known:
        return synonym
    if len(key) >= 4:
        longer = sorted(name for name in known if name.startswith(key) and name != key)
        if len(longer) == 1:
            return longer[0]
    import difflib  # (only for a key kimsite does not know)

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return close[0] if close else None


def _convert(spec: FieldSpec, value: Any, raw: str | None, file: str, line: int, tz: tzinfo,
             key: str) -> tuple[Any, Problem | None]:
    """One value converted to its field's value type: (value, None) or (None, problem)."""
    if value is None or (isinstance(value, str) and not value.strip() and spec.value_type not in ("any", "amount")):
        if spec.required:
            return None, error(file, line, "field_empty", field=key)
        return None, None
    value_type = spec.value_type
    if value_type in ("text", "longtext", "url", "choice"):
        text = _as_text(value, raw)
        if text is None:
            return None, error(file, line, "field_not_text", field=key, kind=_kind_name(value))
        text = " ".join(text.split()) if value_type != "longtext" else text.strip()
        if len(text) > spec.max_length:
            return None, error(file, line, "field_too_long", field=key, length=len(text), limit=spec.max_length)
        if value_type == "choice":
            check = spec.normalize(text) if spec.normalize else text.lower()
            if check not in spec.choices:
                return None, error(file, line, "field_bad_choice", field=key, value=text,
                                   choices=", ".join(spec.choices))
            return check, None
        if value_type == "url" and not text.lower().startswith(("http://", "https://")):
            return None, error(file, line, "field_bad_url", field=key, value=text)
        return text, None
    if value_type == "datetime":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return None, error(file, line, "date_invalid", field=key, value=raw or value)
        try:
            moment = parse_datetime(value, tz)
            # only publication dates are shown without a time; an event's start keeps "00.00"
            return (moment if spec.name in ("date", "updated") else as_datetime(moment)), None
        except DateError as exc:
            return None, error(file, line, exc.code, field=key, **exc.args_for_message)
    if value_type == "bool":
        if isinstance(value, bool):
            return value, None
        word = str(raw if raw is not None else value).strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE, None
        return None, error(file, line, "field_not_bool", field=key, value=word)
    if value_type == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return None, error(file, line, "field_not_int", field=key, value=raw if raw is not None else value)
    if value_type == "list":
        if isinstance(value, str):
            items = [part.strip() for part in value.split(",")]
        elif isinstance(value, list):
            items = []
            for item in value:
                text = _as_text(item, None)
                if text is None:
                    return None, error(file, line, "field_not_text", field=key, kind=_kind_name(item))
                items.append(" ".join(text.split()))
        else:
            return None, error(file, line, "field_not_list", field=key)
        cleaned = tuple(dict.fromkeys(item for item in items if item))
        for item in cleaned:
            if len(item) > 120:
                return None, error(file, line, "field_too_long", field=key, length=len(item), limit=120)
        return cleaned, None
    if value_type == "amount" and isinstance(value, (int, float)) and not isinstance(value, bool) and raw is not None:
        # As written: YAML reads `harga: 1.001` as the number 1.001 and `075000` as octal.
        return raw.strip(), None
    return value, None  # "any" and "amount": validated by the type that owns it


def _as_text(value: Any, raw: str | None) -> str | None:
    """Text for a scalar; YAML's `no`, `2021` or `1.5` keep the characters the author typed."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return raw if raw is not None else str(value)
    return None
