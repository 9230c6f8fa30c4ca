"""What a filed document is, from its name: project, date token, type — strictly and leniently.

The naming rule (``项目名称-日期-类型``, the policy's ``naming``) is judged strictly by the naming
checks; *identifying* a document is lenient on purpose, so a badly named file still counts for what
it is: ``ERP运维项目_周报_2026年第42周.docx`` breaks the pattern (a ``naming/pattern`` finding) but is
still the weekly report of week 42, and the week is not reported missing as well.

Strict: split from the right at the separator into three parts; the date part must be a date token
(``2026年9月1日``, ``2026年第42周``, ``2026年10月``, ``2026年第3季度``) and the type part a known type
name or alias, with an optional sequence ``（2）``. Lenient: the longest known type word anywhere in
the name, the first date or period written anywhere in it (``2026.9.1``, ``2026-W42``, ``20260901``
too), and what is left as the project.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from itdocs import naming
from itdocs.extract.dates import dates_and_periods
from itdocs.extract.model import Period as TextPeriod

# Type words, longest first, so 项目启动会会议纪要 wins over 会议纪要 and 月报附表 over 月报.
_TYPE_WORDS: tuple[tuple[str, naming.DocType], ...] = tuple(
    sorted(
        ((word, t) for t in naming.DOC_TYPES.values() for word in (t.name, *t.aliases)),
        key=lambda pair: -len(pair[0]),
    )
)
_SEPARATORS = re.compile(r"[-_—–－‐‑―＿\s·．.、（）()\[\]【】]+")
_SEQUENCE = re.compile(r"[（(](\d{1,3})[）)]$")
_COMPACT_DAY = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")


@dataclass(frozen=True)
class NameFacts:
    """What a file name says. ``strict`` is True when it follows the naming pattern exactly."""

    stem: str
    suffix: str
    project: str | None
    token: str | None  # the date part as written (``2026年第42周``)
    precision: str | None  # day / weekly / monthly / quarterly (of the token)
    first: dt.date | None  # the token's first and last day
    last: dt.date | None
    type_id: str | None
    type_name: str | None  # the 类型 word as written (``月报附表``, ``合同``)
    strict: bool
    sequence: int | None = None
    real_date: bool = True  # False when the token is date-shaped but no real date (2月30日)

    @property
    def period_key(self) -> str | None:
        """``2026-W42`` / ``2026-10`` / ``2026-Q3`` for a period token, else None."""
        if self.precision in ("weekly", "monthly", "quarterly") and self.first is not None:
            return naming.period_of(self.precision, self.first).key
        return None


def _type_of(word: str) -> naming.DocType | None:
    word = _SEQUENCE.sub("", word.strip())
    return naming.doc_type_by_name(word)


_DATE_SHAPED = re.compile(r"^\d{4}(年|[-.]|\d{4}$)")


# What a clerk appends to a type without making it another document: a draft's or a copy's state.
_DECORATION = re.compile(
    r"^(?:[^\u4e00-\u9fff]|终稿|定稿|初稿|草稿|修订|最终|正式|盖章|签字|签章|扫描|副本|复印|原件|电子)"
)


def _decorated(word: str, known: str) -> bool:
    """``word`` is the known type ``known`` with a decoration after it (``周报:定稿``, ``月报终稿``)."""
    return (
        word.startswith(known)
        and len(word) > len(known)
        and bool(_DECORATION.match(word[len(known) :]))
    )


def _unknown_type(stem: str, suffix: str, separator: str) -> NameFacts | None:
    """A name that follows the pattern with a 类型 itdocs does not know (``合同备案表``,
    ``现状评估报告``): the clerk named its type, so it is that unknown type — not the known one a
    word inside it names (a 合同备案表 is a filing record, not a contract). A 类型 that *ends* in a
    known one (``运维服务合同``) is that one: the last word of a Chinese compound is its head."""
    parsed = naming.parse_name(stem + suffix, separator=separator)
    if parsed is None:
        return None
    word = _SEQUENCE.sub("", parsed.type_name.strip())
    found = naming.parse_date_token(parsed.date.strip())
    if not word or found is None or any(_decorated(word, known) for known, _ in _TYPE_WORDS):
        return None  # 周报:定稿, 月报（终稿）, 合同盖章版: the known type, read leniently
    head = next((t for known, t in _TYPE_WORDS if word.endswith(known)), None)
    precision, first, last = found
    return NameFacts(
        stem,
        suffix,
        parsed.project.strip(),
        parsed.date.strip(),
        precision,
        first,
        last,
        head.id if head else None,
        word,
        strict=head is None,  # a known type under another word is not the convention's name
        sequence=parsed.sequence,
    )


def _strict(stem: str, suffix: str, separator: str) -> NameFacts | None:
    parsed = naming.parse_name(stem + suffix, separator=separator)
    if parsed is None:
        return None
    doc_type = naming.doc_type_by_name(parsed.type_name)
    token = parsed.date.strip()
    found = naming.parse_date_token(token)
    if doc_type is None or (found is None and not _DATE_SHAPED.match(token)):
        return None
    precision, first, last = found if found else (None, None, None)
    return NameFacts(
        stem,
        suffix,
        parsed.project.strip(),
        token,
        precision,
        first,
        last,
        doc_type.id,
        parsed.type_name,
        strict=found is not None,
        sequence=parsed.sequence,
        real_date=found is not None,
    )


def _period_precision(period: TextPeriod) -> str | None:
    return {"week": "weekly", "month": "monthly", "quarter": "quarterly"}.get(period.kind)


def _lenient_date(stem: str) -> tuple[str | None, str | None, dt.date | None, dt.date | None]:
    """(token as written, precision, first, last) of the first date or period in ``stem``."""
    dates, periods = dates_and_periods(stem)
    for kind in ("week", "quarter"):
        for period in periods:
            if period.kind == kind:
                return period.text, _period_precision(period), period.start, period.end
    if dates:
        value, start, end = dates[0]
        day = value.date() if isinstance(value, dt.datetime) else value
        return stem[start:end], "day", day, day
    m = _COMPACT_DAY.search(stem)
    if m:
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return m[0], "day", day, day
        except ValueError:
            pass
    for period in periods:
        if period.kind == "month":
            return period.text, "monthly", period.start, period.end
    return None, None, None, None


def read_name(filename: str, *, separator: str = "-") -> NameFacts:
    """What ``filename`` (no folder) says about the document, strictly when it can."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot or not stem or " " in suffix or len(suffix) > 5:
        stem, suffix = filename, ""
    else:
        suffix = "." + suffix
    strict = _strict(stem, suffix, separator)
    if strict is not None:
        return strict
    index = _index(stem, suffix, separator)
    if index is not None:
        return index
    unknown = _unknown_type(stem, suffix, separator)
    if unknown is not None:
        return unknown
    type_word, doc_type = None, None
    for word, candidate in _TYPE_WORDS:
        if len(word) >= 2 and word in stem:
            type_word, doc_type = word, candidate
            break
    token, precision, first, last = _lenient_date(stem)
    return NameFacts(
        stem,
        suffix,
        _rest(stem, token, type_word, separator),
        token,
        precision,
        first,
        last,
        doc_type.id if doc_type else None,
        type_word,
        strict=False,
    )


