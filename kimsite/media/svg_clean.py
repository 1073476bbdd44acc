"""SVG pictures made safe to open from the site's own address.

An SVG opened directly in a browser is a document: it can run script, load other
resources and navigate. Each SVG of a KIM is read by a real XML parser (lxml, with
entities, DTDs and network access off) and rebuilt from what is known to be inert:

* elements of the SVG namespace that draw, group or describe (no script, no
  foreignObject, no animation, no metadata, nothing of another namespace);
* attributes other than event handlers (on*) and other than those of other
  namespaces (Inkscape's and Sodipodi's, xml:base ...), except xlink:href;
* href and xlink:href only to a fragment of the same file ("#id");
* url(...) in attributes and CSS only to "#id"; CSS that imports, loads images by
  other means or hides characters behind escapes is removed.

The published file is the serialization of the cleaned tree, so what was checked is
exactly what is served. A file with a DOCTYPE (entities: billion laughs, external
files) or that is not SVG is refused (SvgRefused).
"""

from __future__ import annotations

import re

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 5 * 1024 * 1024

# What a picture needs; anything else (script, foreignObject, set, animate*, handler, metadata,
# font, iframe, ...) goes with everything inside it.
_ELEMENTS = frozenset({
    "svg", "g", "defs", "desc", "title", "symbol", "use", "image", "switch", "view", "a", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "filter",
    "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting",
    "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG",
    "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset",
    "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
})
_HREFS = frozenset({"href", f"{{{XLINK_NS}}}href"})
_XML_ATTRIBUTES = frozenset({f"{{{XML_NS}}}space", f"{{{XML_NS}}}lang"})
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
# CSS that loads or runs something without url(...), or old browsers' script hooks.
_CSS_FORBIDDEN = re.compile(r"@import|@font-face|image-set|image\(|cross-fade|element\(|expression|"
                            r"javascript:|vbscript:|-moz-binding|behavior|\\", re.I)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class SvgRefused(Exception):
    """An SVG that cannot be made safe: `code` is a message key of kimsite.base.messages."""

    def __init__(self, code: str, **args: object):
        super().__init__(code)
        self.code = code
        self.args_ = args


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True, strip_cdata=True)


def clean_svg(data: bytes) -> bytes:
    """The safe form of the SVG `data` (UTF-8, with an XML declaration); raises SvgRefused."""
    if len(data) > MAX_BYTES:
        raise SvgRefused("svg_too_large", size=f"{len(data) / 1048576:.1f}", limit=MAX_BYTES // 1048576)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        if "entity" in (exc.msg or "").lower() and b"<!doctype" in data[:4096].lower():  # entity declarations
            raise SvgRefused("svg_doctype") from exc
        raise SvgRefused("svg_invalid", reason=_reason(exc)) from exc
    except ValueError as exc:  # e.g. an encoding lxml does not know
        raise SvgRefused("svg_invalid", reason=str(exc)) from exc
    if _declares_anything(tree):
        raise SvgRefused("svg_doctype")
    root = tree.getroot()
    if not isinstance(root.tag, str) or root.tag != f"{{{SVG_NS}}}svg":
        raise SvgRefused("svg_not_svg", root=etree.QName(root).localname if isinstance(root.tag, str) else "?")
    _clean_element(root)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _declares_anything(tree: etree._ElementTree) -> bool:
    """Whether the DOCTYPE has an internal subset (entities, elements, attribute defaults), or
    an entity reference is left in the tree. A bare `<!DOCTYPE svg PUBLIC ...>` is harmless:
    it is never loaded, and the published file has none."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and (any(True for _ in dtd.iterentities()) or any(True for _ in dtd.iterelements())):
        return True
    return any(True for _ in tree.iter(etree.Entity))


def _reason(exc: etree.XMLSyntaxError) -> str:
    line = f"line {exc.lineno}: " if exc.lineno else ""
    return line + (exc.msg or "XML").split("\n")[0][:200]


def _clean_element(element: etree._Element) -> None:
    for child in list(element):
        if not _allowed_element(child):
            _remove(child)
        else:
            _clean_element(child)
    _clean_attributes(element)
    if etree.QName(element).localname == "style" and element.text and not _css_is_safe(element.text):
        element.text = ""


def _allowed_element(element: etree._Element) -> bool:
    tag = element.tag
    if not isinstance(tag, str):  # comments, processing instructions, entity references
        return False
    qname = etree.QName(tag)
    return qname.namespace == SVG_NS and qname.localname in _ELEMENTS


def _remove(element: etree._Element) -> None:
    """Remove `element` and what it holds, keeping the text that followed it."""
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _clean_attributes(element: etree._Element) -> None:
    for name, value in list(element.attrib.items()):
        if not _attribute_is_safe(name, value):
            del element.attrib[name]


def _attribute_is_safe(name: str, value: str) -> bool:
    if name in _HREFS:
        return _INVISIBLE.sub("", value).startswith("#")
    if name.startswith("{"):
        return name in _XML_ATTRIBUTES
    lowered = name.lower()
    if lowered.startswith("on"):
        return False
    if lowered == "style":
        return _css_is_safe(value)
    compact = _INVISIBLE.sub("", value).lower()
    if "javascript:" in compact or "vbscript:" in compact or "data:" in compact:
        return False
    return "url(" not in compact or _urls_are_local(value)


def _css_is_safe(css: str) -> bool:
    css = _CSS_COMMENT.sub("", css)
    if _CSS_FORBIDDEN.search(css):
        return False
    return _urls_are_local(css)


def _urls_are_local(text: str) -> bool:
    """Every url(...) in `text` points into the same file, and nothing else looks like one."""
    remainder = _CSS_URL.sub("", text)
    if "url(" in _INVISIBLE.sub("", remainder).lower():
        return False  # an url( the pattern could not read: unbalanced, or hidden by whitespace
    return all(_INVISIBLE.sub("", target).startswith("#") for _quote, target in _CSS_URL.findall(text))
