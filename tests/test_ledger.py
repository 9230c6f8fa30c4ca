"""``itdocs ledger``: the project ledger opened as a clerk opens it, with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata

import openpyxl
import pytest
from conftest import SAMPLES, sample_files
from openpyxl.utils import get_column_letter

from itdocs.engine import check
from itdocs.ledger import build_ledger
from itdocs.ledger_xlsx import DEADLINE_COLUMNS, LEDGER_COLUMNS, ledger_workbook
from itdocs.loader import load

D = dt.date
OUTSOURCING = SAMPLES / "outsourcing-helpdesk.json"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    from click.testing import CliRunner

    from itdocs.cli import main

    target = tmp_path_factory.mktemp("ledger") / "项目台账.xlsx"
    result = CliRunner().invoke(
        main, ["ledger", str(SAMPLES), "-o", str(target), "--as-of", "2026-11-21"]
    )
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(target)


def rows(ws) -> list[dict]:
    header = [cell.value for cell in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)]


def test_every_sample_project_has_a_row(workbook):
    ws = workbook["项目台账"]
    assert [cell.value for cell in ws[1]] == list(LEDGER_COLUMNS)
    ids = {row["项目编号"].value for row in rows(ws)}
    assert ids == {load(path).data["project"]["id"] for path in sample_files()}


def test_amounts_are_numbers_and_dates_are_dates(workbook):
    by_id = {row["项目编号"].value: row for row in rows(workbook["项目台账"])}
    helpdesk = by_id["HDJM-IT-2026-O002"]
    amount = helpdesk["合同金额（元）"]
    assert amount.data_type == "n" and amount.value == 1056000 and "¥" in amount.number_format
    signed = helpdesk["签订日期"]
    assert signed.is_date and signed.value == dt.datetime(2026, 7, 24)
    assert helpdesk["服务开始"].value == dt.datetime(2026, 8, 1)
    assert helpdesk["服务结束"].value == dt.datetime(2027, 7, 31)
    assert helpdesk["续约"].value == "自动续约，每期 12 个月，提前 60 天通知"
    assert helpdesk["类型"].value == "信息技术外包" and helpdesk["状态"].value == "进行中"
    assert (
        helpdesk["阶段"].value == "项目实施"
        and helpdesk["供应商"].value == "上海联服信息技术服务有限公司"
    )
    assert helpdesk["下一期限"].is_date and helpdesk["下一期限"].value == dt.datetime(2026, 11, 27)
    assert helpdesk["下一事项"].value == "周报 2026-W48"
    assert helpdesk["逾期事项"].value == 0
    assert [helpdesk[s].value for s in ("错误", "警告", "提示")] == [
        0,
        0,
        0,
    ]  # the samples are clean
    itsm = by_id["HDJM-IT-2026-I001"]  # an improvement project has no contract
    assert itsm["合同金额（元）"].value is None and itsm["签订日期"].value is None
    assert itsm["类型"].value == "IT服务管理流程改进"


def test_header_frozen_filters_and_widths_fit_chinese(workbook):
    for ws, columns in (
        (workbook["项目台账"], LEDGER_COLUMNS),
        (workbook["期限清单"], DEADLINE_COLUMNS),
    ):
        assert ws.freeze_panes == "C2"
        assert ws.auto_filter.ref == f"A1:{get_column_letter(len(columns))}{ws.max_row}"
        assert ws.print_title_rows == "$1:$1"  # the header repeats on every printed page
        assert ws.page_setup.orientation == "landscape"
    ws = workbook["项目台账"]
    names = [row["项目名称"].value for row in rows(ws)]
    cells = max(
        sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in name) for name in names
    )
    assert (
        cells == 31
    )  # 产品数据管理PLM两化融合服务项目: 14 Chinese characters count two, PLM one each
    assert ws.column_dimensions["B"].width >= cells
    assert ws.column_dimensions["I"].width >= 10  # a date fits


def test_deadlines_sheet(workbook):
    entries = rows(workbook["期限清单"])
    assert len(entries) == 12  # overdue and due within 30 days (the default)
    monthly = next(row for row in entries if row["键"].value == "report/monthly/2026-11")
    assert monthly["截止日期"].is_date and monthly["截止日期"].value == dt.datetime(2026, 12, 7)
    assert monthly["原定日期"].value == dt.datetime(2026, 12, 5)
    assert monthly["顺延原因"].value.startswith("2026-12-05 周六 Saturday")
    assert monthly["剩余天数"].value == 16 and monthly["剩余天数"].data_type == "n"
    assert monthly["星期"].value == "周一" and monthly["状态"].value == "待办"
    dates = [row["截止日期"].value for row in entries]
    assert dates == sorted(dates)


def test_findings_are_counted_by_severity(tmp_path):
    data = load(OUTSOURCING).data
    del data["contract"]["confidentiality"]
    data["reports"] = [r for r in data["reports"] if r["period"] != "2026-W45"]
    path = tmp_path / "helpdesk.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ledger = build_ledger([path], as_of=D(2026, 11, 21))
    [row] = ledger.rows
    expected = check([path], as_of=D(2026, 11, 21))
    assert row.findings.get("error", 0) == expected.count("error") >= 1
    assert row.findings.get("warning", 0) == expected.count("warning")
    assert row.overdue == 1  # the weekly report of 2026-W45 was never filed
    ws = openpyxl.load_workbook(io.BytesIO(ledger_workbook(ledger)))["项目台账"]
    [entry] = rows(ws)
    assert entry["错误"].value == expected.count("error")
    assert entry["项目编号"].fill.fgColor.rgb.endswith("FFC7CE")  # an overdue project stands out


def test_refuses_to_overwrite_without_force(cli, tmp_path):
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"keep me")
    result = cli("ledger", OUTSOURCING, "-o", target, "--as-of", "2026-11-21")
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "exists; not overwritten" in result.output and "--force" in result.output
    assert target.read_bytes() == b"keep me"
    result = cli("ledger", OUTSOURCING, "-o", target, "--as-of", "2026-11-21", "--force")
    assert result.exit_code == 0
    assert openpyxl.load_workbook(target).sheetnames == ["项目台账", "期限清单"]


def test_an_unreadable_dossier_gets_a_row_and_exit_2(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("kind: [unclosed\n", encoding="utf-8")
    (tmp_path / "o.json").write_bytes(OUTSOURCING.read_bytes())
    target = tmp_path / "out" / "台账.xlsx"
    result = cli("ledger", tmp_path, "-o", target, "--as-of", "2026-11-21")
    assert result.exit_code == 2
    assert "bad.yaml" in result.stderr
    statuses = {
        row["项目编号"].value: row["状态"].value
        for row in rows(openpyxl.load_workbook(target)["项目台账"])
    }
    assert statuses["HDJM-IT-2026-O002"] == "进行中"
    assert statuses["bad"].startswith("无法读取：")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "台账.csv"], "must end in .xlsx"),
        (["-o", "台账.xlsx", "--as-of", "tomorrow"], "is not a date"),
        (["-o", "台账.xlsx", "--within", "a while"], "--within 'a while'"),
    ],
)
def test_ledger_bad_input(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli("ledger", OUTSOURCING, *args)
    assert result.exit_code == 2 and message in result.output
    assert result.output.startswith("itdocs: error: ")
    assert not list(tmp_path.iterdir())  # nothing written


def test_ledger_help(cli):
    result = cli("ledger", "--help")
    assert result.exit_code == 0 and "项目台账" in result.output and "--force" in result.output


def test_due_as_xlsx(cli, tmp_path):
    target = tmp_path / "期限清单.xlsx"
    result = cli(
        "due", SAMPLES, "--as-of", "2026-12-10", "--within", "7d", "--format", "xlsx", "-o", target
    )
    assert result.exit_code == 1  # something is overdue
    ws = openpyxl.load_workbook(target)["期限清单"]
    entries = rows(ws)
    assert entries[0]["状态"].value == "逾期" and entries[0]["剩余天数"].value < 0
    assert entries[0]["剩余天数"].number_format.split(";")[1] == '"逾期 "0" 天"'
    assert ws.freeze_panes == "C2"


def test_dossier_text_starting_with_equals_stays_text(tmp_path):
    """A project name like `=HYPERLINK(...)` must not become a live formula in the ledger."""
    data = load(OUTSOURCING).data
    data["project"]["name"] = '=HYPERLINK("http://example.invalid","点此")'
    path = tmp_path / "helpdesk.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ledger = build_ledger([path], as_of=D(2026, 11, 21))
    ws = openpyxl.load_workbook(io.BytesIO(ledger_workbook(ledger)))["项目台账"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