# A period written without its year (``（第39周）``, ``第3季度``): not a date token, and not part of
# the project's name either.
_YEARLESS = re.compile(
    r"第\s*\d{1,2}\s*周|第\s*[1-4一二三四]\s*季度?|\d{1,2}\s*月份?(?:\s*\d{1,2}\s*日)?"
)
_EDGES = re.compile(r"^[-_—–－‐‑―＿\s·．.、（）()\[\]【】]+|[-_—–－‐‑―＿\s·．.、（）()\[\]【】]+$")


def _rest(stem: str, token: str | None, word: str | None, separator: str) -> str | None:
    """The project part of a name that breaks the pattern: what is left without the date and
    the type, the separators around them dropped; inside it, the policy's separator is kept as
    written (``ERP-二期运维外包项目``), other separators and spaces are dropped."""
    rest = stem
    for part in (token, word):
        if part:
            rest = rest.replace(part, "\0", 1)
    rest = _SEQUENCE.sub("\0", rest)
    if token is None:
        rest = _YEARLESS.sub("\0", rest)
    pieces = [_EDGES.sub("", piece) for piece in rest.split("\0")]
    kept = []
    for piece in pieces:
        parts = [_SEPARATORS.sub("", p) for p in piece.split(separator)] if separator else [piece]
        piece = separator.join(p for p in parts if p)
        if piece:
            kept.append(piece)
    return "".join(kept) or None


