"""The naming rules on an archive's real file names (the naming family's second source of names).

A dossier's names are the ones the generator *will* give; an archive's are the ones clerks and
suppliers *gave*. ``itdocs.checks.naming`` asks this module when the data is an archive view
(``x-archive`` present): each rule then judges every filed name instead of the planned ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from itdocs import naming
from itdocs.access import dig, items
from itdocs.checks.base import Hit

DOCUMENT_FORMATS = ("docx", "xlsx", "pdf", "ole")
# Types whose name carries one date the document itself states (an approval sheet's is the last
# of several signatures, a register's the last of many entries: no single date to compare).
OWN_DATE_TYPES = frozenset(
    {
        "requirement_form",
        "contract",
        "kickoff_minutes",
        "meeting_minutes",
        "change_request",
        "acceptance_report",
        "trial_run_report",
    }
)


def is_archive(data: Any) -> bool:
    return isinstance(dig(data, "x-archive"), dict)


def _named(data: Any) -> Iterator[tuple[int, dict[str, Any], dict[str, Any], str]]:
    """(index, file, what its name says, pointer of its name) for every document of the archive."""
    for index, file in items(data, "x-archive", "files"):
        name = file.get("name_parse")
        if not isinstance(name, dict):
            continue
        if file.get("type") or file.get("format") in DOCUMENT_FORMATS or name.get("type_id"):
            yield index, file, name, f"/x-archive/files/{index}/name"


def _allowed(type_id: str | None) -> set[str]:
    doc_type = naming.DOC_TYPES.get(type_id or "")
    if doc_type is None:
        return {"day"}
    return {"day", doc_type.period} if doc_type.period else {"day"}


def _relation(data: Any, name: Mapping[str, Any]) -> str | None:
    """How the name's 项目名称 relates to the archive's project (``naming.project_relation``)."""
    expected = dig(data, "project", "name")
    if not isinstance(expected, str):
        return None
    return naming.project_relation(name.get("project"), expected, strict=bool(name.get("strict")))


def other_project(data: Any) -> set[int]:
    """Indexes of the files named for another project — as the archive view leaves them out of
    this project's obligations (``itdocs.archive.build.other_project_files``): none when no file
    is named for this project at all."""
    relations = {index: _relation(data, name) for index, _, name, _ in _named(data)}
    if not any(r in ("same", "short") for r in relations.values()):
        return set()
    return {index for index, r in relations.items() if r == "other"}


def _index_file(name: Mapping[str, Any]) -> bool:
    """The folder's own index (归档台账, 项目台账 …): a list of the documents, not one of them."""
    return not name.get("type_id") and name.get("type_name") in naming.INDEX_NAMES


def pattern(data: Any, settings: Mapping[str, Any]) -> Iterator[Hit]:
    """Each filed name is judged strictly: split at the separator into 项目名称, 日期 and 类型,
    the 日期 written as the policy's ``date_formats`` write it (``2026年9月7日``; ``20260907`` or
    ``2026.9.7`` is that date, and the file is identified by it, but not the convention), a full
    date or, for a report, its period token. A finding suggests the name the file should have."""
    for _, file, name, at in _named(data):
        if name.get("real_date") is False:
            continue  # naming/date says it better
        if _index_file(name) and not file.get("type"):
            yield from _index_pattern(data, file, name, at, settings)
            continue
        wanted = _allowed(file.get("type") or name.get("type_id"))
        ok = bool(name.get("strict")) and name.get("precision") in wanted
        why, why_en = "应为 项目名称-日期-类型", "should be 项目名称-日期-类型"
        written = _policy_token(name.get("precision"), name.get("first"), settings)
        if name.get("strict") and not ok:
            why, why_en = "日期应为具体日期（如 2026年9月1日）", "the date should be a full date"
        elif ok and written and not _same_token(name.get("token"), written):
            ok = False
            why = f"日期「{name.get('token')}」应写作「{written}」"
            why_en = f'the date "{name.get("token")}" should be written "{written}"'
        if ok and settings["pattern"] != naming.DEFAULT_PATTERN:
            ok = False  # a custom pattern is judged by the planned names only
        if ok:
            continue
        suggested = suggest_name(data, file, name, settings)
        yield Hit(
            at,
            {
                "name": file.get("name"),
                "project": dig(data, "project", "name"),
                "expected": settings["pattern"],
                "advice": f"（{why}）" + (f"，请改名为「{suggested}」" if suggested else ""),
                "advice_en": f" ({why_en})"
                + (f'; rename it to "{suggested}"' if suggested else ""),
            },
            {
                "name": file.get("name"),
                "read_as": {k: name.get(k) for k in ("project", "token", "type_name")},
                "problem": why,
                "date_precision": name.get("precision"),
                "date_precisions_allowed": sorted(wanted),
                "pattern": settings["pattern"],
                "separator": settings["separator"],
                "suggested_name": suggested,
            },
        )


