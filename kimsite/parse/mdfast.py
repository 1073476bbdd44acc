"""Faster drop-ins for parts of Python-Markdown (the same output, byte for byte).

Python-Markdown's `InlineProcessor` tries every inline pattern's regex on every text node
(and again on every tail it creates). Most patterns need a character that ordinary prose
never contains ("`", "<", "&", ...), so most of those searches are wasted, and each costs
a few Python-level calls. `TriggeredInlineProcessor` first checks, for each pattern, that
one of the strings any match of its regex must contain occurs in the node's current data
(from the index the search would start at); when none does, the regex cannot match, and
skipping it is exactly what the stock processor does after a failed search (same data,
next pattern, start index 0, no `handleMatch` call, so no state such as em_strong's cache
or the link scan budget is touched). Everything else is the stock code.

The current data may hold placeholders ("\\x02klzzwxh:0000\\x03") left by earlier patterns;
they are part of the string that is checked, just as they are part of the string the regex
searches, so a pattern that could match around them is never skipped.

The block parser likewise asks every block processor whether it applies to each block;
`guard_block_processors` puts the same kind of test in front of the processors whose
test is a regex search (or that search in `run` and give the block back when nothing
matches).

The whole mechanism is tested against the stock engine in tests/test_markup_engines.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import preprocessors, treeprocessors, util
from markdown.extensions.toc import TocTreeprocessor

# Pattern name -> (its regex source, strings of which every match must contain one).
# The trigger is only trusted while the regex is the one it was derived from: a different
# regex (another Python-Markdown version, another extension) is always tried.
_TRIGGERS: dict[str, tuple[str, tuple[str, ...]]] = {
    # a backtick, or a run of escaped backslashes followed by one (lookahead: still in the data)
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "footnote": (r"\[\^([^\]]*)\]", ("[^",)),
    "reference": (r"(?<!\!)\[", ("[",)),
    "link": (r"(?<!\!)\[", ("[",)),
    "short_reference": (r"(?<!\!)\[", ("[",)),
    "image_link": (r"\!\[", ("![",)),
    "image_reference": (r"\!\[", ("![",)),
    "short_image_ref": (r"\!\[", ("![",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    "linebreak": (r"  \n", ("  \n",)),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    # raw HTML: every alternative sits between a literal "<" and ">"
    "html": (r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""", ("<",)),
    "em_strong": (r"\*|_", ("*", "_")),
}


# The source test of kimsite.parse.markup (an engine without the patterns whose triggers the
# source lacks) uses the same table, but for patterns whose trigger can appear only after
# preprocessing ("  \n" from "  \r\n") or that the engines keep for other reasons.
SOURCE_TRIGGERS = {name: marks for name, (_regex, marks) in _TRIGGERS.items()
                   if name not in ("linebreak", "em_strong", "footnote")}


def pattern_triggers(name: str, pattern: object) -> tuple[str, ...] | None:
    """Strings one of which every match of `pattern` contains, or None when unknown."""
    compiled = pattern.getCompiledRegExp()  # type: ignore[attr-defined]
    source = compiled.pattern
    if not isinstance(source, str) or compiled.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    known = _TRIGGERS.get(name)
    if known is None or known[0] != source:
        return None
    return known[1]


class TriggeredInlineProcessor(treeprocessors.InlineProcessor):
    """`InlineProcessor` that skips patterns whose regex cannot match the current data."""

    def run(self, tree, ancestors=None):  # type: ignore[no-untyped-def]
        # A snapshot of the (sorted) registry: the stock code indexes the registry on every
        # step; patterns are not added or removed while a document is converted.
        self._patterns = list(self.inlinePatterns)  # iterating sorts the registry by priority
        names = [item.name for item in self.inlinePatterns._priority]
        self._triggers = [pattern_triggers(name, p) for name, p in zip(names, self._patterns)]
        return super().run(tree, ancestors)

    # Overrides the stock private method (name-mangled), which `run` and `__applyPattern`
    # call; the loop is the stock one plus the trigger test.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        patterns, triggers = self._patterns, self._triggers
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        count = len(patterns)
        startIndex = 0  # noqa: N806 (the stock code's names)
        while patternIndex < count:
            marks = triggers[patternIndex]
            if marks is not None:
                for mark in marks:
                    if data.find(mark, startIndex) >= 0:
                        break
                else:  # no match possible: what a failed search returns
                    patternIndex += 1
                    startIndex = 0  # noqa: N806
                    continue
            data, matched, startIndex = apply(patterns[patternIndex], data, patternIndex, startIndex)  # noqa: N806
            if not matched:
                patternIndex += 1
        return data


def use_triggered_inline(md) -> None:  # type: ignore[no-untyped-def]
    """Replace `md`'s inline treeprocessor by the triggered one (same name and priority)."""
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(TriggeredInlineProcessor(md), "inline", priority)