def _index(stem: str, suffix: str, separator: str) -> NameFacts | None:
    """A folder's own index (``naming.INDEX_NAMES``): ``项目名称-归档台账`` or
    ``项目名称-日期-归档台账`` follows the convention; any other name holding the word is still
    the index (not strict). None when the name holds a document type's word."""
    word = next((w for w in naming.INDEX_NAMES if w in stem), None)
    if word is None or any(len(w) >= 2 and w in stem for w, _ in _TYPE_WORDS):
        return None
    head, sep, tail = stem.rpartition(separator) if separator else ("", "", stem)
    if sep and _SEQUENCE.sub("", tail).strip() == word and head.strip():
        project, token, found = head.strip(), None, None
        before, sep2, last = head.rpartition(separator)
        if sep2 and before.strip():
            found = naming.parse_date_token(last.strip())
            if found:
                project, token = before.strip(), last.strip()
        if token is not None or not _DATE_SHAPED.match(project.rpartition(separator)[2].strip()):
            precision, first, last_day = found if found else (None, None, None)
            m = _SEQUENCE.search(tail)
            return NameFacts(
                stem,
                suffix,
                project,
                token,
                precision,
                first,
                last_day,
                None,
                word,
                strict=True,
                sequence=int(m[1]) if m else None,
            )
    token, precision, first, last = _lenient_date(stem)
    return NameFacts(
        stem,
        suffix,
        _rest(stem, token, word, separator),
        token,
        precision,
        first,
        last,
        None,
        word,
        strict=False,
    )


def is_index(name: NameFacts | None) -> bool:
    """Whether the name is a folder's index (归档台账 …), not a filed document."""
    return name is not None and name.type_id is None and name.type_name in naming.INDEX_NAMES


# A range whose second date drops the year, written with dots or slashes as forms do:
# ``2026.9.14-9.18``, ``2026/09/14~09/18``, ``2026.9.14-18`` (the CJK ``2026年9月14日至9月18日``
# is read by itdocs.extract.dates already).
_SHORT_RANGE = re.compile(
    r"(?<!\d)(20\d{2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{1,2})\s*(?:至|到|~|～|—|–|-|－)\s*"
    r"(?:(\d{1,2})\s*[./]\s*)?(\d{1,2})(?![\d./])"
)


def short_range(text: str) -> TextPeriod | None:
    """The first range written ``2026.9.14-9.18`` in ``text`` (year, month and day once, the
    second date's month and day, or its day alone), or None."""
    m = _SHORT_RANGE.search(text or "")
    if m is None:
        return None
    year, month = int(m[1]), int(m[2])
    to_month = int(m[4]) if m[4] else month
    try:
        first = dt.date(year, month, int(m[3]))
        last = dt.date(year + (to_month < month), to_month, int(m[5]))  # 2026.12.28-1.1
    except ValueError:
        return None
    if last < first:
        return None
    return TextPeriod("range", first, last, m[0])


def period_key_of(period: TextPeriod | None) -> str | None:
    """The naming period key of a period read from a document: a week, month or quarter — or a
    range that is exactly one (``2026年11月2日至2026年11月8日`` is 2026-W45), or a range of days
    within one ISO week, as weekly reports write their week: Monday to Friday
    (``2026.04.27~2026.05.01`` is 2026-W18), Monday to Saturday, or a part of the week."""
    if period is None:
        return None
    precision = _period_precision(period)
    if precision:
        return naming.period_of(precision, period.start).key
    if period.kind == "range":
        for kind in ("weekly", "monthly", "quarterly"):
            exact = naming.period_of(kind, period.start)
            if exact.start == period.start and exact.end == period.end:
                return exact.key
        return work_week_of(period.start, period.end)
    return None


def work_week_of(first: dt.date, last: dt.date) -> str | None:
    """The ISO week a range of days written as a report's week stands for: the range lies within
    that week (a work week ``周一至周五``, ``周一至周六``, or part of the week), or is a week that
    starts on another day (``周日至周六``) with at least five of its days in that week."""
    if last < first or (last - first).days > 6:
        return None
    week = naming.period_of("weekly", first)
    if last <= week.end:
        return week.key
    after = naming.period_of("weekly", last)
    if (last - after.start).days + 1 >= 5:
        return after.key
    if (week.end - first).days + 1 >= 5:
        return week.key
    return None


def period_kind(key: str | None) -> str | None:
    try:
        return naming.parse_period(key).kind if key else None
    except ValueError:
        return None
