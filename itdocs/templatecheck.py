"""Check a template a user brings (``--templates DIR``) before anything is rendered from it.

The sandbox (itdocs.render) already refuses, while rendering, every attribute walk and every
``{% include %}``. This check reads the template's Jinja once, statically, so that a hostile
template is refused as a whole, before any document is written, even when the payload sits in a
branch this dossier never takes (``{% if false %}{{ cycler.__init__.__globals__ }}{% endif %}``):

- the file is opened under the archive reader's zip limits (itdocs.extract.safezip: member count,
  sizes, compression ratio, CRC), and a DOCTYPE or ENTITY declaration in any XML part is refused;
- ``{% include %}``, ``{% import %}``, ``{% from … import %}`` and ``{% extends %}`` are refused;
- so is any attribute or item whose name starts with ``_`` (``__class__``, ``__globals__``,
  ``_TemplateReference__context``), written with a dot, brackets or the ``attr`` filter, an ``attr``
  whose name is computed, ``format_map``, and a string constant whose format fields walk to
  such a name (``'{0.__class__}'``).

A file that is not a zip, or whose Jinja does not parse, is left to the renderer, which reports it
per document as it always has.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError

from itdocs.errors import TemplateError

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024  # a Word template with a few images is a few MB
_TAGGED_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_HINT = "templates may only read the dossier's values"


def check_template(display: str, data: bytes) -> None:
    """Raise TemplateError when the template at ``display`` holds a construct that is refused."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return
    for part, xml in _parts(display, data):
        utf16 = xml[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in xml[:4]
        text = xml.decode("utf-16" if utf16 else "utf-8", "replace")
        if _DTD.search(text):
            _refuse(display, f"XML 含 DOCTYPE/ENTITY 声明 (DTD/entity declaration in {part})")
        if _TAGGED_PART.match(part):
            _check_jinja(display, part, text)


def _parts(display: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    from itdocs.extract.safezip import Budget, Limits, Refused, SafeZip

    try:
        package = SafeZip(io.BytesIO(data), len(data), limits=Limits(), budget=Budget(10.0))
        for name in package.names:
            if name.endswith((".xml", ".rels")):
                yield name, package.read(name)
    except Refused as exc:
        _refuse(display, exc.message)


def _check_jinja(display: str, part: str, xml: str) -> None:
    from docxtpl import DocxTemplate

    from itdocs.render import environment

    try:  # docxtpl's own patching (tags split across runs, {%p %}, entities), as rendering does
        tree = environment().parse(DocxTemplate(io.BytesIO()).patch_xml(xml))
    except TemplateSyntaxError:
        return  # rendering reports it with the template's text around it
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        _refuse(display, f"{{% include/import/extends %}} 不允许使用 (not allowed) in {part}")
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        name = _private_name(node)
        if name is not None:
            _refuse(
                display,
                f"不允许访问以 _ 开头的属性 (attribute {name!r} is not allowed) in {part}",
            )
    for node in tree.find_all(nodes.Const):
        if isinstance(node.value, str) and _FORMAT_FIELD_WALK.search(node.value):
            _refuse(display, f"格式串访问属性 (format field {node.value[:40]!r}) in {part}")


# Ways around the sandbox that Jinja itself had to close (CVE-2024-56326, CVE-2025-27516): a
# template has no use for them, so they are refused even where the installed Jinja is safe.
_FORMAT_NAMES = {"format_map", "mro"}
_FORMAT_FIELD_WALK = re.compile(r"\{[^{}]*(\.|\[)_")  # "{0.__class__}", "{x[_y]}"


def _private_name(node: nodes.Node) -> str | None:
    """The ``_…`` name ``x._y``, ``x['_y']`` or ``x|attr('_y')`` reaches for (or an ``attr``
    whose name is built while rendering, or ``format_map``), else None."""
    if isinstance(node, nodes.Getattr):
        name = node.attr
    elif isinstance(node, nodes.Getitem):
        name = node.arg.value if isinstance(node.arg, nodes.Const) else None
    elif node.name == "attr" and node.args:
        if not isinstance(node.args[0], nodes.Const):
            return "attr(…)"
        name = node.args[0].value
        if name in ("format", *_FORMAT_NAMES):
            return name
    else:
        return None
    if not isinstance(name, str):
        return None
    return name if name.startswith("_") or name in _FORMAT_NAMES else None


def _refuse(display: str, reason: str) -> None:
    raise TemplateError(f"模板被拒绝 (template refused): {reason}", file=display, hint=_HINT)
