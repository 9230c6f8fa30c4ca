"""The naming convention 项目名称-日期-类型.ext: document types, date tokens, safe names, parsing.

Generation builds names with ``document_name``; the naming checks parse them back with
``parse_name``. Both follow the same policy parameters (``naming`` in rules/default.yaml).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass

MAX_NAME_BYTES = 255
DEFAULT_PATTERN = "{project}-{date}-{type}"
WINDOWS_FORBIDDEN = set('\\/:*?"<>|')
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                   *(f"LPT{i}" for i in range(1, 10))}

ALL_KINDS = ("procurement", "affiliation", "informatization", "outsourcing", "improvement")


@dataclass(frozen=True)
class DocType:
    """A document type the toolkit generates and the checker recognizes."""

    id: str
    name: str  # the 类型 part of a file name
    suffix: str
    kinds: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    period: str | None = None  # weekly / monthly / quarterly for periodic reports


DOC_TYPES: dict[str, DocType] = {
    d.id: d
    for d in (
        DocType("requirement_form", "需求申请表", ".docx", ALL_KINDS, ("两化服务需求申请表", "需求申请单", "需求表")),
        DocType("approval_sheet", "采购审批单", ".docx", ("procurement", "outsourcing", "informatization"), ("审批单", "审批表")),
        DocType("supplier_evaluation", "供应商评估表", ".xlsx", ("procurement", "outsourcing"), ("供应商评价表",)),
        DocType("service_scheme", "服务方案", ".docx", ("informatization", "affiliation"), ("挂靠方案", "实施方案")),
        DocType("contract", "服务合同", ".docx", ("procurement", "affiliation", "informatization", "outsourcing"), ("合同", "外包合同", "挂靠合同")),
        DocType("kickoff_minutes", "项目启动会会议纪要", ".docx", ("procurement", "outsourcing"), ("启动会会议纪要", "启动会纪要")),
        DocType("meeting_minutes", "会议纪要", ".docx", ALL_KINDS, ("会议记录",)),
        DocType("weekly_report", "周报", ".docx", ALL_KINDS, ("项目周报",), "weekly"),
        DocType("monthly_report", "月报", ".docx", ALL_KINDS, ("项目月报", "月报附表"), "monthly"),
        DocType("quarterly_report", "季报", ".docx", ALL_KINDS, ("项目季报",), "quarterly"),
        DocType("change_request", "变更申请单", ".docx", ALL_KINDS, ("变更申请表", "变更单")),
        DocType("acceptance_report", "验收报告", ".docx", ("procurement", "affiliation", "informatization", "outsourcing"), ("项目验收报告",)),
        DocType("performance_evaluation", "绩效评价表", ".xlsx", ("procurement", "outsourcing"), ("绩效评估表",)),
        DocType("risk_register", "风险登记册", ".xlsx", ALL_KINDS, ("风险登记表",)),
        DocType("trial_run_report", "试运行评估报告", ".docx", ("improvement",), ("试运行报告",)),
    )
}

PERIODIC = {d.period: d for d in DOC_TYPES.values() if d.period}

# A folder's own index — the clerk's 归档台账 / 归档目录, or the 项目台账 ``itdocs ledger`` writes:
# a list of the documents, not one of them. It is kept up to date, so its name needs no date
# (``ERP运维外包项目-归档台账.xlsx``; ``项目名称-日期-归档台账`` is fine too), and it files no
# report or stage of the project. Longest first (归档台账 before 台账).
INDEX_NAMES = ("项目台账", "归档台账", "档案台账", "归档目录", "档案目录", "文件目录", "归档清单", "文件清单", "台账")


def project_key(text: str | None) -> str:
    """A project name reduced for comparison: NFKC, case folded, letters and digits only
    (``ERP-二期 运维外包项目`` and ``ERP二期运维外包项目`` are one key)."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


