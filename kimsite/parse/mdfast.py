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
from xml.etree.ElementTree import HTML_EMPTY, Comment, ProcessingInstruction, QName

from markdown import blockparser, preprocessors, serializers, treeprocessors, util
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


class FastPrettifyTreeprocessor(treeprocessors.PrettifyTreeprocessor):
    """The stock prettifier, asking `md.is_block_level` once per distinct tag per document
    (it scans a list of ~50 names; the list does not change while a document is converted)."""

    def run(self, root) -> None:  # type: ignore[no-untyped-def]
        known: dict[object, bool] = {}
        is_block_level = self.md.is_block_level

        def cached(tag: object) -> bool:
            try:
                return known[tag]
            except KeyError:
                known[tag] = result = is_block_level(tag)
                return result

        self._is_block_level = cached
        super().run(root)

    def _prettifyETree(self, elem) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        # The stock method, with the cached test.
        is_block_level = self._is_block_level
        i = "\n"
        if is_block_level(elem.tag) and elem.tag not in ["code", "pre"]:
            if (not elem.text or not elem.text.strip()) and len(elem) and is_block_level(elem[0].tag):
                elem.text = i
            for e in elem:
                if is_block_level(e.tag):
                    self._prettifyETree(e)
        if not elem.tail or not elem.tail.strip():
            elem.tail = i


class FastUnescapeTreeprocessor(treeprocessors.UnescapeTreeprocessor):
    """Escaped characters are stored as STX, digits, ETX: text without STX has none; the
    regex is not run on it (the stock `sub` returns such text as a plain `str`, so do we)."""

    def unescape(self, text: str) -> str:
        if util.STX in text:
            return self.RE.sub(self._unescape, text)
        return text if type(text) is str else str(text)


class SnapshotBlockParser(blockparser.BlockParser):
    """The stock parser, stepping through a list of the block processors taken once per
    document instead of the list the registry builds anew for every block."""

    _processors: list | None = None

    def parseDocument(self, lines):  # type: ignore[no-untyped-def]  # noqa: N802
        self._processors = list(self.blockprocessors)
        try:
            return super().parseDocument(lines)
        finally:
            self._processors = None  # later calls (footnotes parse their own chunks) use the stock loop

    def parseBlocks(self, parent, blocks: list[str]) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        processors = self._processors
        if processors is None:
            return super().parseBlocks(parent, blocks)
        while blocks:
            for processor in processors:
                if processor.test(parent, blocks[0]):
                    if processor.run(parent, blocks) is not False:
                        break
        return None


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


# --- the serializer ------------------------------------------------------------------------------

_BOOLEAN_ATTRIBUTES = serializers.BOOLEAN_ATTRIBUTES["html"]
_MAX_DEPTH = 200


class _TooDeep(Exception):
    pass


def fast_html_string(element) -> str:  # type: ignore[no-untyped-def]
    """`markdown.serializers.to_html_string`, recursive instead of through a queue: a document's
    tree is shallow, and a call per element costs less than the queue's steps. Trees deeper
    than 200 levels are serialized by the stock function."""
    data: list[str] = []
    try:
        _serialize(data.append, element, 0)
    except _TooDeep:
        return serializers.to_html_string(element)
    return "".join(data)


def _serialize(write, el, depth: int) -> None:  # type: ignore[no-untyped-def]
    """The stock `_serialize_html` (format "html") for one element, its children and its tail."""
    if depth > _MAX_DEPTH:
        raise _TooDeep
    escape = serializers._escape_cdata
    tag = el.tag
    text = el.text
    if tag is Comment:
        write(f"<!--{escape(text)}-->")
    elif tag is ProcessingInstruction:
        write(f"<?{escape(text)}?>")
    elif tag is None:
        if text:
            write(escape(text))
        for child in el:
            _serialize(write, child, depth + 1)
    else:
        namespace_uri = None
        if isinstance(tag, QName):
            if tag.text[:1] == "{":
                namespace_uri, tag = tag.text[1:].split("}", 1)
            else:
                raise ValueError("QName objects must define a tag.")
        write(f"<{tag}")
        items = el.items()
        if items:
            for key, value in sorted(items):
                if isinstance(key, QName):
                    key = key.text
                if isinstance(value, QName):
                    value = value.text
                if value is None:
                    write(f" {key}")
                else:
                    value = serializers._escape_attrib_html(value)
                    if key == value and key in _BOOLEAN_ATTRIBUTES:
                        write(f" {value}")
                    else:
                        write(f' {key}="{value}"')
        if namespace_uri:
            write(f' xmlns="{serializers._escape_attrib(namespace_uri)}"')
        write(">")
        lower = tag.lower()
        if text:
            write(text if lower in ("script", "style") else escape(text))
        for child in el:
            _serialize(write, child, depth + 1)
        if lower not in HTML_EMPTY:
            write(f"</{tag}>")
    if el.tail:
        write(escape(el.tail))


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
    _replace(md.treeprocessors, "prettify", treeprocessors.PrettifyTreeprocessor,
             lambda: FastPrettifyTreeprocessor(md))
    _replace(md.treeprocessors, "unescape", treeprocessors.UnescapeTreeprocessor,
             lambda: FastUnescapeTreeprocessor(md))
    if type(md.parser) is blockparser.BlockParser:
        md.parser.__class__ = SnapshotBlockParser  # same object: processors keep their `parser`
    if "toc" in md.treeprocessors and type(md.treeprocessors["toc"]) is TocTreeprocessor:
        md.treeprocessors["toc"].__class__ = FastTocTreeprocessor  # same object, same settings
    if md.serializer is serializers.to_html_string:
        md.serializer = fast_html_string
