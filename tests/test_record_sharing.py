"""What a KIM's record in the cache stores once (kimsite.model.model.shared_lines and
kimsite.parse.article._shared): the front-matter line table its articles have in common, and
the category, tag and author names they repeat. The record is then smaller and quicker to
read, and reads back equal; a Term is rebuilt by its class; the unpickler's list of allowed
names still refuses what it refused."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kimsite.model import model
from kimsite.model.model import SourceFile, Term, shared_lines
from kimsite.parse.article import ParseSettings, parse_source
from kimsite.workspace.cache import BuildCache, CacheCorrupt

SETTINGS = ParseSettings("Asia/Jakarta", "default", "id")


def _article(number: int, front: str | None = None) -> model.Document:
    rel = f"2026-01-{number:02d}-kabar-{number}.md"
    text = front or (f"---\ntitle: Kabar {number}\ndate: 2026-01-{number:02d}\ncategory: Kesehatan\n"
                     f"tags: [posyandu, 'imunisasi anak']\nauthor: Siti Aminah\n---\n\nIsi kabar {number}.\n")
    parsed = parse_source(SourceFile("kim-a", f"content/kim-a/{rel}", rel, "article"), text.encode("utf-8"), SETTINGS)
    assert parsed.document is not None, parsed.problems
    return parsed.document


def test_articles_with_the_same_front_matter_share_its_line_table():
    first, second = _article(1), _article(2)
    assert first.lines == second.lines and first.lines is second.lines
    assert first.line("title") == 2 and first.line("author") == 6 and first.line("slug") is None
    other = _article(3, "---\ndate: 2026-01-03\ntitle: Lain\n---\n\nIsi.\n")
    assert other.line("date") == 2 and other.line("title") == 3 and other.lines is not first.lines


def test_repeated_names_are_one_string():
    first, second = _article(4), _article(5)
    assert first.category == "Kesehatan" and first.category is second.category
    assert first.author is second.author and first.tags == ("posyandu", "imunisasi anak")
    assert all(mine is theirs for mine, theirs in zip(first.tags, second.tags))


def test_a_record_of_shared_parts_is_smaller_and_reads_back_equal(tmp_path: Path):
    documents = [_article(number) for number in range(1, 29)]
    cache, _ = BuildCache.open(tmp_path / "state")
    cache.set_state("kept-kim:kim-a", documents)
    cache.commit()
    read = cache.get_state("kept-kim:kim-a")
    assert read == documents
    assert len({id(doc.lines) for doc in read}) == 1  # still one table after reading
    unshared = [_unshared_copy(doc) for doc in documents]  # as the records were before
    assert unshared == documents and unshared[0].lines is not unshared[1].lines
    shared_size, unshared_size = len(pickle.dumps(documents, 5)), len(pickle.dumps(unshared, 5))
    assert shared_size < unshared_size * 0.85, (shared_size, unshared_size)


def _unshared_copy(doc: model.Document) -> model.Document:
    """`doc` with a line table and names that are objects of its own (as before the sharing)."""
    values = []
    for name in model._DOCUMENT_FIELDS:
        value = getattr(doc, name)
        if name == "lines":
            value = tuple((key[:1] + key[1:], line) for key, line in value)
        elif name == "tags":
            value = tuple(tag[:1] + tag[1:] for tag in value)
        elif name in ("category", "author") and value:
            value = value[:1] + value[1:]
        values.append(value)
    return model._document_from_state(tuple(values))


def test_the_table_of_shared_line_tables_is_bounded(monkeypatch):
    monkeypatch.setattr(model, "_SHARED_LINES_MAX", 8)
    monkeypatch.setattr(model, "_shared_lines", {})
    for number in range(50):
        table = (("title", number + 1),)
        assert shared_lines(table) == table
        assert len(model._shared_lines) <= 8
    again = (("title", 50),)
    assert shared_lines(again) is shared_lines((("title", 50),))


def test_a_term_is_rebuilt_by_its_class_and_reads_back_equal(tmp_path: Path):
    articles = (_article(6), _article(7))
    term = Term("Kesehatan", "kesehatan", articles)
    assert Term.__reduce__(term)[0] is Term  # not the dataclass's __setstate__ per object
    cache, _ = BuildCache.open(tmp_path / "state")
    cache.set_state("terms", (term, Term("Pendidikan", "pendidikan", ())))
    cache.commit()
    read = cache.get_state("terms")
    assert read == (term, Term("Pendidikan", "pendidikan", ()))
    assert read[0].articles[0].lines is read[0].articles[1].lines


class _Refused:
    """Not a kimsite record: the cache must refuse it every time it is met."""


@pytest.mark.parametrize("attempt", range(3))
def test_the_unpickler_still_refuses_what_it_refused(tmp_path: Path, attempt: int):
    cache, _ = BuildCache.open(tmp_path / "state")
    cache.set_state("allowed", Term("A", "a", ()))
    cache.set_state("refused", _Refused())
    cache.commit()
    for _ in range(2):
        assert cache.get_state("allowed") == Term("A", "a", ())
        with pytest.raises(CacheCorrupt):
            cache.get_state("refused")
