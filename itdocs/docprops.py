"""Document properties the checker can trust, and packages that are the same bytes on every run.

Every generated .docx and .xlsx carries custom properties (Word: 文件 → 属性 → 自定义) in
``docProps/custom.xml``, registered the way Office expects — a content-type ``Override`` in
``[Content_Types].xml`` and a package relationship in ``_rels/.rels``:

=========================  ===========================================
``itdocs.project_id``      the dossier's ``project.id``
``itdocs.kind``            procurement / affiliation / …
``itdocs.document_type``   the type id (``contract``, ``weekly_report``)
``itdocs.period``          ``2026-W47`` / ``2026-10`` / ``2026-Q3`` or empty
``itdocs.dossier_sha256``  SHA-256 of the dossier file it was made from
``itdocs.generator``       ``itdocs 0.2.0``
=========================  ===========================================

``finalize`` also rewrites the core properties with times taken from the document's own date and
re-zips every entry with a fixed timestamp, so the same dossier gives byte-identical files and CI
can diff them. ``read_custom_properties`` reads any OOXML file's custom properties back.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as _sax_escape

from lxml import etree

from itdocs import zippack
from itdocs.context import clean_text

CUSTOM_PART = "docProps/custom.xml"
CORE_PART = "docProps/core.xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = (
    "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id Office uses for user properties
)
_PREFIX = "itdocs."
_DROP = {"docProps/thumbnail.jpeg"}  # a template's preview picture would show the blank template


def escape(text: str, entities: Mapping[str, str] | None = None) -> str:
    """XML-escaped text without the control characters XML 1.0 cannot carry at all."""
    return _sax_escape(clean_text(str(text)), entities or {})


def custom_xml(properties: Mapping[str, str]) -> bytes:
    rows = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(str(value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{rows}</Properties>'
    ).encode()


def core_xml(
    *,
    title: str,
    subject: str,
    creator: str,
    keywords: str,
    category: str,
    description: str,
    moment: dt.datetime,
) -> bytes:
    stamp = moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:subject>{escape(subject)}</dc:subject>"
        f"<dc:creator>{escape(creator)}</dc:creator><cp:keywords>{escape(keywords)}</cp:keywords>"
        f"<dc:description>{escape(description)}</dc:description>"
        "<cp:lastModifiedBy>itdocs</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        f"<cp:category>{escape(category)}</cp:category><dc:language>zh-CN</dc:language>"
        "</cp:coreProperties>"
    ).encode()


def _register(content_types: bytes, rels: bytes) -> tuple[bytes, bytes]:
    """Add the custom part's Override and package relationship (once), dropping dropped parts."""
    ct = etree.fromstring(content_types)
    for node in ct.findall(f"{{{_CT_NS}}}Override"):
        if node.get("PartName", "").lstrip("/") in _DROP | {CUSTOM_PART}:
            ct.remove(node)
    etree.SubElement(ct, f"{{{_CT_NS}}}Override", PartName="/" + CUSTOM_PART, ContentType=CUSTOM_CT)
    root = etree.fromstring(rels)
    ids = set()
    for rel in list(root):
        target = rel.get("Target", "").lstrip("/")
        if target in _DROP or rel.get("Type") == CUSTOM_REL:
            root.remove(rel)
        else:
            ids.add(rel.get("Id"))
    rel_id = next(f"rIdItdocs{i}" for i in range(1, 100) if f"rIdItdocs{i}" not in ids)
    etree.SubElement(
        root, f"{{{_REL_NS}}}Relationship", Id=rel_id, Type=CUSTOM_REL, Target=CUSTOM_PART
    )
    if not any(r.get("Type") == CORE_REL for r in root):
        etree.SubElement(
            root, f"{{{_REL_NS}}}Relationship", Id="rIdItdocsCore", Type=CORE_REL, Target=CORE_PART
        )
        etree.SubElement(
            ct,
            f"{{{_CT_NS}}}Override",
            PartName="/" + CORE_PART,
            ContentType="application/vnd.openxmlformats-package.core-properties+xml",
        )
    return (
        etree.tostring(ct, xml_declaration=True, encoding="UTF-8", standalone=True),
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
    )


def finalize(
    package: bytes, *, custom: Mapping[str, str], core: bytes, moment: dt.datetime
) -> bytes:
    """The package with our core and custom properties, re-zipped deterministically.

    Entries keep their order (``[Content_Types].xml`` moved first), get ``moment`` as
    their timestamp and the same compression, so equal content gives equal bytes.
    """
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    return Layout.of(entries).finish({}, custom=custom, core=core, moment=moment)


@dataclass(frozen=True)
class Layout:
    """A finished package's members in order: constant ones deflated once, the rest named.

    ``finalize`` makes one per file; the compile-once renderer (itdocs.fastrender) makes one per
    template, with the parts it renders left as names, and then only deflates what changed.
    """

    members: tuple[zippack.Entry | str, ...]

    @classmethod
    def of(cls, entries: Sequence[tuple[str, bytes]], *, variable: Collection[str] = ()) -> Layout:
        parts = dict(entries)
        content_types, rels = _register(parts["[Content_Types].xml"], parts["_rels/.rels"])
        replaced = {"[Content_Types].xml": content_types, "_rels/.rels": rels}
        # [Content_Types].xml first, as Office writes it (openpyxl writes it last).
        names = sorted(
            (name for name, _ in entries if name not in _DROP and name != CUSTOM_PART),
            key=lambda name: name != "[Content_Types].xml",
        )
        if CORE_PART not in names:
            names.append(CORE_PART)
        names.append(CUSTOM_PART)
        per_document = {*variable, CORE_PART, CUSTOM_PART}
        return cls(
            tuple(
                name
                if name in per_document
                else zippack.Entry.of(name, replaced.get(name, parts.get(name, b"")))
                for name in names
            )
        )

    def finish(
        self,
        parts: Mapping[str, bytes],
        *,
        custom: Mapping[str, str],
        core: bytes,
        moment: dt.datetime,
    ) -> bytes:
        """The package bytes, with ``parts`` (name → content) filling the named members."""
        stamp = max(moment.replace(tzinfo=None), dt.datetime(1980, 1, 1)).timetuple()[:6]
        supplied = {
            **parts,
            CORE_PART: core,
            CUSTOM_PART: custom_xml({_PREFIX + k: v for k, v in custom.items()}),
        }
        return zippack.write(
            (
                member
                if isinstance(member, zippack.Entry)
                else zippack.Entry.of(member, supplied[member])
                for member in self.members
            ),
            date_time=stamp,  # type: ignore[arg-type]
        )


def read_custom_properties(
    source: str | bytes | io.BufferedIOBase, *, prefix: str | None = None
) -> dict[str, str]:
    """Custom properties of a .docx/.xlsx/.pptx as {name: text}; {} when it has none.

    Found through the package relationship, as Office does, not by guessing the part name. With
    ``prefix="itdocs."`` only ours, with the prefix removed. Raises ``zipfile.BadZipFile`` /
    ``KeyError`` / ``etree.XMLSyntaxError`` for a file that is not an OOXML package.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    with zipfile.ZipFile(stream) as package:
        rels = etree.fromstring(package.read("_rels/.rels"))
        target = next((r.get("Target") for r in rels if r.get("Type") == CUSTOM_REL), None)
        if target is None:
            return {}
        root = etree.fromstring(package.read(target.lstrip("/")))
    out = {}
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name", "")
        value = "".join(prop[0].itertext()) if len(prop) else ""
        if prefix is None:
            out[name] = value
        elif name.startswith(prefix):
            out[name[len(prefix) :]] = value
    return out