def _index_pattern(
    data: Any,
    file: Mapping[str, Any],
    name: Mapping[str, Any],
    at: str,
    settings: Mapping[str, Any],
) -> Iterator[Hit]:
    """A folder's index is named ``项目名称-归档台账`` — no date: it is kept up to date, a date
    would go stale — or ``项目名称-日期-归档台账`` (a snapshot), the date as the policy writes it."""
    written = _policy_token(name.get("precision"), name.get("first"), settings)
    if name.get("strict") and (
        not name.get("token") or _same_token(name.get("token"), written or "")
    ):
        return
    if name.get("strict"):
        why = f"日期「{name.get('token')}」应写作「{written}」"
        why_en = f'the date "{name.get("token")}" should be written "{written}"'
    else:
        why, why_en = (
            "台账应为 项目名称-类型（可不带日期）",
            "an index should be 项目名称-类型 (a date is optional)",
        )
    suggested = None
    project = dig(data, "project", "name")
    relation = _relation(data, name)
    if (
        settings["pattern"] == naming.DEFAULT_PATTERN
        and isinstance(project, str)
        and project.strip()
        and relation != "other"
    ):
        filename = file.get("name") or ""
        stem = name.get("stem") or ""
        suffix = filename[len(stem) :] if stem and filename.startswith(stem) else ""
        sep = settings.get("separator") or "-"
        parts = [naming.sanitize(project)]
        if written and name.get("strict"):
            parts.append(written)
        parts.append(str(name.get("type_name")))
        suggested = sep.join(parts) + (suffix or ".xlsx")
    yield Hit(
        at,
        {
            "name": file.get("name"),
            "project": project,
            "expected": settings["pattern"],
            "advice": f"（{why}）" + (f"，请改名为「{suggested}」" if suggested else ""),
            "advice_en": f" ({why_en})" + (f'; rename it to "{suggested}"' if suggested else ""),
        },
        {
            "name": file.get("name"),
            "read_as": {k: name.get(k) for k in ("project", "token", "type_name")},
            "problem": why,
            "index": True,
            "pattern": settings["pattern"],
            "separator": settings["separator"],
            "suggested_name": suggested,
        },
    )


def _policy_token(precision: Any, first: Any, settings: Mapping[str, Any]) -> str | None:
    """The date part the policy's ``date_formats`` write for a name's date or period."""
    if precision not in naming.DATE_FORMATS or not first:
        return None
    formats = {**naming.DATE_FORMATS, **(settings.get("formats") or {})}
    try:
        day = _day(first)
        if precision == "day":
            return naming.date_token(day, formats=formats)
        return naming.period_token(naming.period_of(precision, day), formats=formats)
    except (KeyError, ValueError, IndexError, TypeError):
        return None


_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")


def _same_token(token: Any, written: str) -> bool:
    """``token`` is ``written``, a number padded with zeros (``2026年09月07日``) counting as it."""
    if not isinstance(token, str):
        return False
    return _LEADING_ZEROS.sub("", token.strip()) == _LEADING_ZEROS.sub("", written)


_NAME_SEQUENCE = re.compile(r"[（(](\d{1,3})[）)]$")


