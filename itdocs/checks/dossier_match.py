"""An archive against its dossier (``itdocs check FOLDER --dossier FILE``): which filed file is which
document the dossier describes, so the checks can say what is missing and what contradicts it.

The dossier is the truth. Each document it calls for (``naming.planned_documents``) is matched to
the archive's files of the same type: a periodic report by its period, anything else by its date
(the document's own, else the one in its name); a one-of-a-kind document (the contract, the
acceptance report) whose date differs is still that document — its date then contradicts the
dossier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from itdocs import naming
from itdocs.access import dig, items, to_date, zone

COMPANION = "月报附表"


def _file_day(file: dict[str, Any]) -> tuple[str | None, str | None]:
    """(the document's own date, the date in its name), ISO."""
    name = file.get("name_parse") if isinstance(file.get("name_parse"), dict) else {}
    in_name = name.get("first") if name.get("precision") == "day" else None
    own = file.get("date")
    return (own[:10] if isinstance(own, str) else None), in_name


def matches(data: Any, params: Mapping[str, Any]) -> Iterator[tuple[Any, list[int]]]:
    """(planned document, indexes of the files that are it) for every document of the dossier."""
    from itdocs.checks.naming import planned_documents

    dossier = dig(data, "x-archive", "dossier")
    if not isinstance(dossier, dict):
        return
    from itdocs.checks.naming_filed import other_project

    tz = zone(params.get("timezone"))
    others = other_project(data)  # another project's file is none of this dossier's documents
    files = [(i, f) for i, f in items(data, "x-archive", "files") if i not in others]
    used: set[int] = set()
    planned = planned_documents(dossier, params)
    pending = []
    for doc in planned:
        if doc.name is None:
            continue
        companion = doc.type_name == COMPANION
        same_type = [
            (i, f)
            for i, f in files
            if f.get("type") == doc.type_id and bool(f.get("companion")) == companion
        ]
        if naming.DOC_TYPES[doc.type_id].period:
            found = [i for i, f in same_type if f.get("period") == doc.date_value]
        else:
            day = to_date(doc.date_value, tz)
            wanted = day.isoformat() if isinstance(day, dt.date) else None
            found = [i for i, f in same_type if wanted and wanted in _file_day(f)]
        used.update(found)
        pending.append((doc, found, same_type))
    for doc, found, same_type in pending:
        if not found and not naming.DOC_TYPES[doc.type_id].period:
            alone = sum(1 for d, _, _ in pending if d.type_id == doc.type_id) == 1
            spare = [i for i, _ in same_type if i not in used]
            if alone and spare:
                found = spare[:1]
                used.add(spare[0])
        yield doc, found


def unlisted(data: Any, params: Mapping[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, file) of each filed document of a type this kind of project has that is none of
    the documents the dossier calls for: a change request the dossier does not record, a second
    contract. A .docx and its .pdf under one name are one document; files of another type
    (``naming/type``), of no known type, or of another project (``naming/project``) are left out."""
    dossier = dig(data, "x-archive", "dossier")
    if not isinstance(dossier, dict):
        return
    used: set[int] = set()
    for _, found in matches(data, params):
        used.update(found)
    from itdocs.checks.naming_filed import other_project

    others = other_project(data)
    files = list(items(data, "x-archive", "files"))
    stems = {_stem(f) for i, f in files if i in used}
    kind = dossier.get("kind")
    for index, file in files:
        doc_type = naming.DOC_TYPES.get(str(file.get("type")))
        if index in used or index in others or doc_type is None or kind not in doc_type.kinds:
            continue
        if file.get("problems") or file.get("companion") or _stem(file) in stems:
            continue
        yield index, file


def _stem(file: Mapping[str, Any]) -> str:
    rel = str(file.get("rel") or file.get("name") or "")
    return rel.rsplit(".", 1)[0]
