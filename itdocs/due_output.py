"""``itdocs due`` as text for people and JSON for programs, written to a stream it is given.

Text lists overdue items first, then upcoming ones, each on one line (due day, weekday and time,
days left, project, what), with why the date moved (holiday, weekend) and notes (make-up working
day, tacit renewal) indented below. Columns are padded by display width: a Chinese character
takes two cells of a terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Any, TextIO

from itdocs.due import DueItem, DueReport

JSON_VERSION = 1
WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


def when(item: DueItem, *, lang: str) -> str:
    day = item.due_day
    weekday = (
        f"周{WEEKDAYS['zh'][day.weekday()]}" if lang == "zh" else WEEKDAYS["en"][day.weekday()]
    )
    clock = f" {item.due:%H:%M}" if isinstance(item.due, dt.datetime) else ""
    return f"{day.isoformat()} {weekday}{clock}"


def countdown(days: int, *, lang: str) -> str:
    if lang == "zh":
        return "今天到期" if days == 0 else f"逾期 {-days} 天" if days < 0 else f"还有 {days} 天"
    return "due today" if days == 0 else f"{-days} day(s) late" if days < 0 else f"in {days} day(s)"


def headline(report: DueReport, *, lang: str) -> str:
    overdue = len(report.overdue)
    upcoming = len(report.items) - overdue
    weekday = (
        WEEKDAYS["zh"][report.as_of.weekday()]
        if lang == "zh"
        else WEEKDAYS["en"][report.as_of.weekday()]
    )
    if lang == "zh":
        span = f"{report.within} 天内" if report.within is not None else "全部待办"
        return (
            f"截至 {report.as_of}（周{weekday}），{span}：逾期 {overdue} 项，待办 {upcoming} 项"
            f"（{len(report.files)} 个档案）"
        )
    span = f"within {report.within} day(s)" if report.within is not None else "everything owed"
    return (
        f"As of {report.as_of} ({weekday}), {span}: {overdue} overdue, {upcoming} upcoming "
        f"({len(report.files)} dossier(s))"
    )


def _details(item: DueItem, *, lang: str, verbose: bool) -> list[str]:
    zh = lang == "zh"
    lines = []
    if item.moved:
        lines.append(f"{'顺延' if zh else 'moved'}: {item.moved}")
    if item.note:
        lines.append(f"{'说明' if zh else 'note'}: {item.note}")
    if verbose:
        lines.append(f"{'规则' if zh else 'rule'}: {item.rule}")
        lines.append(f"{'来源' if zh else 'source'}: {item.file} {item.source}  [{item.key}]")
        if item.evidence.get("calendar"):
            lines.append(f"{'日历' if zh else 'calendar'}: {item.evidence['calendar']}")
    return lines


def write_text(
    report: DueReport, stream: TextIO, *, lang: str = "zh", verbose: bool = False
) -> None:
    zh = lang == "zh"
    stream.write(headline(report, lang=lang) + "\n")
    if not report.items:
        return
    when_cells = max(width(when(i, lang=lang)) for i in report.items)
    count_cells = max(width(countdown(i.days, lang=lang)) for i in report.items)
    project_cells = max(width(_project(i)) for i in report.items)
    indent = " " * (4 + when_cells + 2 + count_cells + 2)
    sections = [
        ("逾期" if zh else "Overdue", [i for i in report.items if i.overdue]),
        ("待办" if zh else "Upcoming", [i for i in report.items if not i.overdue]),
    ]
    for heading, items in sections:
        if not items:
            continue
        stream.write(f"\n{heading}\n")
        for item in items:
            title = item.title if zh else item.title_en
            stream.write(
                f"  {'!' if item.overdue else ' '} {pad(when(item, lang=lang), when_cells)}  "
                f"{pad(countdown(item.days, lang=lang), count_cells)}  "
                f"{pad(_project(item), project_cells)}  {title}\n"
            )
            stream.writelines(
                f"{indent}↳ {line}\n" for line in _details(item, lang=lang, verbose=verbose)
            )
    notes = sorted(
        {str(i.evidence["calendar_note"]) for i in report.items if i.evidence.get("calendar_note")}
    )
    stream.writelines(f"\n{'注意' if zh else 'Note'}: {note}\n" for note in notes)


def _project(item: DueItem) -> str:
    return (
        f"{item.project} {item.project_name}".strip()
        if item.project_name != item.project
        else item.project
    )


def to_json(report: DueReport) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "as_of": report.as_of.isoformat(),
        "within_days": report.within,
        "files": report.files,
        "summary": {
            "overdue": len(report.overdue),
            "upcoming": len(report.items) - len(report.overdue),
        },
        "items": [item.to_dict() for item in report.items],
        "errors": [str(error) for error in report.errors],
    }


def write_json(report: DueReport, stream: TextIO) -> None:
    json.dump(to_json(report), stream, ensure_ascii=False, indent=2, default=str)
    stream.write("\n")