def suggest_name(
    data: Any, file: Mapping[str, Any], name: Mapping[str, Any], settings: Mapping[str, Any]
) -> str | None:
    """The name the file would have under the policy's convention: the archive's project as it
    is written (also for a short form or a guess such as ``ERP二期运维外包项目`` for
    ``ERP-二期运维外包项目``), its date — a report's period as it is counted, else the date the
    name carries — and its type; None when a part is not known, or when the file is another
    project's (naming/project says so: no name here would be right)."""
    if settings["pattern"] != naming.DEFAULT_PATTERN:
        return None
    doc_type = naming.DOC_TYPES.get(file.get("type") or name.get("type_id") or "")
    if doc_type is None:
        return None
    token = None
    if doc_type.period and file.get("period"):
        try:
            period = naming.parse_period(file["period"])
            token = _policy_token(period.kind, period.start, settings)
        except ValueError:
            token = None
    elif name.get("precision") == "day":
        token = _policy_token("day", name.get("first"), settings)
    project = dig(data, "project", "name")
    if _relation(data, name) == "other":
        return None
    if not (isinstance(project, str) and project.strip()):
        project = name.get("project")
    if not token or not isinstance(project, str) or not project.strip():
        return None
    written = name.get("type_name")
    type_name = written if naming.doc_type_by_name(written or "") == doc_type else doc_type.name
    stem = name.get("stem") or ""
    if m := _NAME_SEQUENCE.search(stem):
        type_name += f"（{m[1]}）"
    filename = file.get("name") or ""
    suffix = filename[len(stem) :] if stem and filename.startswith(stem) else ""
    if not suffix:
        suffix = "." + filename.rpartition(".")[2] if "." in filename else doc_type.suffix
    return naming.document_name(
        project, token, type_name, suffix, max_bytes=settings.get("max_bytes") or 255
    )


def date(data: Any) -> Iterator[Hit]:
    for _, file, name, at in _named(data):
        if name.get("real_date") is False:
            type_id = file.get("type") or name.get("type_id")
            type_name = naming.DOC_TYPES[type_id].name if type_id in naming.DOC_TYPES else "文件"
            yield Hit(
                at,
                {"value": name.get("token"), "type": type_name},
                {"value": name.get("token"), "document": type_name, "name": file.get("name")},
            )


def type_(data: Any) -> Iterator[Hit]:
    kind = data.get("kind")
    if kind not in naming.ALL_KINDS:
        return
    for _, file, _, at in _named(data):
        doc_type = naming.DOC_TYPES.get(file.get("type") or "")
        if doc_type is not None and kind not in doc_type.kinds:
            yield Hit(
                at,
                {
                    "type": doc_type.name,
                    "kind": kind,
                    "consequence": "：请核对项目类型（--kind）或文件是否放错了文件夹",
                    "consequence_en": ": check the project's kind (--kind) or whether the file is misplaced",
                },
                {
                    "type": doc_type.id,
                    "kind": kind,
                    "kinds_with_this_type": list(doc_type.kinds),
                    "kind_from": dig(data, "x-archive", "kind", "source"),
                },
            )


def windows_unsafe(data: Any) -> Iterator[Hit]:
    for _, file, _, at in _named(data):
        problems = [p for p in naming.windows_problems(file.get("name") or "") if "bytes" not in p]
        if problems:
            safe = naming.sanitize(file.get("name") or "")
            yield Hit(
                at,
                {
                    "name": file.get("name"),
                    "problems": "; ".join(problems),
                    "safe": safe,
                    "cause": "",
                    "cause_en": "these characters make",
                    "action": "请改名为",
                    "action_en": "rename it to",
                },
                {"name": file.get("name"), "problems": problems, "safe_name": safe},
            )


def too_long(data: Any, limit: int) -> Iterator[Hit]:
    for _, file, _, at in _named(data):
        size = len((file.get("name") or "").encode("utf-8"))
        if size > limit:
            yield Hit(
                at,
                {
                    "name": file.get("name"),
                    "bytes": size,
                    "max_bytes": limit,
                    "count": 1,
                    "cause": "文件名过长：",
                    "cause_en": "file name too long: ",
                },
                {"name": file.get("name"), "bytes": size, "max_bytes": limit},
            )


def duplicate(data: Any) -> Iterator[Hit]:
    """Two files (not one document in two formats) that are the same periodic report, or two files
    of the same name in different folders."""
    seen: dict[tuple[Any, ...], tuple[str, str]] = {}
    others = other_project(data)
    for index, file, name, at in _named(data):
        stem = name.get("stem") or ""
        keys = []
        if file.get("period") and file.get("type") and index not in others:
            keys.append(("period", file["type"], file["period"], bool(file.get("companion"))))
        keys.append(("name", (file.get("name") or "").lower()))
        for key in keys:
            first = seen.get(key)
            if first is None:
                seen[key] = (stem, file.get("rel") or "")
                continue
            if key[0] == "period" and first[0] == stem:
                continue  # the .docx and the .pdf of one report, wherever each is filed
            yield Hit(
                at,
                {
                    "name": file.get("name"),
                    "other": first[1],
                    "clash": "是同一份文件，重复归档" if key[0] == "period" else "同名",
                    "clash_en": "is the same document as"
                    if key[0] == "period"
                    else "has the name of",
                },
                {"name": file.get("rel"), "first": first[1], "period": file.get("period")},
            )
            break


