"""Compile a Word template once, then render each document from it in a few milliseconds.

docxtpl (itdocs.render) reopens the .docx with python-docx, re-patches and recompiles the Jinja of
every part, and re-saves the whole package for each document. Here, once per template and process:

- python-docx opens the template and saves it once, which gives every member as docxtpl's save
  would write it; the members no template tag touches are deflated once (itdocs.docprops.Layout);
- the body, headers and footers go through docxtpl's own ``patch_xml`` (``{%tr %}``, ``{%p %}``,
  ``{%r %}``, ``{%tc %}``, colspan, cellbg, vm/hm) and are compiled once in the same strict,
  autoescaped sandbox (itdocs.render.environment);

and per document only those parts are rendered and post-processed the way docxtpl does it
(``resolve_listing``, ``fix_tables``, ``docPr`` ids, python-docx serialization), then written with
the stamped properties into a new zip next to the untouched members' deflated bytes.

docxtpl stays the reference and the fallback: a template this renderer does not handle (a
footnotes part with tags, anything python-docx or the patching fails on — so that docxtpl reports
the error exactly as it always did) renders with docxtpl, and so does everything when
``ITDOCS_RENDERER=docxtpl``. The context is dossier data, so docxtpl objects that need a live
``DocxTemplate`` (InlineImage, Subdoc, RichText hyperlinks) cannot reach either renderer;
RichText and Listing values are markup strings and render the same in both.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import os
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import docx.oxml.ns
import jinja2
from docx import Document
from docx.opc.oxml import parse_xml as parse_opc_xml
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml as parse_part_xml
from docxtpl import DocxTemplate
from lxml import etree

from itdocs import docprops
from itdocs.render import environment, render_docx, template_errors

_TOOLS = DocxTemplate(io.BytesIO())  # only its stateless XML helpers are used
_TAG = re.compile(r"\{[{%#]")
_LISTING = ("\t", "\a", "\n", "\f")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_BODY = f"{{{docx.oxml.ns.nsmap['w']}}}body"
_DOCPR = f"{{{docx.oxml.ns.nsmap['wp']}}}docPr"
_CACHE_SIZE = 32
_cache: OrderedDict[tuple[str, bytes], Compiled | None] = OrderedDict()
_cache_lock = threading.Lock()


@dataclass
class _Part:
    """One XML part with template tags, patched and compiled once."""

    name: str
    source: str
    template: jinja2.Template

    def text(self, context: dict[str, Any]) -> str:
        """docxtpl's ``render_xml_part``: render, undo the line breaks and escapes, resolve listings."""
        try:
            xml = self.template.render(context)
        except jinja2.TemplateError as exc:
            lineno = getattr(exc, "lineno", None)
            if lineno is not None:  # as docxtpl does, so the error shows the template's text
                first = max(lineno - 4, 0)
                lines = self.source.splitlines()[first : first + 7]
                exc.docx_context = [re.sub(r"<[^>]+>", "", line) for line in lines]  # type: ignore[attr-defined]
            raise
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml:  # docxtpl's escapes for literal {{ }} {% %}
            xml = (
                xml.replace("{_{", "{{")
                .replace("}_}", "}}")
                .replace("{_%", "{%")
                .replace("%_}", "%}")
            )
        if any(char in xml for char in _LISTING):  # resolve_listing changes nothing else
            xml = _TOOLS.resolve_listing(xml)
        return xml

    def produce(self, context: dict[str, Any]) -> bytes:
        """A header or footer: re-parsed and serialized as python-docx saves an ``XmlPart``."""
        return serialize_part_xml(parse_part_xml(self.text(context).encode("utf-8")))


@dataclass
class _Body(_Part):
    """The document body, rendered into the template's ``w:document`` as docxtpl does it.

    docxtpl parses the body alone, fixes its tables, renumbers ``wp:docPr`` and moves it into the
    document, where lxml drops the body's namespace declarations (the document has them).
    Moving a large tree costs more than parsing it, so when the template allows it (the body
    declares exactly the document's namespaces) the rendered body is parsed in place, between
    the serialized document's head and tail; a body that is not well-formed, or whose tables
    need docxtpl's fixing, takes docxtpl's way.
    """

    root: Any = None  # the template's w:document, never modified: each document works on a copy
    head: bytes = b""  # serialized w:document up to the body; b"" when parsing in place is unsafe
    tail: bytes = b""
    start_tag: str = ""  # the body's start tag as the template renders it

    def produce(self, context: dict[str, Any]) -> bytes:
        xml = self.text(context)
        if self.head and xml.startswith(self.start_tag):
            body = "<w:body>" + xml[len(self.start_tag) :]
            try:
                # strict: on well-formed XML it gives what docxtpl's recover=True parser gives
                root = etree.fromstring(
                    self.head + body.encode("utf-8") + self.tail, etree.XMLParser()
                )
            except etree.XMLSyntaxError:
                root = None
            body_element = None if root is None else root.find(_BODY)
            if body_element is not None and _tables_as_they_are(body_element):
                return self._finish(root, body_element)
        tree = _TOOLS.fix_tables(xml)
        root = copy.deepcopy(self.root)
        root.replace(root.body, tree)
        return self._finish(root, tree)

    @staticmethod
    def _finish(root: Any, body: Any) -> bytes:
        for number, element in enumerate(body.iter(_DOCPR), start=1001):
            element.attrib["id"] = str(number)
        return serialize_part_xml(root)