# Block processor name -> (class name, regex source, strings one of which the block must
# contain for the processor to do anything). Checked like the inline triggers above.
_BLOCK_TRIGGERS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "hashheader": ("markdown.blockprocessors.HashHeaderProcessor",
                   r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", ("#",)),
    # an underline of "=" or "-" directly after the first line's newline
    "setextheader": ("markdown.blockprocessors.SetextHeaderProcessor", r"^.*?\n(?:=+|-+)[ ]*(\n|$)", ("\n=", "\n-")),
    "hr": ("markdown.blockprocessors.HRProcessor", r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
           r"(?P=atomicgroup)[ ]*$", ("-", "_", "*")),
    "quote": ("markdown.blockprocessors.BlockQuoteProcessor", r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    # these two test True and search in `run`, which gives the block back (returning
    # False) when their regex finds nothing
    "footnote": ("markdown.extensions.footnotes.FootnoteBlockProcessor", r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", ("[^",)),
    "reference": ("markdown.blockprocessors.ReferenceProcessor", r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
                  r"""((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""", ("[",)),
    # a table's first row has a pipe (two cells, or a border)
    "table": ("markdown.extensions.tables.TableProcessor", None, ("|",)),
}


def _block_regex(processor: object) -> str | None:
    compiled = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return compiled.pattern if isinstance(compiled, re.Pattern) else None


def _guarded_test(test, marks: tuple[str, ...]):  # type: ignore[no-untyped-def]
    if len(marks) == 1:
        mark = marks[0]

        def guarded(parent, block: str) -> bool:  # type: ignore[no-untyped-def]
            return mark in block and test(parent, block)
    else:
        def guarded(parent, block: str) -> bool:  # type: ignore[no-untyped-def]
            for mark in marks:
                if mark in block:
                    return test(parent, block)
            return False
    return guarded


def guard_block_processors(md) -> None:  # type: ignore[no-untyped-def]
    """Skip block processors that cannot apply to a block (their test or run would find nothing)."""
    for name, (class_name, source, marks) in _BLOCK_TRIGGERS.items():
        if name not in md.parser.blockprocessors:
            continue
        processor = md.parser.blockprocessors[name]
        kind = type(processor)
        if f"{kind.__module__}.{kind.__qualname__}" != class_name or _block_regex(processor) != source:
            continue  # not the processor the trigger was derived from
        processor.test = _guarded_test(processor.test, marks)


# --- preprocessors and the remaining treeprocessors ------------------------------------------

# The stock pattern, r"(?<=\n) +\n", starts with a lookbehind, so the regex engine tries it at
# every position of the text; this one starts with a literal and replaces the same runs: each
# line of spaces only, after a newline, loses its spaces (the newline that ends one such line
# is not consumed, so it still starts the next).
_BLANK_LINE_SPACES = re.compile(r"\n +(?=\n)")


class FastNormalizeWhitespace(preprocessors.NormalizeWhitespace):
    """The stock `run`, with the faster equivalent regex."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(self.md.tab_length)
        source = _BLANK_LINE_SPACES.sub("\n", source)
        return source.split("\n")


class FastHtmlBlockPreprocessor(preprocessors.HtmlBlockPreprocessor):
    """Without "<" or "&" the HTML parser only hands the whole text to `handle_data`, which
    keeps it as it is (nothing is stashed), so the parse is skipped."""

    def run(self, lines: list[str]) -> list[str]:
        for line in lines:
            if "<" in line or "&" in line:
                return super().run(lines)
        return list(lines)


class FastTocTreeprocessor(TocTreeprocessor):
    """The stock processor (heading ids, the "[TOC]" marker), except that the table of contents
    is only built when the document shows it: nothing else in kimsite reads it (`md.toc` is then
    an empty "toc" div). `replace_marker` joins the text of every subtree looking for a
    paragraph whose text is the marker; when no element's text contains the marker there is none."""

    _shown = True

    def run(self, doc) -> None:  # type: ignore[no-untyped-def]
        marker = self.marker
        self._shown = bool(marker) and any(marker in text for text in _texts(doc))
        try:
            super().run(doc)
        finally:
            self._shown = True

    def build_toc_div(self, toc_list: list):  # type: ignore[no-untyped-def]
        if self._shown:
            return super().build_toc_div(toc_list)
        return etree.Element("div", {"class": "toc"})

    def replace_marker(self, root, elem) -> None:  # type: ignore[no-untyped-def]
        if self._shown:
            super().replace_marker(root, elem)


def _texts(root):  # type: ignore[no-untyped-def]
    for element in root.iter():
        if element.text:
            yield element.text


def _replace(registry, name: str, stock: type, make) -> None:  # type: ignore[no-untyped-def]
    """Register make() under `name` (same priority) if the registered one is exactly `stock`."""
    if name in registry and type(registry[name]) is stock:
        priority = next(item.priority for item in registry._priority if item.name == name)
        registry.register(make(), name, priority)


def speed_up(md) -> None:  # type: ignore[no-untyped-def]
    """Install this module's drop-ins in the Markdown instance `md` (once its extensions are loaded)."""
    use_triggered_inline(md)
    guard_block_processors(md)
    _replace(md.preprocessors, "normalize_whitespace", preprocessors.NormalizeWhitespace,
             lambda: FastNormalizeWhitespace(md))
    _replace(md.preprocessors, "html_block", preprocessors.HtmlBlockPreprocessor,
             lambda: FastHtmlBlockPreprocessor(md))
    if "toc" in md.treeprocessors and type(md.treeprocessors["toc"]) is TocTreeprocessor:
        md.treeprocessors["toc"].__class__ = FastTocTreeprocessor  # same object, same settings