def _squash(text: Any) -> str:
    return "".join(naming.sanitize(str(text)).split()) if text else ""


def project(data: Any) -> Iterator[Hit]:
    expected = dig(data, "project", "name")
    if not isinstance(expected, str) or not expected:
        return
    others = other_project(data)
    for index, file, name, at in _named(data):
        found = name.get("project")
        # A name that breaks the pattern is naming/pattern's; its "project" is only a guess —
        # unless the guess names another project, whose file fills nothing here.
        strict_other = name.get("strict") and _squash(found) != _squash(expected)
        if found and (strict_other or index in others):
            yield Hit(
                at,
                {"name": file.get("name"), "found": found, "project": expected},
                {
                    "name": file.get("name"),
                    "project_in_name": found,
                    "project": expected,
                    "project_from": dig(data, "x-archive", "project", "source"),
                    "relation": _relation(data, name),
                    "counted": index not in others,
                },
            )


def date_mismatch(data: Any, settings: Mapping[str, Any] | None = None) -> Iterator[Hit]:
    """The date in the name is not the document's own date (or period). For a report, the
    finding says which period the file is counted for — its name's, or its content's when the
    filing date it states shows the name is the stale one — and, then, the name it should have."""
    settings = settings or {"pattern": naming.DEFAULT_PATTERN, "formats": naming.DATE_FORMATS}
    for _, file, name, at in _named(data):
        if not name.get("real_date", True) or not name.get("first"):
            continue
        said, read, where = _name_vs_content(file, name)
        if said and read and said != read:
            consequence, consequence_en, suggested = _counted(data, file, name, said, settings)
            yield Hit(
                at,
                {
                    "name": file.get("name"),
                    "token": name.get("token"),
                    "read": read,
                    "place": where or "—",
                    "consequence": consequence,
                    "consequence_en": consequence_en,
                },
                {
                    "name": file.get("name"),
                    "date_in_name": said,
                    "date_in_document": read,
                    "read_at": where,
                    "counted_for": file.get("period"),
                    "suggested_name": suggested,
                },
            )


def _counted(
    data: Any,
    file: Mapping[str, Any],
    name: Mapping[str, Any],
    said: Any,
    settings: Mapping[str, Any],
) -> tuple[str, str, str | None]:
    """(zh, en, suggested name): the period a report with a contradicted name is counted for."""
    doc_type = naming.DOC_TYPES.get(file.get("type") or "")
    period = file.get("period")
    if doc_type is None or not doc_type.period or not isinstance(period, str):
        return "", "", None
    if period == said:
        return (
            f"；按文件名计为 {period} 的{doc_type.name}",
            f"; counted as the {doc_type.period} report of {period}, as named",
            None,
        )
    suggested = suggest_name(data, file, name, settings)
    rename = f"，请改名为「{suggested}」" if suggested else ""
    rename_en = f'; rename it to "{suggested}"' if suggested else ""
    return (
        f"；按报告周期和报送日期计为 {period} 的{doc_type.name}{rename}",
        f"; counted as the {doc_type.period} report of {period} (its period and filing date){rename_en}",
        suggested,
    )


def _name_vs_content(file: dict[str, Any], name: dict[str, Any]) -> tuple[Any, Any, Any]:
    doc_type = naming.DOC_TYPES.get(file.get("type") or "")
    if doc_type is None:
        return None, None, None
    if doc_type.period:
        said = name.get("period_key")
        if name.get("precision") == "day":
            said = naming.period_of(doc_type.period, _day(name["first"])).key
        read = file.get("content_period") or (
            file.get("period") if file.get("period_source") == "custom" else None
        )
        return said, read, file.get("content_period_at")
    if name.get("precision") != "day" or doc_type.id not in OWN_DATE_TYPES:
        return None, None, None
    return name.get("first"), file.get("date"), file.get("date_at")


def _day(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def type_mismatch(data: Any) -> Iterator[Hit]:
    """The name says one type, the document (its itdocs properties) another."""
    for _, file, name, at in _named(data):
        said, actual = name.get("type_id"), file.get("type")
        if said and actual and said != actual and file.get("type_source") == "custom":
            yield Hit(
                at,
                {
                    "name": file.get("name"),
                    "said": naming.DOC_TYPES[said].name,
                    "actual": naming.DOC_TYPES[actual].name,
                },
                {"name": file.get("name"), "type_in_name": said, "type_in_properties": actual},
            )
