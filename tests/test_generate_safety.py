"""Generation as a careful clerk needs it: refuses bad input, never writes outside OUT, filters, names."""

from __future__ import annotations

import json

import pytest
from docx import Document
from generate_helpers import docx_text, small_dossier, write_dossier

from itdocs.errors import OutputError, UsageError
from itdocs.generator import InvalidDossier, generate, safe_target
from itdocs.naming import parse_name, windows_problems
from itdocs.policy import Policy, load_policy


def _week_report(period: str, filed: str) -> dict:
    return {"type": "weekly", "period": period, "filed": filed, "summary": f"{period} 进展"}


@pytest.fixture
def dossier(tmp_path):
    data = small_dossier()
    data["reports"] = [
        _week_report("2026-W46", "2026-11-13"),
        _week_report("2026-W47", "2026-11-20"),
        {
            "type": "monthly",
            "period": "2026-10",
            "filed": "2026-11-05",
            "summary": "十月",
            "kpis": [{"name": "可用率", "target": 99.5, "actual": 99.9, "unit": "%"}],
        },
        {"type": "quarterly", "period": "2026-Q3", "filed": "2026-09-30", "summary": "三季度"},
    ]
    data["meetings"] = [
        {
            "type": "regular",
            "title": "周例会",
            "start": "2026-11-10T09:00:00+08:00",
            "attendees": ["张三"],
        },
        {
            "type": "regular",
            "title": "专题会",
            "start": "2026-11-10T15:00:00+08:00",
            "attendees": ["李四"],
        },
    ]
    return write_dossier(tmp_path, data)


def test_invalid_dossier_is_refused_with_its_schema_errors(tmp_path):
    data = small_dossier()
    data["contract"]["amount"] = 468000.5  # a float: not exact money
    del data["project"]["manager"]
    path = write_dossier(tmp_path, data)
    with pytest.raises(InvalidDossier) as caught:
        generate(path, tmp_path / "out")
    assert len(caught.value.findings) >= 2
    assert caught.value.pointer
    assert not (tmp_path / "out").exists()


def test_weekly_names_tell_weeks_apart(dossier, tmp_path):
    result = generate(dossier, tmp_path / "out", only="weekly_report")
    names = sorted(f.path.name for f in result.written)
    assert names == ["测试项目-2026年第46周-周报.docx", "测试项目-2026年第47周-周报.docx"]


def test_monthly_and_quarterly_tokens(dossier, tmp_path):
    result = generate(dossier, tmp_path / "out", only=["monthly_report", "quarterly_report"])
    assert sorted(f.path.name for f in result.written) == [
        "测试项目-2026年10月-月报.docx",
        "测试项目-2026年10月-月报附表.xlsx",
        "测试项目-2026年第3季度-季报.docx",
    ]


def test_period_filter(dossier, tmp_path):
    result = generate(dossier, tmp_path / "out", period="2026-W47")
    assert [f.path.name for f in result.written] == ["测试项目-2026年第47周-周报.docx"]
    assert "2026年第47周" in docx_text(result.written[0].path)
    assert "2026年11月16日至2026年11月22日" in docx_text(result.written[0].path)


@pytest.mark.parametrize("bad", [{"only": "weekly"}, {"period": "2026-13"}, {"period": "W47"}])
def test_bad_filters_are_usage_errors(dossier, tmp_path, bad):
    with pytest.raises(UsageError):
        generate(dossier, tmp_path / "out", **bad)


def test_two_meetings_on_one_day_get_distinct_names(dossier, tmp_path):
    result = generate(dossier, tmp_path / "out", only="meeting_minutes")
    names = [f.path.name for f in result.written]
    assert names == [
        "测试项目-2026年11月10日-会议纪要.docx",
        "测试项目-2026年11月10日-会议纪要（2）.docx",
    ]
    assert parse_name(names[1]).sequence == 2


