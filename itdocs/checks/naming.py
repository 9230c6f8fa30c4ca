"""Naming (文件命名): the names a dossier's documents will get, ``项目名称-日期-类型.ext``.

Every document the dossier describes (需求申请表, 审批单, 合同, each meeting's minutes, each
report, …) gets a name from the policy's ``naming`` parameters — ``pattern`` (default
``{project}-{date}-{type}``), ``separator``, ``max_bytes`` (255) and ``date_formats`` (weekly
reports ``2026年第47周`` so the weeks of a month differ). These checks build those names with
``itdocs.naming`` and report what would make them wrong on the shelf: not parseable back,
not a real date, a type the kind does not have, unsafe on Windows, too long, or the same twice.
Problems caused by the project name are reported once, at ``/project/name``.

On an archive (``itdocs check FOLDER``) the same rules judge the names the files really have
(``itdocs.checks.naming_filed``), one finding per file, and three more compare a name with its
document: the project part, the date part and the type part.

Parameters: ``naming`` (pattern, separator, max_bytes, date_formats).

### naming/pattern
Each name must split back into 项目名称, 日期 and 类型 (from the right, at ``separator``), giving
the project, the date token and a known type again; otherwise an archive check could not read it.

Compliant::

    project: {name: ERP系统运维服务采购项目}   # → ERP系统运维服务采购项目-2026年7月6日-需求申请表.docx

Non-compliant (nothing left for the project part)::

    project: {name: "..."}

In an archive every filed name is judged so: the 日期 part written as ``date_formats`` write it
(a full date, or a report's period token; zero-padded numbers such as ``2026年09月07日`` pass).
``项目-20260907-采购审批单.docx`` or ``项目_周报_20261106.docx`` is still identified by its date and
type and counted, but breaks the convention; the finding gives the name the file should have
(``项目-2026年9月7日-采购审批单.docx``, ``项目-2026年第45周-周报.docx``).

### naming/date
The date part must be a real date: a report for ``2025-W53`` names a week 2025 does not have.

Compliant::

    reports: [{type: weekly, period: 2026-W53, …}]   # 2026 has 53 ISO weeks

Non-compliant::

    reports: [{type: weekly, period: 2025-W53, …}]

### naming/type
A document must be of a type the dossier's kind files (DOMAIN.md's table): an improvement dossier
gets no 服务合同 or 供应商评估表; an informatization dossier no 项目启动会会议纪要 (its kickoff
is filed as 会议纪要).

Compliant::

    kind: procurement
    suppliers: {method: price_comparison, candidates: […]}

Non-compliant::

    kind: improvement
    suppliers: {method: price_comparison, candidates: […]}

### naming/windows-unsafe
Names must be valid on Windows: no ``\\ / : * ? " < > |`` or control characters, no trailing dot
or space. The generator would replace such characters with ``_`` and the filed name would no
longer match the project name.

Compliant::

    project: {name: ERP运维外包项目}

Non-compliant::

    project: {name: "ERP/CRM运维:外包项目?"}

### naming/too-long
A name must fit in ``max_bytes`` bytes of UTF-8 (255; a Chinese character takes 3). Longer
project names are cut and given a short hash, which nobody recognises on the shelf.

Compliant::

    project: {name: 集团ERP系统运维服务外包项目}

Non-compliant::

    project: {name: 集团…（80 个汉字）…项目}   # 240 bytes before date and type

### naming/duplicate
Two documents must not get the same name: two reports for the same period, or a
``date_formats`` entry that cannot tell periods apart (a weekly format without the week).

Compliant::

    reports: [{type: weekly, period: 2026-W45, …}, {type: weekly, period: 2026-W46, …}]

Non-compliant::

    reports: [{type: weekly, period: 2026-W45, …}, {type: weekly, period: 2026-W45, …}]

In an archive: two files that are the same periodic report (``…-2026年第45周-周报.docx`` in two
folders, or named two ways), or two files of the same name. A .docx and its .pdf are one document.

### naming/project
(Archives.) The project part of a file name is the archive's project — inferred as the common
project part of the names, or given with ``--project`` / ``--dossier``.

Compliant::

    ERP运维外包项目-2026年第45周-周报.docx    # in the archive of ERP运维外包项目

Non-compliant::

    ERP运维项目-2026年第45周-周报.docx        # a short form, or another project's file

### naming/date-mismatch
(Archives.) The date part of a file name is the document's own date: a report's period (its
报告周期, or the itdocs properties), a contract's signing date, the meeting's day of minutes, an
acceptance report's 验收日期 — so a file is found where a clerk looks for it.

Compliant: ``…-2026年第45周-周报.docx`` whose 报告周期 is 2026年第45周.
Non-compliant: ``…-2026年第45周-周报.docx`` whose 报告周期 is 2026年第46周.

Which period such a report counts for: its name's, unless the filing date it states (报告日期,
报送日期) fits the 报告周期 better than the name (a copy of last week's file, filled in for this week
and not renamed) and no other file is that period's report. The finding says which period the
file was counted for and, when it is the content's, the name it should have.

### naming/type-mismatch
(Archives.) The type part of the name is what the document is (as its itdocs custom properties
say): a 服务合同 renamed ``…-周报.docx`` would be missed as a contract and counted as a report.

Compliant: a contract named ``…-服务合同.docx``. Non-compliant: the same file named ``…-周报.docx``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from itdocs import naming
from itdocs.access import dig, items, key, pointer, to_date, zone
from itdocs.checks import naming_filed as filed
from itdocs.checks.base import Check, Context, Hit, registrar

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)
READS = ("naming", "timezone")
# As the generator (itdocs/plan.py) names them: a kind's own title for a type, and the KPI
# workbook beside a monthly report.
KIND_TITLES = {
    ("service_scheme", "affiliation"): "挂靠方案",
    ("requirement_form", "informatization"): "两化服务需求申请表",
}
COMPANION_NAME = "月报附表"
try:  # the generator's tables win when it is installed alongside
    from itdocs.plan import COMPANION_NAME, KIND_TITLES
except ImportError:  # pragma: no cover
    pass


@dataclass(frozen=True)
class Planned:
    """A document the dossier describes and the name it will get."""

    type_id: str
    token: str | None  # the date part; None when the date is not real
    name: str | None  # as generated (sanitized, cut to size)
    raw: str | None  # the same without sanitizing or cutting
    at: str  # pointer of the section the document comes from
    date_at: str  # pointer of the value the date part comes from
    date_value: Any
    type_name: str = ""  # the 类型 part: the type's name, or the kind's own title (挂靠方案)


def _settings(params: Mapping[str, Any]) -> dict[str, Any]:
    settings = params.get("naming") if isinstance(params.get("naming"), dict) else {}
    formats = settings.get("date_formats") if isinstance(settings.get("date_formats"), dict) else {}
    return {
        "pattern": settings.get("pattern") or naming.DEFAULT_PATTERN,
        "separator": settings.get("separator") or "-",
        "max_bytes": settings.get("max_bytes") or naming.MAX_NAME_BYTES,
        "formats": {**naming.DATE_FORMATS, **formats},
    }


def _sources(data: dict[str, Any], tz: Any) -> Iterator[tuple[str, str, str, Any]]:
    """(type id, section pointer, date pointer, date value or Period key) per document."""
    requirement = data.get("requirement")
    if isinstance(requirement, dict):
        yield "requirement_form", "/requirement", "/requirement/date", requirement.get("date")
    approvals = list(items(data, "approvals"))
    if approvals:
        dated = [(to_date(a.get("date"), tz), i) for i, a in approvals]
        dated = [d for d in dated if d[0]] or [(None, approvals[-1][0])]
        index = max(dated, key=lambda d: d[0] or dt.date.min)[1]
        yield (
            "approval_sheet",
            "/approvals",
            pointer("approvals", index, "date"),
            dig(data, "approvals", index, "date"),
        )
    for section, type_id, date_key in (
        ("suppliers", "supplier_evaluation", "date"),
        ("scheme", "service_scheme", "date"),
    ):
        if isinstance(data.get(section), dict):
            yield type_id, f"/{section}", f"/{section}/{date_key}", dig(data, section, date_key)
    contract = data.get("contract")
    if isinstance(contract, dict):
        field_name = "signed_date" if "signed_date" in contract else "start_date"
        yield "contract", "/contract", f"/contract/{field_name}", contract.get(field_name)
    kickoff_type = (
        "kickoff_minutes"
        if data.get("kind") in naming.DOC_TYPES["kickoff_minutes"].kinds
        else "meeting_minutes"
    )
    for index, meeting in items(data, "meetings"):
        type_id = kickoff_type if meeting.get("type") == "kickoff" else "meeting_minutes"
        yield (
            type_id,
            pointer("meetings", index),
            pointer("meetings", index, "start"),
            meeting.get("start"),
        )
    for index, report in items(data, "reports"):
        if key(report.get("type")) in naming.PERIODIC:
            yield (
                naming.PERIODIC[report["type"]].id,
                pointer("reports", index),
                pointer("reports", index, "period"),
                ("period", report.get("period")),
            )
    for index, change in items(data, "changes"):
        yield (
            "change_request",
            pointer("changes", index),
            pointer("changes", index, "date"),
            change.get("date"),
        )
    for section, type_id in (
        ("acceptance", "acceptance_report"),
        ("performance", "performance_evaluation"),
    ):
        if isinstance(data.get(section), dict):
            yield type_id, f"/{section}", f"/{section}/date", dig(data, section, "date")
    risks = list(items(data, "risks"))
    if risks:
        dated = [(to_date(r.get("identified"), tz), i) for i, r in risks]
        dated = [d for d in dated if d[0]]
        if dated:
            index = max(dated)[1]
            yield (
                "risk_register",
                "/risks",
                pointer("risks", index, "identified"),
                dig(data, "risks", index, "identified"),
            )
        else:
            yield "risk_register", "/risks", "/requirement/date", dig(data, "requirement", "date")
    if isinstance(dig(data, "improvement", "trial_run", "report"), dict):
        yield (
            "trial_run_report",
            "/improvement/trial_run/report",
            "/improvement/trial_run/report/date",
            dig(data, "improvement", "trial_run", "report", "date"),
        )


def _token(value: Any, settings: dict[str, Any], tz: Any) -> str | None:
    formats = settings["formats"]
    if isinstance(value, tuple):  # a report period key
        try:
            return naming.period_token(naming.parse_period(str(value[1])), formats=formats)
        except (ValueError, KeyError, IndexError):
            return None
    day = to_date(value, tz)
    if day is None:
        return None
    try:
        return naming.date_token(day, formats=formats)
    except (KeyError, IndexError, ValueError):
        return None


def planned_documents(data: Any, params: Mapping[str, Any]) -> list[Planned]:
    """The documents a dossier describes, each with the name it will get."""
    if not isinstance(data, dict):
        return []
    settings = _settings(params)
    tz = zone(params.get("timezone"))
    project = dig(data, "project", "name")
    project = project if isinstance(project, str) else None
    out = []
    for type_id, at, date_at, value in _sources(data, tz):
        doc_type = naming.DOC_TYPES[type_id]
        token = _token(value, settings, tz)
        type_names = [
            (KIND_TITLES.get((type_id, key(data.get("kind"))), doc_type.name), doc_type.suffix)
        ]
        if (
            type_id == "monthly_report"
            and isinstance(dig(data, *_parts(at)), dict)
            and (dig(data, *_parts(at), "kpis") or dig(data, *_parts(at), "cost"))
        ):
            type_names.append((COMPANION_NAME, ".xlsx"))  # the KPI workbook filed beside it
        for type_name, suffix in type_names:
            name = raw = None
            if project is not None and token is not None:
                try:
                    raw = (
                        settings["pattern"].format(project=project, date=token, type=type_name)
                        + suffix
                    )
                    name = naming.document_name(
                        project,
                        token,
                        type_name,
                        suffix,
                        pattern=settings["pattern"],
                        max_bytes=settings["max_bytes"],
                    )
                except (KeyError, IndexError, ValueError):
                    name = raw = None
            out.append(
                Planned(
                    type_id,
                    token,
                    name,
                    raw,
                    at,
                    date_at,
                    value[1] if isinstance(value, tuple) else value,
                    type_name,
                )
            )
    return out


def _parts(at: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in at.split("/")[1:]]


@check("naming/pattern", reads=READS, args=("name", "project", "expected", "advice", "advice_en"))
def pattern(data: Any, ctx: Context) -> Iterator[Hit]:
    settings = _settings(ctx.params)
    if filed.is_archive(data):
        yield from filed.pattern(data, settings)
        return
    project = dig(data, "project", "name")
    if isinstance(project, str) and not naming.sanitize(project).strip("_ "):
        yield Hit(
            "/project/name",
            {
                "name": "",
                "project": project,
                "expected": settings["pattern"],
                "advice": "",
                "advice_en": "",
            },
            {"project": project, "pattern": settings["pattern"]},
        )
        return
    for doc in planned_documents(data, ctx.params):
        if doc.name is None:
            continue
        parsed = naming.parse_name(doc.name, separator=settings["separator"])
        doc_type = naming.DOC_TYPES[doc.type_id]
        ok = (
            parsed is not None
            and naming.doc_type_by_name(parsed.type_name) == doc_type
            and parsed.date == naming.sanitize(doc.token or "")
            and naming.parse_date_token(parsed.date) is not None
        )
        if not ok:
            yield Hit(
                doc.date_at,
                {
                    "name": doc.name,
                    "project": project,
                    "expected": settings["pattern"],
                    "advice": "",
                    "advice_en": "",
                },
                {
                    "name": doc.name,
                    "parsed": parsed.__dict__ if parsed else None,
                    "pattern": settings["pattern"],
                    "separator": settings["separator"],
                },
            )


_PERIOD_SHAPE = re.compile(r"^\d{4}-(W\d{2}|\d{2}|Q[1-4])$")


@check("naming/date", reads=READS, args=("value", "type"))
def date(data: Any, ctx: Context) -> Iterator[Hit]:
    if filed.is_archive(data):
        yield from filed.date(data)
        return
    for doc in planned_documents(data, ctx.params):
        # A malformed value is the schema's finding; this one is about well-formed unreal dates.
        shaped = isinstance(doc.date_value, str) and _PERIOD_SHAPE.match(doc.date_value)
        if doc.token is None and shaped and naming.DOC_TYPES[doc.type_id].period:
            yield Hit(
                doc.date_at,
                {"value": doc.date_value, "type": naming.DOC_TYPES[doc.type_id].name},
                {"value": doc.date_value, "document": naming.DOC_TYPES[doc.type_id].name},
            )


@check(
    "naming/type",
    reads=READS,
    args=("type", "kind", "consequence", "consequence_en"),
    name="naming.type",
)
def type_(data: Any, ctx: Context) -> Iterator[Hit]:
    if filed.is_archive(data):
        yield from filed.type_(data)
        return
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind not in naming.ALL_KINDS:
        return
    seen = set()
    for doc in planned_documents(data, ctx.params):
        doc_type = naming.DOC_TYPES[doc.type_id]
        if kind not in doc_type.kinds and doc.at not in seen:
            seen.add(doc.at)
            yield Hit(
                doc.at,
                {
                    "type": doc_type.name,
                    "kind": kind,
                    "consequence": "，此部分不会按该类型生成和归档",
                    "consequence_en": "; this section will not be filed as one",
                },
                {"type": doc_type.id, "kind": kind, "kinds_with_this_type": list(doc_type.kinds)},
            )


@check(
    "naming/windows-unsafe",
    reads=READS,
    args=("name", "problems", "safe", "cause", "cause_en", "action", "action_en"),
)
def windows_unsafe(data: Any, ctx: Context) -> Iterator[Hit]:
    settings = _settings(ctx.params)
    if filed.is_archive(data):
        yield from filed.windows_unsafe(data)
        return
    for doc in planned_documents(data, ctx.params):
        if doc.raw is None:
            continue
        # Length is naming/too-long's business; judge the name as if it fitted.
        problems = [p for p in naming.windows_problems(doc.raw) if "bytes of UTF-8" not in p]
        project = dig(data, "project", "name")
        if isinstance(project, str) and project != project.strip():
            problems.append("has leading or trailing spaces")
        if problems:
            yield Hit(
                "/project/name",
                {
                    "name": doc.raw,
                    "problems": "; ".join(problems),
                    "safe": doc.name,
                    "cause": "项目名称使",
                    "cause_en": "the project name makes",
                    "action": "生成时将改为",
                    "action_en": "it would be written as",
                },
                {
                    "name": doc.raw,
                    "problems": problems,
                    "generated_name": doc.name,
                    "pattern": settings["pattern"],
                },
            )
            return  # the project name is the cause: once is enough


@check(
    "naming/too-long",
    reads=READS,
    args=("name", "bytes", "max_bytes", "count", "cause", "cause_en"),
)
def too_long(data: Any, ctx: Context) -> Iterator[Hit]:
    limit = _settings(ctx.params)["max_bytes"]
    if filed.is_archive(data):
        yield from filed.too_long(data, limit)
        return
    long = [(len(d.raw.encode("utf-8")), d) for d in planned_documents(data, ctx.params) if d.raw]
    long = [(size, d) for size, d in long if size > limit]
    if long:
        size, doc = max(long, key=lambda pair: pair[0])
        yield Hit(
            "/project/name",
            {
                "name": doc.raw,
                "bytes": size,
                "max_bytes": limit,
                "count": len(long),
                "cause": "项目名称过长：",
                "cause_en": "project name too long: ",
            },
            {
                "longest_name": doc.raw,
                "bytes": size,
                "max_bytes": limit,
                "documents_affected": len(long),
                "generated_name": doc.name,
            },
        )


@check("naming/duplicate", reads=READS, args=("name", "other", "clash", "clash_en"))
def duplicate(data: Any, ctx: Context) -> Iterator[Hit]:
    if filed.is_archive(data):
        yield from filed.duplicate(data)
        return
    first: dict[str, Planned] = {}
    for doc in planned_documents(data, ctx.params):
        if doc.name is None or naming.DOC_TYPES[doc.type_id].period is None:
            continue  # same-day minutes or change requests get a sequence number （2）
        if doc.name in first:
            yield Hit(
                doc.date_at,
                {
                    "name": doc.name,
                    "other": first[doc.name].date_at,
                    "clash": "的文件重名",
                    "clash_en": "is also the name of the document at",
                },
                {
                    "name": doc.name,
                    "first": first[doc.name].date_at,
                    "first_period": first[doc.name].date_value,
                    "period": doc.date_value,
                },
            )
        else:
            first[doc.name] = doc


@check("naming/project", reads=READS, args=("name", "found", "project"))
def project(data: Any, ctx: Context) -> Iterator[Hit]:
    if filed.is_archive(data):
        yield from filed.project(data)


@check(
    "naming/date-mismatch",
    reads=READS,
    args=("name", "token", "read", "place", "consequence", "consequence_en"),
)
def date_mismatch(data: Any, ctx: Context) -> Iterator[Hit]:
    if filed.is_archive(data):
        yield from filed.date_mismatch(data, _settings(ctx.params))


@check("naming/type-mismatch", reads=READS, args=("name", "said", "actual"))
def type_mismatch(data: Any, ctx: Context) -> Iterator[Hit]:
    if filed.is_archive(data):
        yield from filed.type_mismatch(data)