def project_relation(found: str | None, expected: str | None, *, strict: bool = True) -> str | None:
    """How the 项目名称 part of a file name relates to the archive's project: ``same`` (the same
    name, separators and case aside), ``short`` (one is the other with characters left out — a
    short form such as ``OA运维项目`` for ``OA运维外包项目``, ``ERP二期`` for
    ``ERP-二期运维外包项目``, or a guess with extra words), ``other`` (another project's name),
    or None when either is unknown. A name that breaks the pattern (``strict`` False) only
    guesses its project part, so it is ``other`` only when the guess names a project (项目)."""
    a, b = project_key(found), project_key(expected)
    if not a or not b:
        return None
    if a == b:
        return "same"
    if _subsequence(a, b) or _subsequence(b, a):
        return "short"
    if not strict and "项目" not in a:
        return None
    return "other"


def doc_type_by_name(name: str) -> DocType | None:
    """The document type a 类型 text names (its name or an alias), or None."""
    for doc_type in DOC_TYPES.values():
        if name == doc_type.name or name in doc_type.aliases:
            return doc_type
    return None


# --- date tokens ------------------------------------------------------------------------------

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Period:
    """A report period: ``2026-W47``, ``2026-10`` or ``2026-Q3``, with its first and last day."""

    kind: str  # weekly / monthly / quarterly
    key: str
    start: dt.date
    end: dt.date


def parse_period(key: str) -> Period:
    """Parse a period key; ValueError when it is not one."""
    if m := _WEEK.match(key):
        start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return Period("weekly", key, start, start + dt.timedelta(days=6))
    if m := _MONTH.match(key):
        year, month = int(m[1]), int(m[2])
        start = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return Period("monthly", key, start, nxt - dt.timedelta(days=1))
    if m := _QUARTER.match(key):
        year, quarter = int(m[1]), int(m[2])
        start = dt.date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        nxt = dt.date(year + (end_month == 12), end_month % 12 + 1, 1)
        return Period("quarterly", key, start, nxt - dt.timedelta(days=1))
    raise ValueError(f"not a report period: {key!r} (use 2026-W47, 2026-10 or 2026-Q3)")


def period_of(kind: str, day: dt.date) -> Period:
    """The weekly/monthly/quarterly period containing ``day``."""
    if kind == "weekly":
        year, week, _ = day.isocalendar()
        return parse_period(f"{year}-W{week:02d}")
    if kind == "monthly":
        return parse_period(f"{day.year}-{day.month:02d}")
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def periods_between(kind: str, first: dt.date, last: dt.date) -> list[Period]:
    """Every period of ``kind`` that overlaps [first, last], in order."""
    out: list[Period] = []
    period = period_of(kind, first)
    while period.start <= last:
        out.append(period)
        period = period_of(kind, period.end + dt.timedelta(days=1))
    return out


DATE_FORMATS = {
    "day": "{year}年{month}月{day}日",
    "weekly": "{year}年第{week}周",
    "monthly": "{year}年{month}月",
    "quarterly": "{year}年第{quarter}季度",
}


def date_token(day: dt.date, *, formats: dict[str, str] | None = None) -> str:
    fmt = (formats or DATE_FORMATS)["day"]
    return fmt.format(year=day.year, month=day.month, day=day.day)


def period_token(period: Period | str, *, formats: dict[str, str] | None = None) -> str:
    p = parse_period(period) if isinstance(period, str) else period
    fmt = (formats or DATE_FORMATS)[p.kind]
    year, week, _ = p.start.isocalendar()
    return fmt.format(
        year=year if p.kind == "weekly" else p.start.year, week=week, month=p.start.month,
        quarter=(p.start.month - 1) // 3 + 1,
    )


