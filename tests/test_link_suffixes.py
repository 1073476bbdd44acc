"""A link's path ends at the first "?" or "#": a "?" inside the fragment is the fragment's, and a
"#" inside the query is where the fragment begins (RFC 3986, section 3)."""

from __future__ import annotations

import pytest

from kimsite.base.links import localize


@pytest.mark.parametrize("written, target, suffix", [
    ("media/foto.png#x?y", "media/foto.png", "#x?y"),
    ("media/foto.png?a=1#b", "media/foto.png", "?a=1#b"),
    ("media/foto.png?a=1", "media/foto.png", "?a=1"),
    ("media/foto.png#bagian", "media/foto.png", "#bagian"),
    ("rapat.md#agenda?lama", "rapat.md", "#agenda?lama"),
    ("media/foto.png", "media/foto.png", ""),
])
def test_the_path_ends_where_the_query_or_the_fragment_begins(written: str, target: str, suffix: str):
    markup, refs, escaping = localize(f'<a href="{written}">x</a>', "")
    assert not escaping
    assert [ref.target for ref in refs] == [target]
    assert markup.endswith(f'{target}{suffix.replace("&", "&amp;")}">x</a>')