@dataclass
class Compiled:
    """A template ready to render: its tagged parts and the package layout around them."""

    display: str
    parts: list[_Part]
    layout: docprops.Layout

    def render(
        self,
        context: Mapping[str, Any],
        *,
        custom: Mapping[str, str],
        core: bytes,
        moment: dt.datetime,
    ) -> bytes:
        values = dict(context)
        with template_errors(self.display):
            parts = {part.name: part.produce(values) for part in self.parts}
        return self.layout.finish(parts, custom=custom, core=core, moment=moment)


def render_package(
    template: tuple[str, bytes],
    context: Mapping[str, Any],
    *,
    custom: Mapping[str, str],
    core: bytes,
    moment: dt.datetime,
) -> bytes:
    """The finished .docx (rendered, properties stamped, zipped deterministically).

    The same document as ``docprops.finalize(render.render_docx(template, context), ...)``.
    """
    compiled = (
        None if os.environ.get("ITDOCS_RENDERER") == "docxtpl" else compile_template(template)
    )
    if compiled is None:
        package = render_docx(template, context)
        return docprops.finalize(package, custom=custom, core=core, moment=moment)
    return compiled.render(context, custom=custom, core=core, moment=moment)


def compile_template(template: tuple[str, bytes]) -> Compiled | None:
    """The compiled template, made once per process; ``None`` when docxtpl must render it."""
    key = template
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    try:
        compiled = _compile(*template)
    except Exception:  # noqa: BLE001 - docxtpl renders it and reports the problem its own way
        compiled = None
    with _cache_lock:
        _cache[key] = compiled
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled


def _compile(display: str, data: bytes) -> Compiled | None:
    document = Document(io.BytesIO(data))
    main = document.part
    if any(_footnotes_change(part) for part in main.package.iter_parts()):
        return None
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as package:
        entries = [(info.filename, package.read(info)) for info in package.infolist()]

    body_source = etree.tostring(document.element.body, encoding="unicode")
    body = _part(_Body, main.partname.membername, body_source, root=copy.deepcopy(document.element))
    body.head, body.tail, body.start_tag = _in_place(document.element, body.source)  # type: ignore[attr-defined]
    parts: list[_Part] = [body]
    for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
        for rel in main.rels.values():
            if rel.reltype == uri and not rel.is_external and rel.target_part.blob:
                source = etree.tostring(parse_opc_xml(rel.target_part.blob), encoding="unicode")
                parts.append(_part(_Part, rel.target_part.partname.membername, source))
    if len({part.name for part in parts}) != len(parts):
        return None  # one header part behind two relationships: leave it to docxtpl

    # A part without tags renders the same for every document: render it now, store it deflated.
    static = {p.name: p.produce({}) for p in parts if not _TAG.search(p.source)}
    entries = [(name, static.get(name, content)) for name, content in entries]
    dynamic = [p for p in parts if p.name not in static]
    return Compiled(
        display, dynamic, docprops.Layout.of(entries, variable={p.name for p in dynamic})
    )


def _tables_as_they_are(body: Any) -> bool:
    """True when docxtpl's ``fix_tables`` would leave every table as it is (and not fail on one):
    no row with more cells than grid columns, one row at least as wide as the grid. Rows are all
    ``w:tr`` below the table, nested tables' too, as docxtpl counts them."""
    w = body.nsmap.get("w")
    if w is None:
        return False
    tr, tc, tc_pr, grid_span, val = (f"{{{w}}}{n}" for n in ("tr", "tc", "tcPr", "gridSpan", "val"))
    too_many = _too_many_cells(w)
    try:  # docxtpl would stop on a span that is not a number; any such span sends it there
        for value in {span.get(val) for span in body.iter(grid_span)}:
            int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    for table in body.iter(f"{{{w}}}tbl"):
        grid = table.find(f"{{{w}}}tblGrid")
        if grid is None:
            return False
        columns = len(grid.findall(f"{{{w}}}gridCol"))
        if too_many(table, n=columns):
            return False
        for row in table.iter(tr):
            width = 0
            for cell in row.iterchildren(tc):
                props = cell.find(tc_pr)
                span = None if props is None else props.find(grid_span)
                width += 1 if span is None else int(span.get(val))
            if width >= columns:
                break
        else:
            return False
    return True


@functools.cache
def _too_many_cells(w: str) -> etree.XPath:
    return etree.XPath("boolean(.//w:tr[count(w:tc) > $n])", namespaces={"w": w})


def _in_place(root: Any, source: str) -> tuple[bytes, bytes, str]:
    """Head and tail of the serialized document around an empty body, and the body's start tag;
    empty when the body's tag declares anything but the document's own namespaces."""
    start = re.match(r"<w:body(?: [^>]*)?>", source)
    if start is None:
        return b"", b"", ""
    declared = dict(re.findall(r' xmlns:(\w+)="([^"]*)"', start.group()))
    bare = re.sub(r' xmlns:\w+="[^"]*"', "", start.group())
    if bare != "<w:body>" or declared != {k: v for k, v in root.nsmap.items() if k}:
        return b"", b"", ""
    shell = copy.deepcopy(root)
    shell.replace(shell.body, shell.makeelement(_BODY))
    whole = serialize_part_xml(shell)
    if whole.count(b"<w:body/>") != 1:
        return b"", b"", ""
    head, tail = whole.split(b"<w:body/>")
    return head, tail, start.group()


def _part(cls: type[_Part], name: str, xml: str, **extra: Any) -> _Part:
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", _TOOLS.patch_xml(xml))
    return cls(name, source, environment().from_string(source), **extra)


def _footnotes_change(part: Any) -> bool:
    """docxtpl renders footnotes too; only a footnotes part it would leave as is is handled here."""
    if part.content_type != _FOOTNOTES:
        return False
    text = part.blob.decode("utf-8")
    return "{" in text or _TOOLS.resolve_listing(text) != text