_TOKEN_PATTERNS = (
    ("weekly", re.compile(r"^(\d{4})年第(\d{1,2})周$")),
    ("quarterly", re.compile(r"^(\d{4})年第([1-4])季度$")),
    ("day", re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")),
    ("monthly", re.compile(r"^(\d{4})年(\d{1,2})月$")),
    ("day", re.compile(r"^(\d{4})(\d{2})(\d{2})$")),
    ("day", re.compile(r"^(\d{4})[.-](\d{1,2})[.-](\d{1,2})$")),
)


def parse_date_token(token: str) -> tuple[str, dt.date, dt.date] | None:
    """(precision, first day, last day) of a date token, or None when it is not a real date."""
    for precision, rx in _TOKEN_PATTERNS:
        m = rx.match(token)
        if not m:
            continue
        try:
            if precision == "day":
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
                return precision, day, day
            if precision == "weekly":
                p = parse_period(f"{m[1]}-W{int(m[2]):02d}")
            elif precision == "monthly":
                p = parse_period(f"{m[1]}-{int(m[2]):02d}")
            else:
                p = parse_period(f"{m[1]}-Q{m[2]}")
            return precision, p.start, p.end
        except ValueError:
            return None
    return None


# --- safe names -------------------------------------------------------------------------------


def sanitize(text: str) -> str:
    """A name part safe on Windows, macOS and Linux: no separators, reserved or control characters."""
    text = unicodedata.normalize("NFC", text)
    out = "".join("_" if (ch in WINDOWS_FORBIDDEN or ord(ch) < 32 or ord(ch) == 127) else ch for ch in text)
    out = re.sub(r"\s+", " ", out).strip().rstrip(". ")
    out = out.replace("..", "_")
    if out.split(".")[0].upper() in WINDOWS_DEVICES:
        out = "_" + out
    return out or "_"


def windows_problems(name: str) -> list[str]:
    """What makes a file name invalid on Windows or too long (empty list: fine)."""
    problems = []
    bad = sorted({ch for ch in name if ch in WINDOWS_FORBIDDEN or ord(ch) < 32})
    if bad:
        problems.append("contains " + " ".join(repr(c) for c in bad))
    if name != name.rstrip(". "):
        problems.append("ends with a dot or space")
    if name.split(".")[0].upper() in WINDOWS_DEVICES:
        problems.append("is a reserved Windows device name")
    size = len(name.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        problems.append(f"is {size} bytes of UTF-8 (limit {MAX_NAME_BYTES})")
    return problems


def document_name(project: str, date: str, type_name: str, suffix: str, *,
                  pattern: str = DEFAULT_PATTERN, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``项目名称-日期-类型.ext``; an over-long project part is cut, with a short hash to stay unique."""
    project_part, date_part, type_part = sanitize(project), sanitize(date), sanitize(type_name)
    name = pattern.format(project=project_part, date=date_part, type=type_part) + suffix
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    digest = "~" + hashlib.sha256(project.encode("utf-8")).hexdigest()[:6]
    fixed = len((pattern.format(project="", date=date_part, type=type_part) + suffix + digest).encode("utf-8"))
    budget = max_bytes - fixed
    cut = project_part.encode("utf-8")[: max(budget, 0)].decode("utf-8", errors="ignore").rstrip(". ")
    return pattern.format(project=cut + digest, date=date_part, type=type_part) + suffix


@dataclass(frozen=True)
class ParsedName:
    project: str
    date: str
    type_name: str
    sequence: int | None
    suffix: str


_SEQUENCE = re.compile(r"^(.*?)（(\d+)）$|^(.*?)\((\d+)\)$")


def parse_name(filename: str, *, separator: str = "-") -> ParsedName | None:
    """Split ``项目名称-日期-类型[（n）].ext`` from the right (project names may contain '-')."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, ""
    parts = stem.rsplit(separator, 2)
    if len(parts) != 3 or not all(p.strip() for p in parts):
        return None
    project, date, type_name = parts
    sequence = None
    if m := _SEQUENCE.match(type_name):
        type_name = m[1] if m[1] is not None else m[3]
        sequence = int(m[2] or m[4])
    return ParsedName(project, date, type_name, sequence, "." + suffix if suffix else "")
