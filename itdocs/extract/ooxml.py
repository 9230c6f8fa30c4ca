"""What .docx and .xlsx share: which kind of package a zip is, and its document properties.

Custom properties come first for generated files (they are authoritative: project id, kind, document
type, period, dossier SHA-256), so they are read from docProps/custom.xml with their declared types.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from itdocs.extract.model import Problem
from itdocs.extract.safezip import Limits, Refused, SafeZip, parse_xml

_REL_OFFICE_DOC = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)


def package_kind(zf: SafeZip, *, limits: Limits) -> tuple[str, str]:
    """(``docx`` | ``xlsx`` | ``zip``, main part name). The conventional names cover almost every
    file; otherwise the package relationships say where the main part is."""
    if zf.has("word/document.xml"):
        return "docx", "word/document.xml"
    if zf.has("xl/workbook.xml"):
        return "xlsx", "xl/workbook.xml"
    if zf.has("_rels/.rels"):
        root = parse_xml(zf.read("_rels/.rels"), part="_rels/.rels", limits=limits)
        for rel in root:
            if rel.get("Type") in _REL_OFFICE_DOC:
                target = (rel.get("Target") or "").lstrip("/")
                if target.startswith("word/") and zf.has(target):
                    return "docx", target
                if target.startswith("xl/") and zf.has(target):
                    return "xlsx", target
    return "zip", ""


# Relationships that make Word/Excel fetch their target when the file is opened (or its links
# updated): a template, frame, sub-document, linked object or picture on a network share is how
# a filed document leaks the opener's Windows credentials. Hyperlinks are followed only on a click.
_FETCHED_ON_OPEN = ("attachedTemplate", "frame", "subDocument", "oleObject", "image", "externalLinkPath")
_MAX_RELS_PARTS = 64


def external_links(zf: SafeZip, *, limits: Limits) -> list[Problem]:
    """One ``external-link`` problem per relationship that points outside the file and is fetched
    on opening. The parts are read under the same limits; a broken .rels part is skipped."""
    found: list[Problem] = []
    parts = [n for n in zf.names if n.endswith(".rels")][:_MAX_RELS_PARTS]
    for part in parts:
        data = zf.read(part)
        if b"External" not in data:
            continue
        try:
            root = parse_xml(data, part=part, limits=limits)
        except Refused as exc:
            if exc.code in ("corrupt", "crc-error", "truncated"):
                continue
            raise
        for rel in root:
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            if rel.get("TargetMode") == "External" and kind in _FETCHED_ON_OPEN:
                target = (rel.get("Target") or "")[:200]
                found.append(
                    Problem(
                        "external-link",
                        f"打开时会访问外部地址 ({kind} → {target!r} in {part})",
                        part,
                    )
                )
    return found


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _vt_value(elem: Any) -> Any:
    """A ``vt:*`` variant as a Python value; unknown types stay text."""
    kind = _local(elem.tag)
    text = (elem.text or "").strip()
    try:
        if kind in ("i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint"):
            return int(text)
        if kind in ("r4", "r8"):
            return float(text)
        if kind == "decimal":
            return Decimal(text)
        if kind == "bool":
            return text.lower() in ("true", "1")
        if kind in ("filetime", "date"):
            return _parse_w3cdtf(text) or text
    except (ValueError, InvalidOperation):
        return text
    return elem.text or ""


def _parse_w3cdtf(text: str) -> dt.datetime | dt.date | None:
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def read_properties(zf: SafeZip, *, limits: Limits) -> tuple[dict[str, Any], dict[str, Any]]:
    """(custom properties, core properties). A broken properties part is no reason to lose the
    document text, so only security refusals propagate."""
    custom: dict[str, Any] = {}
    core: dict[str, Any] = {}
    for part, target in (("docProps/custom.xml", custom), ("docProps/core.xml", core)):
        if not zf.has(part):
            continue
        try:
            root = parse_xml(zf.read(part), part=part, limits=limits)
        except Refused as exc:
            if exc.code in ("corrupt", "crc-error", "truncated"):
                continue
            raise
        if part.endswith("custom.xml"):
            for prop in root:
                name = prop.get("name")
                if name and len(prop):
                    target[name] = _vt_value(prop[0])
        else:
            for elem in root:
                key = _local(elem.tag)
                text = (elem.text or "").strip()
                if key and text:
                    target[key] = (
                        _parse_w3cdtf(text) or text if key in ("created", "modified") else text
                    )
    return custom, core