def test_force_replaces_and_reports_nothing_skipped(dossier, tmp_path):
    out = tmp_path / "out"
    first = generate(dossier, out, only="contract")
    target = first.written[0].path
    target.write_bytes(b"edited by hand")
    assert generate(dossier, out, only="contract").skipped == [target]
    assert target.read_bytes() == b"edited by hand"
    forced = generate(dossier, out, only="contract", force=True)
    assert [f.path for f in forced.written] == [target] and not forced.skipped
    Document(str(target))


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "..\\..\\evil",
        "CON",
        "a/b\\c:d*e?f",
        "  . ",
        "/abs/olute",
        "..",
        "NUL.txt",
        "名称\x00带空字符",
    ],
)
def test_hostile_project_names_stay_inside_out(tmp_path, name):
    data = small_dossier(name=name)
    path = write_dossier(tmp_path, data)
    out = tmp_path / "deep" / "out"
    result = generate(path, out, only=["contract", "requirement_form"])
    assert len(result.written) == 2, result.errors
    for item in result.written:
        assert item.path.parent == out
        assert not windows_problems(item.path.name)
    assert {p for p in tmp_path.rglob("*") if p.is_file()} == {
        path,
        *(f.path for f in result.written),
    }


def test_safe_target_refuses_escapes(tmp_path):
    for bad in ("../x.docx", "a/b.docx", "..", "", "c:evil.docx"):
        with pytest.raises(OutputError):
            safe_target(tmp_path, bad)


def test_long_project_name_is_cut_never_type_or_date(tmp_path):
    data = small_dossier(name="超长项目名称" * 40)
    path = write_dossier(tmp_path, data)
    result = generate(path, tmp_path / "out", only="contract")
    [item] = result.written
    assert len(item.path.name.encode("utf-8")) <= 255
    assert item.path.name.endswith("-2026年9月20日-服务合同.docx")


def test_policy_naming_pattern_and_approval_chain(tmp_path):
    data = small_dossier()
    data["approvals"] = [{"role": "ceo", "title": "CEO终审", "name": "周总", "date": "2026-09-05"}]
    dossier = write_dossier(tmp_path, data)
    base = load_policy()
    params = json.loads(json.dumps(base.parameters))
    params["naming"]["pattern"] = "{type}_{project}_{date}"
    params["approval_chain"] = [
        {"role": "director", "title": "总监审批"},
        {"role": "ceo", "title": "CEO终审"},
    ]
    policy = Policy(params, base.rules)
    result = generate(dossier, tmp_path / "out", only="approval_sheet", policy=policy)
    [item] = result.written
    assert item.path.name.startswith("采购审批单_测试项目_")
    rows = [[c.text for c in row.cells] for row in Document(str(item.path)).tables[-1].rows[1:]]
    assert [r[:2] for r in rows] == [["总监审批", ""], ["CEO终审", "周总"]]


def test_unsigned_roles_leave_lines_to_sign_by_hand(tmp_path):
    data = small_dossier()
    data["approvals"] = [
        {"role": "department_head", "title": "部门负责人初审", "name": "王五", "date": "2026-09-02"}
    ]
    path = write_dossier(tmp_path, data)
    [item] = generate(path, tmp_path / "out", only="approval_sheet").written
    table = Document(str(item.path)).tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[0] == ["部门负责人初审", "王五", "", "2026年9月2日"]
    assert (
        rows[1][0] == "财务部复审"
        and rows[1][1] == ""
        and "年" in rows[1][3]
        and "2026" not in rows[1][3]
    )
    assert rows[2][0] == "CEO终审"


def test_folder_of_dossiers_one_subfolder_each(tmp_path):
    folder = tmp_path / "dossiers"
    folder.mkdir()
    write_dossier(folder, small_dossier(id="P-1"), "a.json")
    write_dossier(folder, small_dossier(id="P-1", name="同编号"), "b.yaml")
    broken = small_dossier(id="P-3")
    del broken["kind"]
    write_dossier(folder, broken, "c.json")
    result = generate(folder, tmp_path / "out", only="contract")
    assert result.dossiers == 3
    assert sorted(p.parent.name for p in (f.path for f in result.written)) == ["P-1", "P-1（2）"]
    assert len(result.errors) == 1 and isinstance(result.errors[0], InvalidDossier)


def test_amounts_in_capitals_on_the_contract(tmp_path):
    path = write_dossier(tmp_path, small_dossier())
    [item] = generate(path, tmp_path / "out", only="contract").written
    text = docx_text(item.path)
    assert "人民币壹拾万零壹元整（¥100,001.00）" in text
