"""Which period a hand-made report is filed for, and what a clerk then sees from ``itdocs check``.

Reports typed by hand name their period every which way: a monthly report typed in Excel, a weekly
report named by the day it was filed (after a holiday: in the next week), a work-week range
(``2026.04.27~2026.05.01``) instead of ``2026年第18周``, dates spaced out by PDF text extraction.
Each case is checked twice: what identification yields (``read_document``), and the findings of
the archive check on a whole clean project (tests/archive_docs.py) with the one file changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import openpyxl
import pytest
from archive_checks import found, run, write_policy
from archive_docs import NAME, D, Project, cn, write_archive

from itdocs.archive.identify import period_key_of, work_week_of
from itdocs.archive.reading import Task, pair_companions, read_all, read_document
from itdocs.extract.dates import dates_and_periods, find_dates, find_periods, parse_period


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    return write_policy(tmp_path)


def missing(report) -> set[str]:
    """The periods reported missing (deadline/report-missing), as ``2026-W40`` / ``2026-08``."""
    return {
        f.evidence["obligation"].rsplit("/", 1)[1]
        for f in report.findings
        if f.rule == "deadline/report-missing"
    }


def read(path: Path):
    return read_document(Task(str(path), path.name, str(path.parent)))


# --- hand-made reports -------------------------------------------------------------------------


def weekly_docx(path: Path, period_label: str, period: str, filed_label: str, filed: str) -> None:
    """A weekly report in paragraphs: ``报告周期：…`` / ``报告日期：…`` (a clerk's own layout)."""
    d = docx.Document()
    d.add_paragraph(f"{NAME} 周报")
    d.add_paragraph(f"{period_label}：{period}")
    d.add_paragraph(f"{filed_label}：{filed}")
    d.add_paragraph("一、本周工作：完成ERP系统日常巡检。")
    d.add_paragraph("二、下周计划：继续日常运维。")
    d.save(path)


def weekly_table(path: Path, period: str, filed: str) -> None:
    """A weekly report as a form: ``统计周期 | 2026.07.13-2026.07.19``."""
    d = docx.Document()
    d.add_paragraph(f"{NAME} 周报")
    t = d.add_table(rows=2, cols=2)
    for row, (label, value) in zip(t.rows, (("统计周期", period), ("填报日期", filed))):
        row.cells[0].text, row.cells[1].text = label, value
    d.add_paragraph("本周完成工作：日常运维。")
    d.save(path)


def monthly_xlsx(path: Path, month: int, filed: str, *, title: str | None = None) -> None:
    """A monthly report typed in Excel: a title row, label cells left of their values, two sheets."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "月报"
    for row in (
        [title or f"{NAME}月报"],
        [],
        ["项目名称", NAME],
        ["报告期间", f"2026年{month}月"],
        ["报告日期", filed],
        [],
        ["本月工作", "共处理工单126单，SLA达成率98.4%"],
    ):
        ws.append(row)
    kpi = wb.create_sheet("KPI")
    kpi.append(["指标", "目标", "实际"])
    kpi.append(["SLA达成率", "98%", "98.4%"])
    wb.save(path)


def monthly_docx(path: Path, lines: list[str]) -> None:
    d = docx.Document()
    d.add_heading(f"{NAME} 运维月报", 1)
    for line in lines:
        d.add_paragraph(line)
    d.save(path)


# --- FP-A1: a monthly report typed in Excel ----------------------------------------------------


def test_a_monthly_report_typed_in_excel_is_the_report(tmp_path, policy):
    folder = tmp_path / "归档"
    write_archive(Project(), folder, skip=("month8",))
    xlsx = folder / f"{NAME}-2026年8月-月报.xlsx"
    monthly_xlsx(xlsx, 8, "2026-09-03")
    doc = read(xlsx)
    assert (doc.type_id, doc.period, doc.companion) == ("monthly_report", "2026-08", False)
    assert doc.fact("filed") == "2026-09-03"
    report = run(folder, policy)
    assert found(report, folder) == set()  # not "缺少月报 2026-08 … 应有「…月报.docx」"


def test_a_late_monthly_report_typed_in_excel_is_late_not_missing(tmp_path, policy):
    folder = tmp_path / "归档"
    write_archive(Project(), folder, skip=("month8",))
    xlsx = folder / f"{NAME}-2026年8月-月报.xlsx"
    monthly_xlsx(xlsx, 8, "2026-09-10")  # due 09-07 (the 5th is a Saturday)
    report = run(folder, policy)
    assert found(report, folder) == {(xlsx.name, "deadline/report-late")}


def test_a_workbook_beside_the_word_monthly_report_is_its_companion(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    xlsx = folder / f"{NAME}-2026年8月-月报.xlsx"  # the same name as the .docx: its KPI workbook
    monthly_xlsx(xlsx, 8, "2026-09-03")
    assert read(xlsx).companion is False  # alone it cannot tell …
    docs = read_all([Task(str(p), p.name, str(folder)) for p in (paths["month8"], xlsx)])
    assert [d.companion for d in docs] == [False, True]  # … beside the .docx it is the 附表
    report = run(folder, policy)
    assert found(report, folder) == set()  # no naming/duplicate, nothing missing


def test_a_workbook_beside_another_months_report_is_a_report(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    word = folder / f"{NAME}-2026年7月-月报.docx"
    monthly_docx(word, ["报告期间：2026年7月", "报告日期：2026年8月4日"])
    xlsx = folder / f"{NAME}-2026年8月-月报.xlsx"
    monthly_xlsx(xlsx, 8, "2026-09-03")
    other = folder / "另一项目-2026年8月-月报.docx"  # same month, another project
    monthly_docx(other, ["报告期间：2026年8月"])
    docs = read_all([Task(str(p), p.name, str(folder)) for p in (word, xlsx, other)])
    assert [(d.period, d.companion) for d in docs] == [
        ("2026-07", False),
        ("2026-08", False),
        ("2026-08", False),
    ]
    assert pair_companions(docs[1:2]) == docs[1:2]


def test_a_workbook_named_or_titled_as_the_companion_is_one(tmp_path, policy):
    folder = tmp_path / "归档"
    write_archive(Project(), folder, skip=("month8",))
    named = folder / f"{NAME}-2026年8月-月报附表.xlsx"
    monthly_xlsx(named, 8, "2026-09-03")
    assert (read(named).type_name, read(named).companion) == ("月报附表", True)
    report = run(folder, policy)  # the 附表 is there, the report itself is not
    assert found(report, folder) == {(".", "deadline/report-missing")}
    assert missing(report) == {"2026-08"}
    titled = tmp_path / f"{NAME}-2026年9月-月报.xlsx"
    monthly_xlsx(titled, 9, "2026-10-09", title=f"{NAME} 2026年9月 月报附表（关键指标）")
    assert read(titled).companion is True


# --- FP-A2: a weekly report named by its filing day -------------------------------------------


def test_a_weekly_report_named_by_its_filing_day_after_a_holiday(tmp_path, policy):
    """W40 (Mon 09-28 … Fri 10-02, National Day) is due Thu 10-08 and filed that day, named
    ``…-2026年10月8日-周报`` (a day of W41). W41 is filed late on Tue 10-13 (due Fri 10-09)."""
    p = Project()
    p.weeks = [w for w in p.weeks if w != 40]
    p.week_filed[41] = D(2026, 10, 13)
    folder = tmp_path / "归档"
    paths = write_archive(p, folder)
    w40 = folder / f"{NAME}-2026年10月8日-周报.docx"
    weekly_docx(w40, "报告周期", "2026.09.28~2026.10.02", "报告日期", "2026.10.08")
    doc = read(w40)
    assert (doc.period, doc.period_source) == ("2026-W40", "content")
    assert doc.fact("filed") == "2026-10-08"
    report = run(folder, policy)
    w41 = paths["week41"].name
    # Before: "缺少周报 2026-W40" at the folder and naming/duplicate on W41, whose lateness hid.
    assert found(report, folder) == {(w41, "deadline/report-late")}
    late = next(f for f in report.findings if f.rule == "deadline/report-late")
    assert "2026-W41" in late.message and "2026-10-13" in late.message
    assert late.evidence["place"] == "表1 行4 列2"  # the 填报日期 cell, not the file name


def test_a_day_named_weekly_report_filed_late_still_counts_for_its_week(tmp_path, policy):
    p = Project()
    p.weeks = [w for w in p.weeks if w != 38]
    folder = tmp_path / "归档"
    write_archive(p, folder)
    w38 = folder / f"{NAME}-2026年9月29日-周报.docx"  # filed a week and a half late
    weekly_docx(w38, "报告周期", "2026年9月14日至2026年9月18日", "填报日期", "2026年9月29日")
    report = run(folder, policy)
    assert found(report, folder) == {(w38.name, "deadline/report-late")}
    assert "2026-W38" in next(iter(report.findings)).message


def test_a_period_token_in_the_name_wins_over_the_content(tmp_path, policy):
    """``2026年第39周`` is the clerk's statement of the period: the file counts for W39, and the
    content's W38 is a naming/date-mismatch, not a second identity. (Its 填报日期 is W39's due
    day, so the filing date does not speak for W38 either; W38 has its own report besides.)"""
    p = Project()
    folder = tmp_path / "归档"
    paths = write_archive(p, folder)
    w39 = paths["week39"]
    weekly_docx(w39, "报告周期", "2026年9月14日—2026年9月18日", "填报日期", "2026年9月25日")
    doc = read(w39)
    assert (doc.period, doc.period_source, doc.fact("content_period")) == (
        "2026-W39",
        "name",
        "2026-W38",
    )
    report = run(folder, policy)
    assert found(report, folder) == {(w39.name, "naming/date-mismatch")}


def test_a_day_name_is_kept_when_the_text_only_mentions_another_period(tmp_path):
    """No 报告周期 label: the first period in the text may be a plan (next week) or history (the
    month the project started), not the report's own; the name's day decides then."""
    plan = tmp_path / f"{NAME}-2026年9月18日-周报.docx"
    monthly_docx(plan, ["下周计划：2026年9月21日至2026年9月25日完成补丁升级。"])
    assert (read(plan).period, read(plan).fact("content_period")) == ("2026-W38", "2026-W39")
    old = tmp_path / f"{NAME}-2026年9月4日-月报.docx"
    monthly_docx(old, ["项目自2026年3月启动以来运行平稳。", "报告日期：2026年9月4日"])
    assert read(old).period == "2026-09"
    (tmp_path / "b").mkdir()
    labelled = tmp_path / "b" / old.name  # under its label, the period is trusted
    monthly_docx(labelled, ["报告期间：2026年8月", "报告日期：2026年9月4日"])
    assert read(labelled).period == "2026-08"


@pytest.mark.parametrize(
    ("layout", "period", "week"),
    [
        ("para", "2026年4月20日—2026年4月24日", "2026-W17"),  # Mon–Fri
        ("para", "2026.04.27~2026.05.01", "2026-W18"),
        ("para", "2026年5月4日至5月9日", "2026-W19"),  # Mon–Sat
        ("para", "2026年7月13日至7月19日", "2026-W29"),  # Mon–Sun, the tail without month
        ("table", "2026.07.13-2026.07.19", "2026-W29"),
        ("table", "2026/7/22-2026/7/24", "2026-W30"),  # Wed–Fri: the first week of a project
        ("para", "2026年7月12日至2026年7月18日", "2026-W29"),  # Sun–Sat
        ("para", "2026年第18周（4月27日-5月1日）", "2026-W18"),
        ("para", "2026 年 4 月 27 日 至 2026 年 5 月 1 日", "2026-W18"),  # PDF-spaced
    ],
)
def test_weekly_report_ranges_are_read_as_their_iso_week(tmp_path, layout, period, week):
    path = tmp_path / f"{NAME}-周报.docx"  # no date in the name: the content decides
    if layout == "table":
        weekly_table(path, period, "2026年7月24日")
    else:
        weekly_docx(path, "报告周期", period, "报告日期", "2026年5月6日")
    doc = read(path)
    assert (doc.type_id, doc.period, doc.period_source) == ("weekly_report", week, "content")


@pytest.mark.parametrize(
    "period",
    [
        "2026年4月20日至2026年5月1日",  # two weeks
        "2026年4月23日至2026年4月29日",  # Thu–Wed: four days in one week, three in the other
    ],
)
def test_ranges_that_are_no_week_give_no_week(tmp_path, period):
    path = tmp_path / f"{NAME}-周报.docx"
    weekly_docx(path, "报告周期", period, "报告日期", "2026年5月6日")
    assert read(path).period is None


def test_period_key_of_ranges():
    def key(text):
        return period_key_of(parse_period(text))

    assert key("2026.04.27~2026.05.01") == "2026-W18"
    assert key("2026年11月2日至2026年11月8日") == "2026-W45"
    assert key("2026年4月1日至2026年4月30日") == "2026-04"
    assert key("2026年7月1日至2026年9月30日") == "2026-Q3"
    assert key("2026年4月1日至2026年4月29日") is None
    assert key("2026年4月20日至2026年5月1日") is None
    assert work_week_of(D(2026, 12, 28), D(2027, 1, 1)) == "2026-W53"  # ISO year 2026
    assert work_week_of(D(2027, 1, 4), D(2027, 1, 8)) == "2027-W01"
    assert work_week_of(D(2026, 5, 1), D(2026, 4, 27)) is None


def test_a_monthly_report_named_by_its_filing_day(tmp_path, policy):
    folder = tmp_path / "归档"
    write_archive(Project(), folder, skip=("month9",))
    path = folder / f"{NAME}-2026年10月8日-月报.docx"  # National Day: due 10-05 → 10-08
    monthly_docx(path, ["报告期间：2026年9月", "报告日期：2026年10月8日"])
    assert read(path).period == "2026-09"
    report = run(folder, policy)
    assert found(report, folder) == set()


# --- dates as PDF text extraction spaces them --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2026 年6 月5 日", D(2026, 6, 5)),
        ("2026 年 6 月 5 日", D(2026, 6, 5)),
        ("日期 2026 年6 月5 日", D(2026, 6, 5)),
        ("２０２６ 年６ 月５ 日", D(2026, 6, 5)),
        ("2026 年6 月5 日 14 :00", dt.datetime(2026, 6, 5, 14, 0)),
        ("2026年6月5日 14 : 30", dt.datetime(2026, 6, 5, 14, 30)),
        ("2026 年 6 月 5 日 下午 2 点 30 分", dt.datetime(2026, 6, 5, 14, 30)),
    ],
)
def test_spaced_dates_parse(text, value):
    [(found, _, _)] = find_dates(text)
    assert found == value


@pytest.mark.parametrize(
    "text",
    ["2026 6 5", "合计 2026 6 5 元", "编号 2026 - 06", "2026年6月5日 共 3 项", "第 2026 号 6 月"],
)
def test_bare_numbers_are_no_dates(text):
    dates = find_dates(text)
    assert all(value == D(2026, 6, 5) for value, _, _ in dates)
    assert not any(isinstance(value, dt.datetime) for value, _, _ in dates)


def test_spaced_periods():
    assert [(p.kind, p.start) for p in find_periods("2026 年 6 月")] == [("month", D(2026, 6, 1))]
    assert parse_period("2026 年第 19 周").start == D(2026, 5, 4)
    assert parse_period("2026 年 第 2 季度").start == D(2026, 4, 1)
    assert parse_period("2026 年6 月5 日 至 6 月 9 日").end == D(2026, 6, 9)
    assert dates_and_periods("2026 年 6 月 5 日")[1] == []  # a day, not the month of June


def test_a_spaced_filing_date_is_the_filing_date(tmp_path, policy):
    p = Project()
    folder = tmp_path / "归档"
    paths = write_archive(p, folder)
    weekly_docx(paths["week39"], "报告周期", "2026 年 第 39 周", "报告日期", "2026 年9 月30 日")
    doc = read(paths["week39"])
    assert (doc.period, doc.fact("filed")) == ("2026-W39", "2026-09-30")
    report = run(folder, policy)  # due Mon 09-28 (Fri 09-25 is Mid-Autumn): late
    assert found(report, folder) == {(paths["week39"].name, "deadline/report-late")}


def test_the_filing_date_never_comes_from_a_day_name(tmp_path, policy):
    """A day-named report that states no filing date: the lateness check cannot run (not guessed
    from the name), and the week is still counted as filed."""
    p = Project()
    p.weeks = [w for w in p.weeks if w != 40]
    folder = tmp_path / "归档"
    write_archive(p, folder)
    w40 = folder / f"{NAME}-2026年10月20日-周报.docx"
    d = docx.Document()
    d.add_paragraph(f"{NAME} 周报")
    d.add_paragraph(f"报告周期：{cn(D(2026, 9, 28))}至{cn(D(2026, 10, 2))}")
    d.save(w40)
    assert read(w40).period == "2026-W40"
    report = run(folder, policy)
    assert found(report, folder) == set()


def test_a_stale_period_copied_from_last_weeks_report_does_not_move_the_file(tmp_path, policy):
    """W38's report made from W37's: 报告周期 and 填报日期 not updated, the name says Fri 09-18. The
    name's day is neither in the stated week nor the stated filing day: the file stays W38's, and
    the clerk is told the name and the content disagree (not "W38 missing" + a W37 duplicate)."""
    p = Project()
    p.weeks = [w for w in p.weeks if w != 38]
    folder = tmp_path / "归档"
    write_archive(p, folder)
    w38 = folder / f"{NAME}-2026年9月18日-周报.docx"
    weekly_docx(w38, "报告周期", "2026年9月7日至2026年9月11日", "填报日期", "2026年9月11日")
    doc = read(w38)
    assert (doc.period, doc.period_source, doc.fact("content_period")) == (
        "2026-W38",
        "name",
        "2026-W37",
    )
    report = run(folder, policy)
    assert found(report, folder) == {(w38.name, "naming/date-mismatch")}


# --- RT2 #7: a report copied from last week's file and not renamed ------------------------------


def weekly_form(path: Path, period: str, filed: str) -> None:
    """The red-team's layout: ``报告周期 | 2026.9.14-9.18`` (the second date without its year) and
    ``报送日期 | 2026年9月18日`` in a table."""
    d = docx.Document()
    d.add_heading("项目周报", 1)
    t = d.add_table(rows=3, cols=2)
    rows = (("项目名称", NAME), ("报告周期", period), ("报送日期", filed))
    for row, (label, value) in zip(t.rows, rows):
        row.cells[0].text, row.cells[1].text = label, value
    d.add_paragraph("本周完成：接口开发与联调。")
    d.save(path)


def finding(report, rule: str):
    return next(f for f in report.findings if f.rule == rule)


def test_a_short_dotted_range_is_the_week(tmp_path):
    path = tmp_path / f"{NAME}-周报.docx"
    weekly_form(path, "2026.9.14-9.18", "2026年9月18日")
    assert (read(path).period, read(path).period_source) == ("2026-W38", "content")


@pytest.mark.parametrize(
    ("filed", "late"),
    [("2026年9月18日", False), ("2026年9月21日", True)],  # on W38's due date; a working day late
)
def test_a_weekly_report_copied_and_not_renamed_counts_for_the_week_it_states(
    tmp_path, policy, filed, late
):
    """W38's report written over a copy of W37's file, the name left at 第37周: its 报告周期 says
    W38 and it was filed in W38's window, so it is W38's report (on time, or late for W38 — not
    7 days late for W37), the name is a naming/date-mismatch that gives the right name, and W37,
    whose file was overwritten, is missing."""
    p = Project()
    p.weeks = [w for w in p.weeks if w != 38]
    folder = tmp_path / "归档"
    paths = write_archive(p, folder)
    w37 = paths["week37"]
    weekly_form(w37, "2026.9.14-9.18", filed)
    doc = read(w37)
    assert (doc.period, doc.period_source, doc.fact("content_period")) == (
        "2026-W38",
        "content",
        "2026-W38",
    )
    report = run(folder, policy)
    expected = {(w37.name, "naming/date-mismatch"), (".", "deadline/report-missing")}
    if late:
        expected.add((w37.name, "deadline/report-late"))
        assert "2026-W38" in finding(report, "deadline/report-late").message
    assert found(report, folder) == expected
    assert missing(report) == {"2026-W37"}
    mismatch = finding(report, "naming/date-mismatch")
    assert "2026年第37周" in mismatch.message and "2026-W38" in mismatch.message
    assert mismatch.evidence["counted_for"] == "2026-W38"
    assert mismatch.evidence["suggested_name"] == f"{NAME}-2026年第38周-周报.docx"


def test_a_not_renamed_copy_beside_the_weeks_own_report_stays_with_its_name(tmp_path, policy):
    """The same file while W38 has its own report: the 报告周期 is taken for stale, the file stays
    W37's (late by its filing date) — no duplicate W38, no W37 missing."""
    p = Project()
    folder = tmp_path / "归档"
    paths = write_archive(p, folder)
    w37 = paths["week37"]
    weekly_form(w37, "2026.9.14-9.18", "2026年9月18日")
    assert read(w37).period == "2026-W38"  # alone, it would be W38's …
    docs = read_all([Task(str(q), q.name, str(folder)) for q in (w37, paths["week38"])])
    assert [(d.period, d.period_source) for d in docs] == [
        ("2026-W37", "name"),  # … beside W38's own report it is not
        ("2026-W38", "name"),
    ]
    report = run(folder, policy)
    assert found(report, folder) == {
        (w37.name, "naming/date-mismatch"),
        (w37.name, "deadline/report-late"),
    }
    assert finding(report, "naming/date-mismatch").evidence["counted_for"] == "2026-W37"


