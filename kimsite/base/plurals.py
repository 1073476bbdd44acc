"""Plural forms in interface text and messages, by Babel's plural rules.

A template writes the forms of a counted word after the count's name:
"{n} {n|article|articles}" gives "1 article" and "2 articles" in English; Indonesian
nouns do not change ("{n} artikel") and need no forms.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FORMS = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


@lru_cache(maxsize=4)
def _rule(lang: str):
    from babel import Locale

    return Locale.parse("en" if lang == "en" else "id").plural_form


def is_one(count: object, lang: str) -> bool:
    """Whether `count` takes the singular ("one") form in `lang`."""
    try:
        number = abs(int(count))  # counts are whole numbers; text such as "12" is read as one
    except (TypeError, ValueError):
        return False
    return _rule(lang)(number) == "one"


def choose_forms(template: str, lang: str, args: dict) -> str:
    """`template` with each {name|one|other} replaced by the form args[name] takes."""
    if "|" not in template:
        return template
    return _FORMS.sub(lambda m: m.group(2) if is_one(args.get(m.group(1)), lang) else m.group(3), template)