def test_a_renamed_copy_whose_content_was_not_updated_stays_with_its_name(tmp_path, policy):
    """The other copy: W37's file copied and renamed 第38周, nothing inside updated (报告周期 and
    报送日期 are W37's). W37's own report is there, so the file is W38's with stale content."""
    p = Project()
    p.weeks = [w for w in p.weeks if w != 38]
    folder = tmp_path / "归档"
    paths = write_archive(p, folder)
    w38 = folder / f"{NAME}-2026年第38周-周报.docx"
    weekly_form(w38, "2026.9.7-9.11", "2026年9月11日")
    report = run(folder, policy)
    assert found(report, folder) == {(w38.name, "naming/date-mismatch")}
    assert paths["week37"].exists()


def test_a_monthly_report_named_for_the_month_before_counts_for_its_own(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder, skip=("month9",))
    aug = paths["month8"]  # overwritten by September's report, the name left at 2026年8月
    monthly_docx(aug, ["报告期间：2026年9月", "报告日期：2026年10月8日"])
    assert (read(aug).period, read(aug).period_source) == ("2026-09", "content")
    report = run(folder, policy)
    assert found(report, folder) == {
        (aug.name, "naming/date-mismatch"),
        (".", "deadline/report-missing"),
    }
    assert missing(report) == {"2026-08"}


# --- RT2 #10: the week of acceptance ------------------------------------------------------------


@pytest.mark.parametrize(
    ("acceptance", "owed"),
    [
        (D(2026, 11, 5), set()),  # Thu: W45's report falls due on Fri 11-06, after acceptance
        (D(2026, 11, 6), {"2026-W45"}),  # Fri: due on the acceptance day, inside the window
    ],
)
def test_the_weekly_report_of_the_acceptance_week(tmp_path, policy, acceptance, owed):
    """DOMAIN: no period between kickoff and acceptance may lack its report; a period is owed
    when its due date falls between them. Accepted on Friday, the week's report is due that day
    (its work week lies wholly before acceptance) and is owed like any other; accepted on
    Thursday, it is not."""
    p = Project()
    p.acceptance = acceptance
    p.weeks = [w for w in p.weeks if w != 45]
    folder = tmp_path / "归档"
    write_archive(p, folder)
    report = run(folder, policy)
    assert missing(report) == owed
